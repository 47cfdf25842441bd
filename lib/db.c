/*
 * db: MariaDB Connector/C behind a small API. Every statement is prepared
 * once per connection and run with bound parameters; results are bound as
 * text and grown on truncation. Errors map to enum db_status so that callers
 * can tell "database away" (503) from a real fault (500).
 */
#include "db.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errmsg.h>
#include <mysqld_error.h>

#include "datetime.h"

#define DB_COL_INITIAL 256

static int
db_classify(unsigned code)
{
	switch (code) {
	case ER_DUP_ENTRY:
		return DB_DUPLICATE;
	case ER_LOCK_DEADLOCK:
	case ER_LOCK_WAIT_TIMEOUT:
		return DB_RETRY;
	case CR_CONNECTION_ERROR:
	case CR_CONN_HOST_ERROR:
	case CR_SERVER_GONE_ERROR:
	case CR_SERVER_LOST:
	case CR_SERVER_LOST_EXTENDED:
	case CR_COMMANDS_OUT_OF_SYNC:
	case ER_SERVER_SHUTDOWN:
	case ER_CONNECTION_KILLED:
	case 4031: /* ER_CLIENT_INTERACTION_TIMEOUT */
		return DB_AWAY;
	default:
		/* A statement that died with its connection has no code of its own. */
		return code == 0 ? DB_AWAY : DB_ERROR;
	}
}

static int
db_fail_conn(struct db *db)
{
	unsigned code = db->conn ? mysql_errno(db->conn) : 0;
	snprintf(db->err, sizeof(db->err), "%u: %s", code,
	    db->conn ? mysql_error(db->conn) : "not connected");
	db->errnum = code;
	return db_classify(code);
}

static int
db_fail_stmt(struct db *db, MYSQL_STMT *stmt)
{
	unsigned code = mysql_stmt_errno(stmt);
	snprintf(db->err, sizeof(db->err), "%u: %s", code, mysql_stmt_error(stmt));
	db->errnum = code;
	return db_classify(code);
}

/* A failure found here, not by the server: it has no error number. */
static int db_fail_here(struct db *db, int rc, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int
db_fail_here(struct db *db, int rc, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(db->err, sizeof(db->err), fmt, ap);
	va_end(ap);
	db->errnum = 0;
	return rc;
}

int
db_connect(struct db *db, const struct config *cfg, unsigned timeout_s)
{
	const char *host = cfg->database_host[0] ? cfg->database_host : NULL;
	const char *sock = host ? NULL : cfg->database_socket;

	memset(db, 0, sizeof(*db));
	db->conn = mysql_init(NULL);
	if (db->conn == NULL)
		return db_fail_here(db, DB_ERROR, "mysql_init: out of memory");
	/*
	 * UTC everywhere: DATETIME columns hold UTC and NOW() must agree.
	 * READ COMMITTED takes no gap locks, which keeps inserts of new tasks
	 * from deadlocking with the dispatcher's range claims. A connection
	 * without any of these would be wrong, not slow: none is optional.
	 */
	if (mysql_options(db->conn, MYSQL_OPT_CONNECT_TIMEOUT, &timeout_s) ||
	    mysql_options(db->conn, MYSQL_OPT_READ_TIMEOUT, &timeout_s) ||
	    mysql_options(db->conn, MYSQL_OPT_WRITE_TIMEOUT, &timeout_s) ||
	    mysql_options(db->conn, MYSQL_SET_CHARSET_NAME, "utf8mb4") ||
	    mysql_options(db->conn, MYSQL_INIT_COMMAND,
	    "SET time_zone = '+00:00'") ||
	    mysql_options(db->conn, MYSQL_INIT_COMMAND,
	    "SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED")) {
		db_fail_here(db, DB_ERROR, "mysql_options: %s",
		    mysql_error(db->conn));
		mysql_close(db->conn);
		db->conn = NULL;
		return DB_ERROR;
	}
	if (mysql_real_connect(db->conn, host, cfg->database_user,
	    cfg->database_password, cfg->database_name,
	    (unsigned)cfg->database_port, sock, 0) == NULL) {
		int rc = db_fail_conn(db);
		mysql_close(db->conn);
		db->conn = NULL;
		/* Wrong password or database is fatal for callers, not "away". */
		return rc == DB_ERROR ? DB_ERROR : DB_AWAY;
	}
	return DB_OK;
}

void
db_close(struct db *db)
{
	for (int i = 0; i < db->n_slots; i++) {
		if (db->stmts[i] != NULL)
			mysql_stmt_close(db->stmts[i]);
		db->stmts[i] = NULL;
	}
	if (db->conn != NULL)
		mysql_close(db->conn);
	db->conn = NULL;
}

/* Returns the prepared statement for st on this connection, preparing it once. */
static MYSQL_STMT *
db_prepare(struct db *db, struct db_stmt *st, int *rc)
{
	/* Slots are global per process: one struct db_stmt, one slot. */
	static int next_slot;

	if (db->conn == NULL) {
		*rc = db_fail_here(db, DB_AWAY, "not connected");
		return NULL;
	}
	if (st->slot < 0) {
		if (next_slot >= DB_MAX_STMTS) {
			*rc = db_fail_here(db, DB_ERROR, "too many statements");
			return NULL;
		}
		st->slot = next_slot++;
	}
	if (st->slot >= db->n_slots)
		db->n_slots = st->slot + 1;
	if (db->stmts[st->slot] != NULL)
		return db->stmts[st->slot];

	MYSQL_STMT *stmt = mysql_stmt_init(db->conn);
	if (stmt == NULL) {
		*rc = db_fail_conn(db);
		return NULL;
	}
	if (mysql_stmt_prepare(stmt, st->sql, strlen(st->sql)) != 0) {
		*rc = db_fail_stmt(db, stmt);
		mysql_stmt_close(stmt);
		return NULL;
	}
	db->stmts[st->slot] = stmt;
	return stmt;
}

/* Binds the n parameters to stmt and executes it; a db_status. */
static int
db_bind_execute(struct db *db, MYSQL_STMT *stmt, const struct db_param *params,
    int n)
{
	MYSQL_BIND bind[DB_MAX_PARAMS];
	unsigned long lens[DB_MAX_PARAMS];
	my_bool is_null = 1;

	if (n > DB_MAX_PARAMS || (unsigned)n != mysql_stmt_param_count(stmt))
		return db_fail_here(db, DB_ERROR, "parameter count %d != %lu", n,
		    mysql_stmt_param_count(stmt));
	memset(bind, 0, sizeof(bind));
	for (int i = 0; i < n; i++) {
		switch (params[i].type) {
		case DBP_NULL:
			bind[i].buffer_type = MYSQL_TYPE_NULL;
			bind[i].is_null = &is_null;
			break;
		case DBP_INT:
		case DBP_UINT:
			bind[i].buffer_type = MYSQL_TYPE_LONGLONG;
			bind[i].buffer = (void *)&params[i].i;
			bind[i].is_unsigned = params[i].type == DBP_UINT;
			break;
		case DBP_TEXT:
		case DBP_BLOB:
			lens[i] = params[i].len;
			bind[i].buffer_type = params[i].type == DBP_BLOB ?
			    MYSQL_TYPE_BLOB : MYSQL_TYPE_STRING;
			bind[i].buffer = (void *)params[i].s;
			bind[i].buffer_length = params[i].len;
			bind[i].length = &lens[i];
			break;
		}
	}
	if (n > 0 && mysql_stmt_bind_param(stmt, bind) != 0)
		return db_fail_stmt(db, stmt);
	if (mysql_stmt_execute(stmt) != 0)
		return db_fail_stmt(db, stmt);
	return DB_OK;
}

/*
 * A failed statement is closed and prepared again at its next use: on a
 * dead connection it is gone anyway, and one that failed half-way through
 * its result (a lock wait timeout or deadlock found while rows were being
 * read) leaves the statement in a state in which the next command on the
 * connection waited for the read timeout, and the connection was taken
 * for lost.
 */
static int
db_after_failure(struct db *db, struct db_stmt *st, int rc)
{
	if (st->slot >= 0 && db->stmts[st->slot] != NULL) {
		mysql_stmt_close(db->stmts[st->slot]);
		db->stmts[st->slot] = NULL;
	}
	return rc;
}

int
db_exec(struct db *db, struct db_stmt *st, const struct db_param *params,
    int nparams, unsigned long long *affected, unsigned long long *insert_id)
{
	int rc = DB_OK;
	MYSQL_STMT *stmt = db_prepare(db, st, &rc);

	if (stmt == NULL)
		return db_after_failure(db, st, rc);
	rc = db_bind_execute(db, stmt, params, nparams);
	if (rc != DB_OK)
		return db_after_failure(db, st, rc);
	if (affected != NULL)
		*affected = mysql_stmt_affected_rows(stmt);
	if (insert_id != NULL)
		*insert_id = mysql_stmt_insert_id(stmt);
	/* Statements that return rows are drained so the next call can run. */
	mysql_stmt_free_result(stmt);
	return DB_OK;
}

int
db_query(struct db *db, struct db_stmt *st, const struct db_param *params,
    int nparams, struct db_rows *rows)
{
	int rc = DB_OK;
	MYSQL_STMT *stmt;

	memset(rows, 0, sizeof(*rows));
	stmt = db_prepare(db, st, &rc);
	if (stmt == NULL)
		return db_after_failure(db, st, rc);
	rc = db_bind_execute(db, stmt, params, nparams);
	if (rc != DB_OK)
		return db_after_failure(db, st, rc);

	rows->stmt = stmt;
	rows->ncols = mysql_stmt_field_count(stmt);
	if (rows->ncols > DB_MAX_COLS) {
		mysql_stmt_free_result(stmt);
		return db_fail_here(db, DB_ERROR, "too many columns");
	}
	for (unsigned i = 0; i < rows->ncols; i++) {
		rows->caps[i] = DB_COL_INITIAL;
		rows->bufs[i] = malloc(DB_COL_INITIAL);
		if (rows->bufs[i] == NULL) {
			db_rows_free(rows);
			return db_fail_here(db, DB_ERROR, "out of memory");
		}
		rows->bind[i].buffer_type = MYSQL_TYPE_STRING;
		rows->bind[i].buffer = rows->bufs[i];
		rows->bind[i].buffer_length = DB_COL_INITIAL - 1;
		rows->bind[i].length = &rows->lengths[i];
		rows->bind[i].is_null = &rows->nulls[i];
		rows->bind[i].error = &rows->errors[i];
	}
	if (mysql_stmt_bind_result(stmt, rows->bind) != 0 ||
	    mysql_stmt_store_result(stmt) != 0) {
		rc = db_fail_stmt(db, stmt);
		db_rows_free(rows);
		return db_after_failure(db, st, rc);
	}
	return DB_OK;
}

/* Grows the buffer of each truncated column and fetches it whole. */
static int
db_refetch_truncated(struct db_rows *rows)
{
	for (unsigned i = 0; i < rows->ncols; i++) {
		if (!rows->errors[i] || rows->nulls[i])
			continue;
		size_t need = rows->lengths[i] + 1;
		char *p = realloc(rows->bufs[i], need);
		if (p == NULL)
			return DB_ERROR;
		rows->bufs[i] = p;
		rows->caps[i] = need;
		rows->bind[i].buffer = p;
		rows->bind[i].buffer_length = need - 1;
		if (mysql_stmt_fetch_column(rows->stmt, &rows->bind[i], i, 0) != 0)
			return DB_ERROR;
		rows->errors[i] = 0;
	}
	/* Later rows are fetched into the grown buffers. */
	return mysql_stmt_bind_result(rows->stmt, rows->bind) == 0 ? DB_OK : DB_ERROR;
}

int
db_rows_next(struct db_rows *rows)
{
	int r = mysql_stmt_fetch(rows->stmt);

	if (r == MYSQL_NO_DATA)
		return 0;
	if (r == MYSQL_DATA_TRUNCATED) {
		if (db_refetch_truncated(rows) != DB_OK)
			return DB_ERROR;
	} else if (r != 0)
		return db_classify(mysql_stmt_errno(rows->stmt));
	for (unsigned i = 0; i < rows->ncols; i++)
		if (!rows->nulls[i])
			rows->bufs[i][rows->lengths[i]] = '\0';
	return 1;
}

const char *
db_col(const struct db_rows *rows, unsigned col, size_t *len)
{
	if (col >= rows->ncols || rows->nulls[col])
		return NULL;
	if (len != NULL)
		*len = rows->lengths[col];
	return rows->bufs[col];
}

long long
db_col_int(const struct db_rows *rows, unsigned col, long long if_null)
{
	const char *s = db_col(rows, col, NULL);
	return s ? strtoll(s, NULL, 10) : if_null;
}

int64_t
db_col_time(const struct db_rows *rows, unsigned col, int64_t if_null)
{
	const char *s = db_col(rows, col, NULL);
	int64_t t;

	if (s == NULL || datetime_parse_sql(s, &t, NULL) < 0)
		return if_null;
	return t;
}

void
db_rows_free(struct db_rows *rows)
{
	if (rows->stmt != NULL)
		mysql_stmt_free_result(rows->stmt);
	for (unsigned i = 0; i < rows->ncols; i++)
		free(rows->bufs[i]);
	memset(rows, 0, sizeof(*rows));
}

int
db_run_text(struct db *db, const char *sql, size_t len)
{
	if (db->conn == NULL)
		return DB_AWAY;
	if (mysql_real_query(db->conn, sql, len) != 0)
		return db_fail_conn(db);
	/* Drain any result so the connection stays usable. */
	do {
		MYSQL_RES *res = mysql_store_result(db->conn);
		if (res != NULL)
			mysql_free_result(res);
	} while (mysql_next_result(db->conn) == 0);
	return mysql_errno(db->conn) ? db_fail_conn(db) : DB_OK;
}

/*
 * MariaDB names the key that refused a row only in the message text:
 * "Duplicate entry '<value>' for key '<key>'". The error number comes
 * first, so no other error's text can count. The key is then matched as
 * the message's end, not searched for anywhere in it: the value quoted
 * before it is the row's own data (a task's name) and may spell any key's
 * name. A message cut short by db->err's size does not match: keys of
 * short values (ids, names) are the ones worth telling apart.
 */
int
db_duplicate_of(const struct db *db, const char *key)
{
	char tail[96];
	size_t len = strlen(db->err);
	int n;

	if (db->errnum != ER_DUP_ENTRY)
		return 0;
	n = snprintf(tail, sizeof(tail), " for key '%s'", key);
	if (n < 0 || (size_t)n >= sizeof(tail) || (size_t)n > len)
		return 0;
	return memcmp(db->err + len - (size_t)n, tail, (size_t)n) == 0;
}

int
db_begin(struct db *db)
{
	return db_run_text(db, "START TRANSACTION", 17);
}

int
db_commit(struct db *db)
{
	if (db->conn == NULL)
		return DB_AWAY;
	return mysql_commit(db->conn) == 0 ? DB_OK : db_fail_conn(db);
}

void
db_rollback(struct db *db)
{
	if (db->conn != NULL)
		(void)mysql_rollback(db->conn);
}
