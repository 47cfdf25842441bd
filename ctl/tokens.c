/*
 * tokens: issues bearer tokens (printed once, stored as their SHA-256 hash
 * only, optionally expiring after --ttl seconds), lists them without ever
 * showing one, and revokes them by id. Times come from the database clock.
 */
#include "tokens.h"
#include "crypto.h"
#include "table.h"
#include "users.h"

#include <stdio.h>
#include <string.h>

#define TOKENS_TIME(col) \
    "DATE_FORMAT(" col ", '%Y-%m-%dT%H:%i:%sZ')"
/* The columns of token list, printed in this order under tokens_list's header. */
#define TOKENS_LIST_COLUMNS(X, SEP) \
    X(TOKENS_COL_ID, "t.id") SEP \
    X(TOKENS_COL_USER, "u.name") SEP \
    X(TOKENS_COL_STATUS, "CASE" \
	" WHEN t.revoked_at IS NOT NULL THEN 'revoked'" \
	" WHEN t.expires_at <= UTC_TIMESTAMP() THEN 'expired'" \
	" WHEN u.disabled THEN 'user-disabled'" \
	" ELSE 'active' END") SEP \
    X(TOKENS_COL_CREATED, TOKENS_TIME("t.created_at")) SEP \
    X(TOKENS_COL_EXPIRES, "IFNULL(" TOKENS_TIME("t.expires_at") ", 'never')") SEP \
    X(TOKENS_COL_REVOKED, TOKENS_TIME("t.revoked_at"))
enum { DB_COLUMNS_ENUM(TOKENS_LIST_COLUMNS) TOKENS_LIST_NCOLS };
#define TOKENS_LIST_SQL(where) \
    "SELECT " DB_COLUMNS_SQL(TOKENS_LIST_COLUMNS) \
    " FROM api_tokens t JOIN users u ON u.id = t.user_id" where \
    " ORDER BY t.id"

/* A NULL ttl gives NULL: the token never expires. */
static struct db_stmt st_insert = DB_STMT(
    "INSERT INTO api_tokens (user_id, token_hash, created_at, expires_at)"
    " VALUES (?, ?, UTC_TIMESTAMP(),"
    " UTC_TIMESTAMP() + INTERVAL ? SECOND)");
static struct db_stmt st_expiry = DB_STMT(
    "SELECT IFNULL(" TOKENS_TIME("expires_at") ", 'never')"
    " FROM api_tokens WHERE id = ?");
static struct db_stmt st_list_all = DB_STMT(TOKENS_LIST_SQL(""));
static struct db_stmt st_list_user = DB_STMT(
    TOKENS_LIST_SQL(" WHERE t.user_id = ?"));
static struct db_stmt st_revoke = DB_STMT(
    "UPDATE api_tokens SET revoked_at = UTC_TIMESTAMP()"
    " WHERE id = ? AND revoked_at IS NULL");
static struct db_stmt st_exists = DB_STMT(
    "SELECT 1 FROM api_tokens WHERE id = ?");

/* Says on stderr which token this is and when it expires. */
static void
tokens_describe(struct db *db, unsigned long long id, const char *name)
{
	struct db_param p[] = { P_UINT(id) };
	struct db_rows rows;
	const char *exp = NULL;

	if (db_query(db, &st_expiry, p, 1, &rows) != DB_OK)
		return;
	if (db_rows_next(&rows) == 1)
		exp = db_col(&rows, DB_ONLY_COL, NULL);
	fprintf(stderr, "token %llu for %s, expires: %s (shown once: keep it "
	    "now)\n", id, name, exp != NULL ? exp : "?");
	db_rows_free(&rows);
}

/* Reads issue's options: CTL_OK with *ttl (-1: none) and the name index. */
static int
tokens_issue_args(struct ctl *ctl, int argc, char **argv, long long *ttl)
{
	static const struct option opts[] = {
		{ "ttl", required_argument, NULL, 't' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	*ttl = -1;
	while ((c = ctl_getopt(ctl, argc, argv, "t:", opts)) != -1) {
		if (c != 't')
			return CTL_USAGE;
		if (ctl_parse_int(optarg, 1, TOKENS_TTL_MAX, ttl) < 0)
			return ctl_usage(ctl, "--ttl takes whole seconds from 1 "
			    "to %lld, not \"%s\"", TOKENS_TTL_MAX, optarg);
	}
	if (argc - optind != 1)
		return ctl_usage(ctl, argc == optind ? "missing NAME" :
		    "expected one NAME");
	return users_check_name(ctl, argv[optind]);
}

int
tokens_issue(struct ctl *ctl, int argc, char **argv)
{
	unsigned char hash[CRYPTO_SHA256_LEN];
	char token[CRYPTO_TOKEN_LEN];
	unsigned long long id;
	struct users_row u;
	struct db_param p[3];
	const char *name;
	long long ttl;
	struct db *db;
	int rc;

	if ((rc = tokens_issue_args(ctl, argc, argv, &ttl)) != CTL_OK)
		return rc;
	name = argv[optind];
	if ((db = ctl_db(ctl, CTL_DB_TIMEOUT)) == NULL)
		return CTL_FAIL;
	if ((rc = users_find(ctl, db, name, &u)) != CTL_OK)
		return rc;
	if (crypto_new_token(token) < 0) {
		ctl_error("cannot read random bytes for the token");
		return CTL_FAIL;
	}
	/* Bound as bytes, exactly as the API's lookup binds them. */
	crypto_sha256(token, strlen(token), hash);
	p[0] = P_UINT(u.id);
	p[1] = P_BLOB(hash, sizeof(hash));
	p[2] = ttl < 0 ? P_NULL : P_INT(ttl);
	if ((rc = db_exec(db, &st_insert, p, 3, NULL, &id)) != DB_OK)
		return ctl_db_fail(ctl, rc, "storing the token");
	if (u.disabled)
		ctl_error("warning: user %s is disabled: this token is refused "
		    "until 'schedulerctl user enable %s'", name, name);
	tokens_describe(db, id, name);
	fflush(stderr);
	printf("%s\n", token);
	explicit_bzero(token, sizeof(token));
	return CTL_OK;
}

int
tokens_list(struct ctl *ctl, int argc, char **argv)
{
	static const char *const header[] = { "ID", "USER", "STATUS",
	    "CREATED", "EXPIRES", "REVOKED" };
	_Static_assert(sizeof(header) / sizeof(header[0]) == TOKENS_LIST_NCOLS,
	    "one header per column");
	struct db_param p[1];
	struct db_rows rows;
	struct users_row u;
	struct db *db;
	int rc, by_user;

	if ((rc = ctl_positional(ctl, argc, argv, 0, 1)) != CTL_OK)
		return rc;
	by_user = optind < argc;
	if (by_user && (rc = users_check_name(ctl, argv[optind])) != CTL_OK)
		return rc;
	if ((db = ctl_db(ctl, CTL_DB_TIMEOUT)) == NULL)
		return CTL_FAIL;
	if (by_user) {
		if ((rc = users_find(ctl, db, argv[optind], &u)) != CTL_OK)
			return rc;
		p[0] = P_UINT(u.id);
	}
	rc = db_query(db, by_user ? &st_list_user : &st_list_all, p,
	    by_user ? 1 : 0, &rows);
	if (rc != DB_OK)
		return ctl_db_fail(ctl, rc, "listing tokens");
	rc = table_print_rows(&rows, TOKENS_LIST_NCOLS, header, stdout);
	if (rc == DB_ERROR)
		snprintf(db->err, sizeof(db->err), "out of memory");
	return rc == 0 ? CTL_OK : ctl_db_fail(ctl, rc, "listing tokens");
}

/* 1 if token id exists, 0 if not, < 0 a db_status. */
static int
tokens_exists(struct db *db, long long id)
{
	struct db_param p[] = { P_INT(id) };
	struct db_rows rows;
	int rc = db_query(db, &st_exists, p, 1, &rows);

	if (rc != DB_OK)
		return rc;
	rc = db_rows_next(&rows);
	db_rows_free(&rows);
	return rc;
}

int
tokens_revoke(struct ctl *ctl, int argc, char **argv)
{
	unsigned long long changed;
	struct db *db;
	long long id;
	int rc;

	if ((rc = ctl_positional(ctl, argc, argv, 1, 1)) != CTL_OK)
		return rc;
	if (ctl_parse_int(argv[optind], 1, (long long)(~0ULL >> 1), &id) < 0)
		return ctl_usage(ctl, "ID must be a token id from 'token list', "
		    "not \"%s\"", argv[optind]);
	if ((db = ctl_db(ctl, CTL_DB_TIMEOUT)) == NULL)
		return CTL_FAIL;
	struct db_param p[] = { P_INT(id) };
	if ((rc = db_exec(db, &st_revoke, p, 1, &changed, NULL)) != DB_OK)
		return ctl_db_fail(ctl, rc, "revoking the token");
	if (changed == 1) {
		printf("token %lld revoked\n", id);
		return CTL_OK;
	}
	rc = tokens_exists(db, id);
	if (rc < 0)
		return ctl_db_fail(ctl, rc, "looking up the token");
	if (rc == 0) {
		ctl_error("no token with id %lld", id);
		return CTL_FAIL;
	}
	printf("token %lld was already revoked\n", id);
	return CTL_OK;
}
