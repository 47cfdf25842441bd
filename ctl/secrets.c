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

static struct db_stmt st_rotate = DB_STMT(
    "UPDATE users SET signing_secret = ? WHERE id = ?");

int
secrets_show(struct ctl *ctl, int argc, char **argv)
{
	struct users_row u;
	struct db *db;
	int rc;

	if ((rc = users_from_args(ctl, argc, argv, &db, &u)) != CTL_OK)
		return rc;
	printf("%s\n", u.secret);
	return CTL_OK;
}

int
secrets_rotate(struct ctl *ctl, int argc, char **argv)
{
	char secret[CRYPTO_SECRET_HEX_LEN];
	struct users_row u;
	struct db *db;
	int rc;

	if ((rc = users_from_args(ctl, argc, argv, &db, &u)) != CTL_OK)
		return rc;
	if (crypto_new_secret(secret) < 0) {
		ctl_error("cannot read random bytes for the signing secret");
		return CTL_FAIL;
	}
	struct db_param p[] = { P_STR(secret), P_UINT(u.id) };
	if ((rc = db_exec(db, &st_rotate, p, 2, NULL, NULL)) != DB_OK)
		return ctl_db_fail(ctl, rc, "storing the secret");
	fprintf(stderr, "new signing secret for %s: callbacks signed from now "
	    "on use it; update the receivers\n", u.name);
	fflush(stderr);
	printf("%s\n", secret);
	return CTL_OK;
}
