/*
 * db: one MariaDB connection with lazily prepared statements and bound
 * parameters only. Result columns come back as text (MariaDB converts), so
 * callers read every type the same way. A *statement* is a struct db_stmt
 * holding fixed SQL; it is prepared on first use per connection.
 */
#ifndef SCHED_DB_H
#define SCHED_DB_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <mysql.h>

#include "config.h"

/* Return codes of every db_* call that can fail. */
enum db_status {
	DB_OK = 0,
	DB_ERROR = -1,		/* a bug or a constraint: answer 500 */
	DB_AWAY = -2,		/* the server is gone or unreachable: answer 503 */
	DB_DUPLICATE = -3,	/* a unique key refused the row */
	DB_RETRY = -4,		/* deadlock or lock wait timeout: retry the transaction */
};

#define DB_MAX_STMTS 64
#define DB_MAX_PARAMS 32
#define DB_MAX_COLS 32

struct db_stmt {
	const char *sql;
	int slot;		/* index in db->stmts, assigned on first use */
};
#define DB_STMT(text) { (text), -1 }

struct db {
	MYSQL *conn;
	MYSQL_STMT *stmts[DB_MAX_STMTS];
	int n_slots;
	char err[512];		/* the last error, for logs */
	unsigned errnum;	/* its MariaDB number; 0 when it came from here */
};

enum db_ptype { DBP_NULL, DBP_INT, DBP_UINT, DBP_TEXT, DBP_BLOB };

struct db_param {
	enum db_ptype type;
	long long i;
	const char *s;
	size_t len;
};

#define P_INT(v) ((struct db_param){ DBP_INT, (long long)(v), NULL, 0 })
#define P_UINT(v) ((struct db_param){ DBP_UINT, (long long)(v), NULL, 0 })
#define P_TEXT(p, n) ((struct db_param){ DBP_TEXT, 0, (p), (n) })
#define P_STR(p) ((struct db_param){ DBP_TEXT, 0, (p), strlen(p) })
/* Bytes compared as bytes (BINARY columns); never converted by charset. */
#define P_BLOB(p, n) ((struct db_param){ DBP_BLOB, 0, (const char *)(p), (n) })
#define P_NULL ((struct db_param){ DBP_NULL, 0, NULL, 0 })
/* A NULL pointer becomes SQL NULL. */
#define P_STR_OR_NULL(p) ((p) ? P_STR(p) : P_NULL)

/*
 * Column lists written once. A list is a macro of a column maker X and a
 * separator SEP, each column X(its number's name, its SQL text):
 *
 *	#define USER_COLUMNS(X, SEP) \
 *		X(USER_COL_ID, "u.id") SEP \
 *		X(USER_COL_ROLE, "u.role")
 *
 * DB_COLUMNS_SQL(USER_COLUMNS) is the SELECT list "u.id, u.role", and
 * enum { DB_COLUMNS_ENUM(USER_COLUMNS) USER_NCOLS } numbers the same
 * columns in the same order, with their count last: a reader cannot
 * disagree with its query. A list selected after another (a join's
 * columns after the task's) is read at the first list's count plus its
 * own numbers.
 */
#define DB_COLUMN_SQL_(name, sql) sql
#define DB_COLUMN_ENUM_(name, sql) name,
#define DB_COLUMNS_SQL(list) list(DB_COLUMN_SQL_, ", ")
#define DB_COLUMNS_ENUM(list) list(DB_COLUMN_ENUM_, )

/* The column of a query that selects a single one (COUNT(*), an id). */
#define DB_ONLY_COL 0

/* A result set read row by row; each column is text or SQL NULL. */
struct db_rows {
	MYSQL_STMT *stmt;
	unsigned ncols;
	MYSQL_BIND bind[DB_MAX_COLS];
	unsigned long lengths[DB_MAX_COLS];
	my_bool nulls[DB_MAX_COLS];
	my_bool errors[DB_MAX_COLS];
	char *bufs[DB_MAX_COLS];
	size_t caps[DB_MAX_COLS];
};

/*
 * Connects with utf8mb4, UTC session time zone and READ COMMITTED; the
 * timeouts (seconds) bound connect, read and write. DB_OK or DB_AWAY.
 */
int db_connect(struct db *db, const struct config *cfg, unsigned timeout_s);
void db_close(struct db *db);

/* Runs a statement that returns no rows; affected/insert_id may be NULL. */
int db_exec(struct db *db, struct db_stmt *st, const struct db_param *params,
    int nparams, unsigned long long *affected, unsigned long long *insert_id);

/* Runs a query; on DB_OK the caller reads rows then calls db_rows_free. */
int db_query(struct db *db, struct db_stmt *st, const struct db_param *params,
    int nparams, struct db_rows *rows);
/* 1: a row is ready; 0: no more rows; < 0: a db_status. */
int db_rows_next(struct db_rows *rows);
/* The column's text (NUL-terminated; *len may be NULL), or NULL for SQL NULL. */
const char *db_col(const struct db_rows *rows, unsigned col, size_t *len);
long long db_col_int(const struct db_rows *rows, unsigned col, long long if_null);
/* A DATETIME column as Unix seconds; if_null for SQL NULL or other text. */
int64_t db_col_time(const struct db_rows *rows, unsigned col, int64_t if_null);
void db_rows_free(struct db_rows *rows);

/*
 * 1 when the last failure was a duplicate entry (DB_DUPLICATE) refused by
 * the unique key called key, else 0.
 */
int db_duplicate_of(const struct db *db, const char *key);

/* Transactions on the connection; each returns a db_status. */
int db_begin(struct db *db);
int db_commit(struct db *db);
void db_rollback(struct db *db);

/* Runs a fixed SQL text with no parameters (SET, DDL from migrations). */
int db_run_text(struct db *db, const char *sql, size_t len);

#endif
