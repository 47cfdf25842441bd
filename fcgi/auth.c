/*
 * auth: header parsing (pure) and the one token lookup query.
 */
#include "auth.h"

#include <strings.h>

#include "crypto.h"

static struct db_stmt st_token = DB_STMT(
	"SELECT u.id, u.role FROM api_tokens t JOIN users u ON u.id = t.user_id "
	"WHERE t.token_hash = ? AND t.revoked_at IS NULL "
	"AND (t.expires_at IS NULL OR t.expires_at > UTC_TIMESTAMP()) "
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
auth_request(struct request *req, struct db *db, struct response *res)
{
	unsigned char hash[CRYPTO_SHA256_LEN];
	size_t len;
	const char *token = auth_parse_bearer(req->authorization, &len);
	struct db_rows rows;
	int rc;

	if (token == NULL)
		return auth_deny(res);
	crypto_sha256(token, len, hash);
	struct db_param p[] = { P_BLOB(hash, sizeof(hash)) };
	rc = db_query(db, &st_token, p, 1, &rows);
	if (rc != DB_OK) {
		http_error_db(res, rc);
		return -1;
	}
	rc = db_rows_next(&rows);
	if (rc == 1) {
		const char *role = db_col(&rows, 1, NULL);
		req->user_id = db_col_int(&rows, 0, 0);
		req->user_is_admin = role != NULL && strcmp(role, "admin") == 0;
	}
	db_rows_free(&rows);
	if (rc < 0) {
		http_error_db(res, rc);
		return -1;
	}
	return rc == 1 ? 0 : auth_deny(res);
}
