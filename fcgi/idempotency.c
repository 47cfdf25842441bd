/*
 * idempotency: the key's check and its three statements. The row of a
 * key is inserted in the create's own transaction (task_store), so only a
 * create that commits is remembered, and two requests with one key meet
 * on the primary key (owner_id, idem_key): the second waits for the first
 * to commit or roll back. Expired rows are also removed in bounded batches
 * by the dispatcher (dispatcher/housekeeping.c); the delete here only
 * makes sure a stale row is never replayed before that pass comes.
 */
#include "idempotency.h"

#include <stdio.h>
#include <string.h>

/* A key is remembered this long: the window of docs/API.md §7.5. */
#define IDEM_FRESH "created_at >= NOW(3) - INTERVAL 24 HOUR"

#define IDEM_COLUMNS(X, SEP) \
	X(IDEM_COL_SHA256, "request_sha256") SEP \
	X(IDEM_COL_TASK_ID, "task_id")
enum { DB_COLUMNS_ENUM(IDEM_COLUMNS) IDEM_NCOLS };

static struct db_stmt st_find = DB_STMT(
	"SELECT " DB_COLUMNS_SQL(IDEM_COLUMNS) " FROM idempotency_keys "
	"WHERE owner_id = ? AND idem_key = ? AND " IDEM_FRESH);
static struct db_stmt st_expire = DB_STMT(
	"DELETE FROM idempotency_keys WHERE owner_id = ? AND idem_key = ? "
	"AND NOT (" IDEM_FRESH ")");
static struct db_stmt st_insert = DB_STMT(
	"INSERT INTO idempotency_keys (owner_id, idem_key, request_sha256, "
	"task_id, created_at) VALUES (?, ?, ?, ?, NOW(3))");

int
idempotency_parse(const struct request *req, struct response *res,
    struct idempotency *idem)
{
	const char *k = req->idempotency_key;
	size_t n;

	memset(idem, 0, sizeof(*idem));
	idem->outcome = IDEM_NEW;
	if (k == NULL)
		return 0;
	for (n = 0; k[n] != '\0'; n++)
		if (k[n] < 0x21 || k[n] > 0x7e)
			break;
	/* The loop stops at the first byte outside 0x21-0x7E (NUL included). */
	if (n == 0 || k[n] != '\0' || n > IDEMPOTENCY_KEY_MAX) {
		http_error(res, 400, IDEMPOTENCY_MSG_BAD_KEY, IDEMPOTENCY_HEADER);
		return -1;
	}
	idem->key = k;
	idem->key_len = n;
	crypto_sha256(req->body, req->body_len, idem->body_sha256);
	return 0;
}

/* A row of st_find: the outcome for this request's body. */
static void
idem_row(const struct db_rows *rows, void *arg)
{
	struct idempotency *idem = arg;
	size_t len = 0;
	const char *sha = db_col(rows, IDEM_COL_SHA256, &len);
	const char *id = db_col(rows, IDEM_COL_TASK_ID, NULL);

	if (sha != NULL && len == CRYPTO_SHA256_LEN &&
	    memcmp(sha, idem->body_sha256, CRYPTO_SHA256_LEN) == 0) {
		idem->outcome = IDEM_REPLAY;
		snprintf(idem->task_id, sizeof(idem->task_id), "%s", id ? id : "");
	} else
		idem->outcome = IDEM_MISMATCH;
}

int
idempotency_lookup(struct db *db, long long owner, struct idempotency *idem)
{
	struct db_param p[] = { P_INT(owner), P_BLOB(idem->key, idem->key_len) };
	struct db_rows rows;
	int rc;

	idem->outcome = IDEM_NEW;
	if ((rc = db_query(db, &st_find, p, 2, &rows)) != DB_OK)
		return rc;
	rc = db_rows_next(&rows);
	if (rc == 1)
		idem_row(&rows, idem);
	db_rows_free(&rows);
	return rc < 0 ? rc : DB_OK;
}

int
idempotency_claim(struct db *db, long long owner, struct idempotency *idem,
    const char *task_id)
{
	struct db_param p[] = {
		P_INT(owner), P_BLOB(idem->key, idem->key_len),
		P_BLOB(idem->body_sha256, CRYPTO_SHA256_LEN), P_STR(task_id),
	};
	int rc = db_exec(db, &st_expire, p, 2, NULL, NULL);

	idem->outcome = IDEM_NEW;
	if (rc == DB_OK)
		rc = db_exec(db, &st_insert, p, 4, NULL, NULL);
	if (rc != DB_DUPLICATE)
		return rc;
	/*
	 * The other create has committed (READ COMMITTED: this read sees it).
	 * Its row cannot have expired since the delete above; should it be
	 * gone anyway, the whole create is tried again.
	 */
	if ((rc = idempotency_lookup(db, owner, idem)) != DB_OK)
		return rc;
	return idem->outcome == IDEM_NEW ? DB_RETRY : DB_OK;
}

void
idempotency_mark_replayed(struct response *res)
{
	(void)http_add_header(res, "Idempotent-Replayed", "true");
}
