/*
 * auth: header parsing (pure) and the one token lookup query.
 */
#include "auth.h"

#include <strings.h>

#include "crypto.h"
#include "db_answer.h"
#include "task_store.h"
#include "task_view.h"

/* The token's user; read at 0, or after the task's columns when joined. */
#define AUTH_USER_COLUMNS(X, SEP) \
	X(AUTH_COL_USER_ID, "u.id") SEP \
	X(AUTH_COL_ROLE, "u.role")
enum { DB_COLUMNS_ENUM(AUTH_USER_COLUMNS) AUTH_USER_NCOLS };

static struct db_stmt st_token = DB_STMT(
	"SELECT " DB_COLUMNS_SQL(AUTH_USER_COLUMNS)
	" FROM api_tokens t JOIN users u ON u.id = t.user_id "
	"WHERE t.token_hash = ? AND t.revoked_at IS NULL "
	"AND (t.expires_at IS NULL OR t.expires_at > UTC_TIMESTAMP()) "
	"AND u.disabled = 0");

/*
 * The same lookup with the user's task joined in: the task's columns come
 * first (task_view_task reads them from 0), the user's after them, from
 * TASK_VIEW_NCOLS. No task by that id gives NULL task columns, never a
 * missing row.
 */
static struct db_stmt st_token_task = DB_STMT(
	"SELECT " TASK_VIEW_SELECT ", "
	DB_COLUMNS_SQL(AUTH_USER_COLUMNS) " "
	"FROM api_tokens k JOIN users u ON u.id = k.user_id "
	"LEFT JOIN tasks t ON t.id = ? AND t.owner_id = u.id "
	"WHERE k.token_hash = ? AND k.revoked_at IS NULL "
	"AND (k.expires_at IS NULL OR k.expires_at > UTC_TIMESTAMP()) "
	"AND u.disabled = 0");

const char *
auth_parse_bearer(const char *header, size_t *len)
{
	const char *p, *end;

	if (header == NULL || strncasecmp(header, "Bearer", 6) != 0 || header[6] != ' ')
		return NULL;
	p = header + 6;
	while (*p == ' ')
		p++;
	end = p + strlen(p);
	while (end > p && (end[-1] == ' ' || end[-1] == '\t'))
		end--;
	if (end == p)
		return NULL;
	/* A token is one word: anything with inner blanks is malformed. */
	for (const char *q = p; q < end; q++)
		if (*q == ' ' || *q == '\t' || (unsigned char)*q < 0x21)
			return NULL;
	*len = (size_t)(end - p);
	return p;
}

int
auth_deny(struct response *res)
{
	http_error(res, 401, MSG_UNAUTHORIZED, NULL);
	res->www_authenticate = 1;
	return -1;
}

int
auth_request(struct request *req, struct db *db, struct response *res,
    int with_task)
{
	unsigned char hash[CRYPTO_SHA256_LEN];
	size_t len;
	const char *token = auth_parse_bearer(req->authorization, &len);
	struct db_rows rows;
	unsigned user = 0;	/* where the user's columns start */
	int rc;

	if (token == NULL)
		return auth_deny(res);
	crypto_sha256(token, len, hash);
	/* An id that cannot be a task's must not reach the ASCII id column. */
	with_task = with_task && task_store_id_valid(req->id);
	if (with_task) {
		struct db_param p[] = { P_STR(req->id), P_BLOB(hash, sizeof(hash)) };
		rc = db_query(db, &st_token_task, p, 2, &rows);
		user = TASK_VIEW_NCOLS;
	} else {
		struct db_param p[] = { P_BLOB(hash, sizeof(hash)) };
		rc = db_query(db, &st_token, p, 1, &rows);
	}
	if (rc != DB_OK) {
		db_answer_error(res, rc);
		return -1;
	}
	rc = db_rows_next(&rows);
	if (rc == 1) {
		const char *role = db_col(&rows, user + AUTH_COL_ROLE, NULL);
		req->user_id = db_col_int(&rows, user + AUTH_COL_USER_ID, 0);
		req->user_is_admin = role != NULL && strcmp(role, "admin") == 0;
		if (with_task && db_col(&rows, TASK_VIEW_COL_ID, NULL) != NULL &&
		    (req->task = task_view_task(&rows)) == NULL)
			rc = DB_ERROR;
	}
	db_rows_free(&rows);
	if (rc < 0) {
		db_answer_error(res, rc);
		return -1;
	}
	return rc == 1 ? 0 : auth_deny(res);
}
