/*
 * migrate: finds NNN_name.sql files in the schema directory, and under a
 * named database lock (so two migrators never race) applies those whose
 * version schema_migrations does not hold, one statement at a time,
 * recording each file once it has fully applied. Running it again is a
 * no-op ("up to date").
 */
#include "migrate.h"
#include "sqlsplit.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MIGRATE_MAX_FILES 10000
#define MIGRATE_MAX_BYTES (16L * 1024 * 1024)
#define MIGRATE_NAME_MAX 255	/* schema_migrations.name */
/* DDL on a big table can take long: reads wait up to an hour. */
#define MIGRATE_DB_TIMEOUT 3600

struct migration {
	long long version;
	char name[MIGRATE_NAME_MAX + 1];	/* the file name */
};

struct migrate_list {
	struct migration *items;
	size_t n, cap;
};

static const char migrate_table_sql[] =
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    " version INT NOT NULL COMMENT 'NNN of the file NNN_name.sql',"
    " name VARCHAR(255) NOT NULL COMMENT 'the file name',"
    " applied_at DATETIME NOT NULL COMMENT 'UTC',"
    " PRIMARY KEY (version)"
    ") ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin"
    " COMMENT 'migrations applied by schedulerctl migrate'";

/* The lock wait (30 s) is part of the SQL text, fixed here. */
static struct db_stmt st_lock = DB_STMT(
    "SELECT GET_LOCK('scheduler_migrate', 30)");
static struct db_stmt st_unlock = DB_STMT(
    "SELECT RELEASE_LOCK('scheduler_migrate')");
static struct db_stmt st_applied = DB_STMT(
    "SELECT 1 FROM schema_migrations WHERE version = ?");
static struct db_stmt st_record = DB_STMT(
    "INSERT INTO schema_migrations (version, name, applied_at)"
    " VALUES (?, ?, UTC_TIMESTAMP())");
static struct db_stmt st_latest = DB_STMT(
    "SELECT MAX(version) FROM schema_migrations");

static const char *
migrate_default_dir(void)
{
	const char *env = getenv("SCHEDULER_SCHEMA_DIR");

	return env != NULL && *env != '\0' ? env : PKGDATADIR "/schema";
}

/*
 * Parses "NNN_name.sql" into m. 1: a migration; 0: not one (other files);
 * -1: looks like one but is malformed (reason in err).
 */
static int
migrate_parse_name(const char *file, struct migration *m, char *err,
    size_t errlen)
{
	size_t len = strlen(file), digits = strspn(file, "0123456789");

	if (len < 4 || strcmp(file + len - 4, ".sql") != 0 || digits == 0)
		return 0;
	if (file[digits] != '_' || digits > 9 || len > MIGRATE_NAME_MAX) {
		snprintf(err, errlen, "%s: expected NNN_name.sql (at most 9 "
		    "digits, %d characters)", file, MIGRATE_NAME_MAX);
		return -1;
	}
	m->version = strtoll(file, NULL, 10);
	snprintf(m->name, sizeof(m->name), "%s", file);
	return 1;
}

static int
migrate_cmp(const void *a, const void *b)
{
	const struct migration *x = a, *y = b;

	return (x->version > y->version) - (x->version < y->version);
}

static int
migrate_add(struct migrate_list *l, const struct migration *m)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 16;
		void *p = realloc(l->items, cap * sizeof(*l->items));
		if (p == NULL)
			return -1;
		l->items = p;
		l->cap = cap;
	}
	l->items[l->n++] = *m;
	return 0;
}

/* Lists dir's migrations in version order; 0, or -1 with err. */
static int
migrate_scan(const char *dir, struct migrate_list *l, char *err, size_t errlen)
{
	struct dirent *de;
	struct migration m;
	int rc = -1;
	DIR *d = opendir(dir);

	if (d == NULL) {
		snprintf(err, errlen, "schema directory %s: %s", dir,
		    strerror(errno));
		return -1;
	}
	while ((de = readdir(d)) != NULL) {
		int r = migrate_parse_name(de->d_name, &m, err, errlen);
		if (r < 0)
			goto out;
		if (r == 0)
			continue;
		if (l->n >= MIGRATE_MAX_FILES || migrate_add(l, &m) < 0) {
			snprintf(err, errlen, "%s: too many files", dir);
			goto out;
		}
	}
	qsort(l->items, l->n, sizeof(*l->items), migrate_cmp);
	for (size_t i = 1; i < l->n; i++) {
		if (l->items[i].version == l->items[i - 1].version) {
			snprintf(err, errlen, "%s and %s have the same version %lld",
			    l->items[i - 1].name, l->items[i].name,
			    l->items[i].version);
			goto out;
		}
	}
	if (l->n == 0) {
		snprintf(err, errlen, "no migrations (NNN_name.sql) in %s", dir);
		goto out;
	}
	rc = 0;
out:
	closedir(d);
	return rc;
}

/* Reads a whole file into a malloc'd buffer; NULL with the reason in err. */
static char *
migrate_read(const char *path, size_t *len, char *err, size_t errlen)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t n = 0, cap = 0;

	if (f == NULL) {
		snprintf(err, errlen, "%s", strerror(errno));
		return NULL;
	}
	for (;;) {
		if (n == cap) {
			char *p;
			cap = cap ? cap * 2 : 65536;
			if ((long)cap > MIGRATE_MAX_BYTES + 1 ||
			    (p = realloc(buf, cap)) == NULL) {
				snprintf(err, errlen, "larger than %ld bytes",
				    MIGRATE_MAX_BYTES);
				goto fail;
			}
			buf = p;
		}
		size_t got = fread(buf + n, 1, cap - n, f);
		n += got;
		if (got == 0)
			break;
	}
	if (ferror(f)) {
		snprintf(err, errlen, "read error");
		goto fail;
	}
	fclose(f);
	*len = n;
	return buf;
fail:
	free(buf);
	fclose(f);
	return NULL;
}

/* 1 if version is recorded, 0 if not, < 0 a db_status. */
static int
migrate_is_applied(struct db *db, long long version)
{
	struct db_param p[] = { P_INT(version) };
	struct db_rows rows;
	int rc = db_query(db, &st_applied, p, 1, &rows);

	if (rc != DB_OK)
		return rc;
	rc = db_rows_next(&rows);
	db_rows_free(&rows);
	return rc;
}

/*
 * Runs every statement of one migration file, then records it. CTL_OK, or
 * CTL_FAIL after saying which statement failed.
 */
static int
migrate_apply(struct ctl *ctl, struct db *db, const char *dir,
    const struct migration *m)
{
	char path[4096], err[512];
	struct sqlsplit sp;
	struct sqlsplit_stmt s;
	struct db_param p[2];
	size_t len;
	unsigned count = 0;
	int r, rc = CTL_FAIL;
	char *text;

	if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, m->name) >=
	    sizeof(path)) {
		ctl_error("%s: path too long", dir);
		return CTL_FAIL;
	}
	if ((text = migrate_read(path, &len, err, sizeof(err))) == NULL) {
		ctl_error("%s: %s", path, err);
		return CTL_FAIL;
	}
	/* A file that does not split cleanly is refused before it runs. */
	sqlsplit_init(&sp, text, len);
	while ((r = sqlsplit_next(&sp, &s)) == 1)
		;
	if (r < 0) {
		ctl_error("%s:%u: unterminated quote or comment", path, s.line);
		goto out;
	}
	sqlsplit_init(&sp, text, len);
	while (sqlsplit_next(&sp, &s) == 1) {
		if ((r = db_run_text(db, text + s.start, s.len)) != DB_OK) {
			ctl_error("%s:%u: statement failed: %s", path, s.line,
			    db->err);
			if (count > 0)
				ctl_error("the %u statement(s) before it stay "
				    "applied (DDL cannot be rolled back): repair "
				    "by hand, then run migrate again", count);
			goto out;
		}
		count++;
	}
	p[0] = P_INT(m->version);
	p[1] = P_STR(m->name);
	if ((r = db_exec(db, &st_record, p, 2, NULL, NULL)) != DB_OK) {
		ctl_db_fail(ctl, r, "recording the migration");
		goto out;
	}
	printf("applied %s (%u statement%s)\n", m->name, count,
	    count == 1 ? "" : "s");
	rc = CTL_OK;
out:
	free(text);
	return rc;
}

/* Takes the migration lock; CTL_OK or CTL_FAIL. */
static int
migrate_lock(struct ctl *ctl, struct db *db)
{
	struct db_rows rows;
	const char *v;
	int rc = db_query(db, &st_lock, NULL, 0, &rows);

	if (rc != DB_OK)
		return ctl_db_fail(ctl, rc, "taking the migration lock");
	rc = db_rows_next(&rows);
	v = rc == 1 ? db_col(&rows, DB_ONLY_COL, NULL) : NULL;
	rc = v != NULL && strcmp(v, "1") == 0 ? CTL_OK : CTL_FAIL;
	db_rows_free(&rows);
	if (rc != CTL_OK)
		ctl_error("another schedulerctl migrate has held the lock "
		    "'scheduler_migrate' for 30 s; try again when it is done");
	return rc;
}

/* Applies what is pending; CTL_OK or CTL_FAIL. The lock is held. */
static int
migrate_pending(struct ctl *ctl, struct db *db, const char *dir,
    const struct migrate_list *l)
{
	struct db_rows rows;
	unsigned applied = 0;
	long long latest;
	int rc;

	if ((rc = db_run_text(db, migrate_table_sql,
	    sizeof(migrate_table_sql) - 1)) != DB_OK)
		return ctl_db_fail(ctl, rc, "creating schema_migrations");
	for (size_t i = 0; i < l->n; i++) {
		rc = migrate_is_applied(db, l->items[i].version);
		if (rc < 0)
			return ctl_db_fail(ctl, rc, "reading schema_migrations");
		if (rc == 1)
			continue;
		if (migrate_apply(ctl, db, dir, &l->items[i]) != CTL_OK)
			return CTL_FAIL;
		applied++;
	}
	if ((rc = db_query(db, &st_latest, NULL, 0, &rows)) != DB_OK)
		return ctl_db_fail(ctl, rc, "reading schema_migrations");
	latest = db_rows_next(&rows) == 1 ?
	    db_col_int(&rows, DB_ONLY_COL, 0) : 0;
	db_rows_free(&rows);
	if (latest > l->items[l->n - 1].version)
		ctl_error("warning: the database is at version %lld, newer than "
		    "the newest file in %s", latest, dir);
	if (applied == 0)
		printf("schema up to date (version %lld)\n", latest);
	else
		printf("schema now at version %lld\n", latest);
	return CTL_OK;
}

int
migrate_run(struct ctl *ctl, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "schema-dir", required_argument, NULL, 'd' },
		{ NULL, 0, NULL, 0 },
	};
	struct migrate_list list = { NULL, 0, 0 };
	struct db_rows rows;
	const char *dir = NULL;
	char err[1024];
	struct db *db;
	int c, rc = CTL_FAIL;

	while ((c = ctl_getopt(ctl, argc, argv, "d:", opts)) != -1) {
		if (c != 'd')
			return CTL_USAGE;
		dir = optarg;
	}
	if (optind != argc)
		return ctl_usage(ctl, "unexpected argument \"%s\"", argv[optind]);
	if (dir == NULL)
		dir = migrate_default_dir();
	if (migrate_scan(dir, &list, err, sizeof(err)) < 0) {
		ctl_error("%s", err);
		goto out;
	}
	if ((db = ctl_db(ctl, MIGRATE_DB_TIMEOUT)) == NULL)
		goto out;
	if (migrate_lock(ctl, db) != CTL_OK)
		goto out;
	rc = migrate_pending(ctl, db, dir, &list);
	/* Closing the connection would free the lock too; say it outright. */
	if (db_query(db, &st_unlock, NULL, 0, &rows) == DB_OK)
		db_rows_free(&rows);
out:
	free(list.items);
	return rc;
}
