/*
 * secrets: shows a user's signing secret, or replaces it with a new one.
 * Either way the secret is printed alone on stdout's last line so that
 * scripts can take it with `tail -n 1`.
 */
#include "secrets.h"
#include "crypto.h"
#include "users.h"

#include <stdio.h>
#include <string.h>

static struct db_stmt st_show = DB_STMT(
    "SELECT signing_secret FROM users WHERE name = ?");
static struct db_stmt st_rotate = DB_STMT(
    "UPDATE users SET signing_secret = ? WHERE id = ?");

int
secrets_show(struct ctl *ctl, int argc, char **argv)
{
	struct db_rows rows;
	const char *name, *secret;
	struct db *db;
	int rc;

	if ((rc = ctl_positional(ctl, argc, argv, 1, 1)) != CTL_OK)
		return rc;
	name = argv[optind];
	if ((rc = users_check_name(ctl, name)) != CTL_OK)
		return rc;
	if ((db = ctl_db(ctl, CTL_DB_TIMEOUT)) == NULL)
		return CTL_FAIL;
	struct db_param p[] = { P_STR(name) };
	if ((rc = db_query(db, &st_show, p, 1, &rows)) != DB_OK)
		return ctl_db_fail(ctl, rc, "reading the secret");
	rc = db_rows_next(&rows);
	if (rc == 1 && (secret = db_col(&rows, 0, NULL)) != NULL)
		printf("%s\n", secret);
	db_rows_free(&rows);
	if (rc < 0)
		return ctl_db_fail(ctl, rc, "reading the secret");
	if (rc == 0) {
		ctl_error("no such user \"%s\"", name);
		return CTL_FAIL;
	}
	return CTL_OK;
}

int
secrets_rotate(struct ctl *ctl, int argc, char **argv)
{
	char secret[CRYPTO_SECRET_HEX_LEN];
	struct users_row u;
	const char *name;
	struct db *db;
	int rc;

	if ((rc = ctl_positional(ctl, argc, argv, 1, 1)) != CTL_OK)
		return rc;
	name = argv[optind];
	if ((rc = users_check_name(ctl, name)) != CTL_OK)
		return rc;
	if ((db = ctl_db(ctl, CTL_DB_TIMEOUT)) == NULL)
		return CTL_FAIL;
	if ((rc = users_find(ctl, db, name, &u)) != CTL_OK)
		return rc;
	if (crypto_new_secret(secret) < 0) {
		ctl_error("cannot read random bytes for the signing secret");
		return CTL_FAIL;
	}
	struct db_param p[] = { P_STR(secret), P_UINT(u.id) };
	if ((rc = db_exec(db, &st_rotate, p, 2, NULL, NULL)) != DB_OK)
		return ctl_db_fail(ctl, rc, "storing the secret");
	fprintf(stderr, "new signing secret for %s: callbacks signed from now "
	    "on use it; update the receivers\n", name);
	fflush(stderr);
	printf("%s\n", secret);
	return CTL_OK;
}
