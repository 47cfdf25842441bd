/*
 * task_type: what a task type is, in one table both programs use. A row
 * (struct task_type) says the type's name and the other words task_type
 * accepts for it, which fields of a task body belong to it, how they are
 * read and checked, and how its occurrences are planned: the first one
 * (on create), the one due now and the next (the dispatcher's claim), and
 * where it continues after a pause (resume). Each type's functions live in
 * lib/type_<name>.c. Adding a type is an enum value and its functions'
 * declarations here, a row in task_type.c and that file (HACKING.md,
 * "Add a task type").
 *
 * An *occurrence* is one scheduled firing of a task; its *slot* is the
 * time it was scheduled for. Times are UTC seconds since 1970.
 */
#ifndef SCHED_TASK_TYPE_H
#define SCHED_TASK_TYPE_H

#include <stddef.h>
#include <stdint.h>
#include <json-c/json.h>

#include "config.h"
#include "cron.h"
#include "datetime.h"
#include "db.h"
#include "schedule.h"

/* The task types; the value indexes task_types[]. */
enum task_kind { TASK_ONE_TIME, TASK_PERIODIC, TASK_CRON, TASK_KIND_COUNT };

/* The longest period a periodic task may have: ten years. */
#define TASK_MAX_FREQUENCY 315360000LL

/*
 * The schedule fields of a task body. Each type names the ones that belong
 * to it; any other one, when present and not null, is refused (400).
 */
enum {
	TASK_F_RUN_DATETIME = 1 << 0,
	TASK_F_FREQUENCY = 1 << 1,
	TASK_F_START_DATETIME = 1 << 2,
	TASK_F_END_DATETIME = 1 << 3,	/* and its alias stop_datetime */
	TASK_F_CRON = 1 << 4,
	TASK_F_TIMEZONE = 1 << 5,
};

/*
 * A task's schedule, as a body gives it and as its row stores it. Which
 * members mean something depends on kind (see each type's file).
 */
struct task_schedule {
	enum task_kind kind;
	int64_t next_run_at;	/* the stored next slot; SCHEDULE_NONE: none */
	int64_t run_at;		/* one_time */
	long long frequency;	/* periodic, in seconds */
	int64_t start, end;	/* periodic, cron; end SCHEDULE_NO_END if none */
	char cron[256];		/* cron: the expression as sent */
	char zone[65];		/* cron: IANA zone name */
	struct cron_expr expr;	/* cron: cron parsed, when expr_ok */
	int expr_ok;
	/*
	 * For parse: the TASK_F_* fields a change of a stored task (PATCH)
	 * keeps as they were, which need not be in the future. 0 for a new
	 * task, so every time a create gives is checked.
	 */
	unsigned kept;
};

/*
 * Where a field check failed: the client message goes into err, the
 * field's name into *field.
 */
struct task_check {
	char *err;
	size_t errlen;
	const char **field;
};

struct task_type {
	/*
	 * The words task_type accepts for it; the first is its name, stored
	 * in tasks.task_type and shown.
	 */
	const char *const *words;
	unsigned fields;		/* TASK_F_* that belong to the type */
	/*
	 * Reads and checks the type's fields of a task's body (cfg's
	 * min_frequency applies) at time now into s, and sets
	 * s->next_run_at to the first occurrence at or after now (a new
	 * task's first; a changed schedule's next, docs/API.md §14.3). The
	 * future checks skip the fields in s->kept. -1 on a refusal.
	 */
	int (*parse)(struct json_object *body, const struct config *cfg,
	    int64_t now, struct task_schedule *s, struct task_check *c);
	/* For a task due at now: see occurrence_plan in occurrence.h. */
	int (*plan)(const struct task_schedule *s, int64_t now, int64_t *slot,
	    int64_t *next);
	/*
	 * Where a paused task continues when resumed at now: its next slot
	 * (SCHEDULE_NONE when none is left; CRON_ZONE_ERROR when that cannot
	 * be known now).
	 */
	int64_t (*resume)(const struct task_schedule *s, int64_t now);
};

/* The table, indexed by enum task_kind (task_type.c). */
extern const struct task_type task_types[TASK_KIND_COUNT];

/* The stored name of a type: "one_time", "periodic", "cron". */
const char *task_kind_name(enum task_kind kind);

/* The type of a stored name; -1 when none has it. */
int task_kind_of_name(const char *name);

/*
 * The type a word of task_type means (len bytes, whole-length match: a NUL
 * inside does not cut it); -1 when no type accepts it.
 */
int task_kind_of_word(const char *word, size_t len);

/* "one_time, periodic, interval, cron": every type's words, for messages. */
const char *task_type_word_list(void);

/*
 * Refuses the first schedule field of body that does not belong to kind;
 * 0 when there is none.
 */
int task_type_foreign_fields(struct json_object *body, enum task_kind kind,
    struct task_check *c);

/*
 * The schedule columns of a tasks row, in one list (lib/db.h's form):
 * every statement that reads a schedule selects TASK_SCHEDULE_SELECT after
 * its own columns, task_schedule_read reads them by these names from
 * there, and the INSERT of a new task names TASK_SCHEDULE_INSERT and binds
 * task_schedule_params.
 */
#define TASK_SCHEDULE_COLUMNS(X, SEP) \
	X(TASK_SCHEDULE_COL_TYPE, "task_type") SEP \
	X(TASK_SCHEDULE_COL_NEXT_RUN_AT, "next_run_at") SEP \
	X(TASK_SCHEDULE_COL_FREQUENCY, "frequency") SEP \
	X(TASK_SCHEDULE_COL_START, "start_at") SEP \
	X(TASK_SCHEDULE_COL_END, "end_at") SEP \
	X(TASK_SCHEDULE_COL_RUN_AT, "run_at") SEP \
	X(TASK_SCHEDULE_COL_CRON, "cron_expr") SEP \
	X(TASK_SCHEDULE_COL_ZONE, "timezone")
enum { DB_COLUMNS_ENUM(TASK_SCHEDULE_COLUMNS) TASK_SCHEDULE_NCOLS };
#define TASK_SCHEDULE_SELECT_(name, col) "t." col
#define TASK_SCHEDULE_VALUES_(name, col) "?"
/* "t.task_type, ..., t.timezone": the table is aliased t. */
#define TASK_SCHEDULE_SELECT \
	TASK_SCHEDULE_COLUMNS(TASK_SCHEDULE_SELECT_, ", ")
/* The same without the alias (an INSERT's list), and as many "?". */
#define TASK_SCHEDULE_INSERT DB_COLUMNS_SQL(TASK_SCHEDULE_COLUMNS)
#define TASK_SCHEDULE_VALUES \
	TASK_SCHEDULE_COLUMNS(TASK_SCHEDULE_VALUES_, ", ")

/*
 * Fills s from the schedule columns of the current row, the first at
 * column first. A cron expression that does not parse leaves expr_ok 0
 * and its error in err. Returns -1 for a type no row knows.
 */
int task_schedule_read(const struct db_rows *rows, unsigned first,
    struct task_schedule *s, char *err, size_t errlen);

/*
 * Adds the schedule's fields of the task object (frequency,
 * start_datetime, end_datetime, run_datetime, cron, timezone, in column
 * order; null where the column is) to o from the current row, the first
 * schedule column at first. task_type and next_run_datetime are the
 * caller's: they are shown elsewhere in the object.
 */
void task_schedule_view(const struct db_rows *rows, unsigned first,
    struct json_object *o);

/*
 * The schedule of a changed task as a body of its type's fields, into o:
 * each field of s as a body gives it, unless body (the change) has it,
 * null included, or an alias of it (stop_datetime), which then stands.
 */
void task_schedule_merge(const struct task_schedule *s,
    struct json_object *body, struct json_object *o);

/* The text of the times task_schedule_params binds; must outlive them. */
struct task_schedule_text {
	char next_run_at[DATETIME_SQL_LEN], run_at[DATETIME_SQL_LEN],
	    start[DATETIME_SQL_LEN], end[DATETIME_SQL_LEN];
};

/*
 * The values of s for the columns of TASK_SCHEDULE_COLUMNS, in that order,
 * into p: NULL for each field that does not belong to its type.
 */
void task_schedule_params(const struct task_schedule *s,
    struct task_schedule_text *text, struct db_param p[TASK_SCHEDULE_NCOLS]);

/* For the type files: field readers that name the field on a refusal. */
struct json_object *task_field(struct json_object *body, const char *name);
int task_check_fail(struct task_check *c, const char *field, const char *fmt,
    ...) __attribute__((format(printf, 3, 4)));
int task_check_failed_at(struct task_check *c, const char *field);
int task_field_datetime(struct json_object *body, const char *name,
    int64_t *out, int *present, struct task_check *c);
/*
 * A datetime field a type requires, after now unless kept (TASK_F_* bits)
 * has it ("NAME is required for ...").
 */
int task_field_future(struct json_object *body, const char *name,
    enum task_kind kind, int64_t now, unsigned kept, int64_t *out,
    struct task_check *c);
int task_field_end(struct json_object *body, struct task_schedule *s,
    struct task_check *c);
int task_field_string(struct json_object *v, char *buf, size_t n);

/* Each type's functions, in lib/type_<name>.c (see struct task_type). */
int type_one_time_parse(struct json_object *, const struct config *,
    int64_t, struct task_schedule *, struct task_check *);
int type_one_time_plan(const struct task_schedule *, int64_t, int64_t *,
    int64_t *);
int64_t type_one_time_resume(const struct task_schedule *, int64_t);
int type_periodic_parse(struct json_object *, const struct config *,
    int64_t, struct task_schedule *, struct task_check *);
int type_periodic_plan(const struct task_schedule *, int64_t, int64_t *,
    int64_t *);
int64_t type_periodic_resume(const struct task_schedule *, int64_t);
int type_cron_parse(struct json_object *, const struct config *,
    int64_t, struct task_schedule *, struct task_check *);
int type_cron_plan(const struct task_schedule *, int64_t, int64_t *,
    int64_t *);
int64_t type_cron_resume(const struct task_schedule *, int64_t);

#endif
