/*
 * users: creates, lists, disables and re-enables API users and sets their
 * role. A disabled user keeps its tokens, but the API answers 401 to every
 * one of them until the user is enabled again. The list shows each user's
 * quota (task count and post_data bytes) against the configured limits.
 */
#include "users.h"
#include "crypto.h"
#include "lifecycle.h"
#include "table.h"

#include <stdio.h>
#include <string.h>

static struct db_stmt st_insert = DB_STMT(
    "INSERT INTO users (name, role, disabled, signing_secret, created_at)"
    " VALUES (?, ?, 0, ?, UTC_TIMESTAMP())");
#define USERS_FIND_COLUMNS(X, SEP) \
    X(USERS_FIND_ID, "id") SEP \
    X(USERS_FIND_DISABLED, "disabled") SEP \
    X(USERS_FIND_ROLE, "role") SEP \
    X(USERS_FIND_SECRET, "signing_secret")
enum { DB_COLUMNS_ENUM(USERS_FIND_COLUMNS) USERS_FIND_NCOLS };
static struct db_stmt st_find = DB_STMT(
    "SELECT " DB_COLUMNS_SQL(USERS_FIND_COLUMNS) " FROM users WHERE name = ?");
/*
 * The columns of user list, printed in this order under users_list's
 * header. Usage as "used/limit"; the limits are the config's (0:
 * unlimited).
 */
#define USERS_LIST_COLUMNS(X, SEP) \
    X(USERS_LIST_NAME, "name") SEP \
    X(USERS_LIST_ROLE, "role") SEP \
    X(USERS_LIST_DISABLED, "IF(disabled, 'yes', 'no')") SEP \
    X(USERS_LIST_CREATED, "DATE_FORMAT(created_at, '%Y-%m-%dT%H:%i:%sZ')") SEP \
    X(USERS_LIST_TASKS, "CONCAT(task_count, '/', IF(? = 0, 'unlimited', ?))") SEP \
    X(USERS_LIST_BYTES, \
	"CONCAT(post_data_bytes, '/', IF(? = 0, 'unlimited', ?))")
enum { DB_COLUMNS_ENUM(USERS_LIST_COLUMNS) USERS_LIST_NCOLS };
static struct db_stmt st_list = DB_STMT(
    "SELECT " DB_COLUMNS_SQL(USERS_LIST_COLUMNS) " FROM users ORDER BY id");
static struct db_stmt st_set_disabled = DB_STMT(
    "UPDATE users SET disabled = ? WHERE id = ?");
/*
 * A disabled user's tasks do not fire: the claim skips owner_disabled
 * rows (by index), and waiting retries are held as a pause holds them;
 * enabling releases those of active tasks at once.
 */
static struct db_stmt st_set_owner_disabled = DB_STMT(
    "UPDATE tasks SET owner_disabled = ? WHERE owner_id = ?");
static struct db_stmt st_hold_retries = DB_STMT(
    "UPDATE deliveries SET " LIFECYCLE_HOLD_SET("") " WHERE owner_id = ? "
    "AND " LIFECYCLE_HOLDABLE(""));
static struct db_stmt st_release_retries = DB_STMT(
    "UPDATE deliveries d JOIN tasks t ON t.seq = d.task_seq "
    "SET " LIFECYCLE_RELEASE_SET("d.") " "
    "WHERE d.owner_id = ? AND " LIFECYCLE_HELD("d.") " AND t.status = 'active'");
static struct db_stmt st_set_role = DB_STMT(
    "UPDATE users SET role = ? WHERE id = ?");

int
users_valid_name(const char *name)
{
	size_t len = strlen(name);

	if (len == 0 || len > USERS_NAME_MAX)
		return -1;
	for (size_t i = 0; i < len; i++) {
		char c = name[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || strchr("_.@-", c) != NULL))
			return -1;
	}
	return 0;
}

int
users_check_name(struct ctl *ctl, const char *name)
{
	if (users_valid_name(name) == 0)
		return CTL_OK;
	return ctl_usage(ctl, "invalid user name \"%s\": 1 to %d characters "
	    "of A-Z a-z 0-9 _ . @ -", name, USERS_NAME_MAX);
}

/* As users_find, also giving the role ("user" or "admin", 8 bytes). */
static int
users_find_role(struct ctl *ctl, struct db *db, const char *name,
    struct users_row *out, char role[8])
{
	struct db_param p[] = { P_STR(name) };
	struct db_rows rows;
	int rc = db_query(db, &st_find, p, 1, &rows);

	if (rc != DB_OK)
		return ctl_db_fail(ctl, rc, "looking up the user");
	rc = db_rows_next(&rows);
	if (rc == 1) {
		const char *r = db_col(&rows, USERS_FIND_ROLE, NULL);
		const char *secret = db_col(&rows, USERS_FIND_SECRET, NULL);
		out->id = (unsigned long long)db_col_int(&rows, USERS_FIND_ID, 0);
		out->disabled = db_col_int(&rows, USERS_FIND_DISABLED, 0) != 0;
		out->name = name;
		snprintf(out->secret, sizeof(out->secret), "%s", secret ? secret : "");
		snprintf(role, 8, "%s", r != NULL ? r : "");
	}
	db_rows_free(&rows);
	if (rc < 0)
		return ctl_db_fail(ctl, rc, "looking up the user");
	if (rc == 0) {
		ctl_error("no such user \"%s\"", name);
		return CTL_FAIL;
	}
	return CTL_OK;
}

int
users_find(struct ctl *ctl, struct db *db, const char *name,
    struct users_row *out)
{
	char role[8];

	return users_find_role(ctl, db, name, out, role);
}

int
users_from_args(struct ctl *ctl, int argc, char **argv, struct db **db,
    struct users_row *out)
{
	int rc;

	if ((rc = ctl_positional(ctl, argc, argv, 1, 1)) != CTL_OK)
		return rc;
	if ((rc = users_check_name(ctl, argv[optind])) != CTL_OK)
		return rc;
	if ((*db = ctl_db(ctl, CTL_DB_TIMEOUT)) == NULL)
		return CTL_FAIL;
	return users_find(ctl, *db, argv[optind], out);
}

int
users_add(struct ctl *ctl, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "admin", no_argument, NULL, 'a' },
		{ NULL, 0, NULL, 0 },
	};
	char secret[CRYPTO_SECRET_HEX_LEN];
	const char *name, *role = "user";
	struct db *db;
	int c, rc;

	while ((c = ctl_getopt(ctl, argc, argv, "a", opts)) != -1) {
		if (c != 'a')
			return CTL_USAGE;
		role = "admin";
	}
	if (argc - optind != 1)
		return ctl_usage(ctl, argc == optind ? "missing NAME" :
		    "expected one NAME");
	name = argv[optind];
	if ((rc = users_check_name(ctl, name)) != CTL_OK)
		return rc;
	if ((db = ctl_db(ctl, CTL_DB_TIMEOUT)) == NULL)
		return CTL_FAIL;
	if (crypto_new_secret(secret) < 0) {
		ctl_error("cannot read random bytes for the signing secret");
		return CTL_FAIL;
	}
	struct db_param p[] = { P_STR(name), P_STR(role), P_STR(secret) };
	rc = db_exec(db, &st_insert, p, 3, NULL, NULL);
	if (rc == DB_DUPLICATE) {
		ctl_error("user \"%s\" already exists", name);
		return CTL_FAIL;
	}
	if (rc != DB_OK)
		return ctl_db_fail(ctl, rc, "adding the user");
	printf("added user %s (role %s)\n", name, role);
	return CTL_OK;
}

int
users_list(struct ctl *ctl, int argc, char **argv)
{
	static const char *const header[] = { "NAME", "ROLE", "DISABLED",
	    "CREATED", "TASKS", "POST_DATA_BYTES" };
	_Static_assert(sizeof(header) / sizeof(header[0]) == USERS_LIST_NCOLS,
	    "one header per column");
	struct db_rows rows;
	struct db *db;
	int rc;

	if ((rc = ctl_positional(ctl, argc, argv, 0, 0)) != CTL_OK)
		return rc;
	if ((db = ctl_db(ctl, CTL_DB_TIMEOUT)) == NULL)
		return CTL_FAIL;
	struct db_param p[] = {
		P_INT(ctl->cfg.max_tasks_per_user), P_INT(ctl->cfg.max_tasks_per_user),
		P_INT(ctl->cfg.max_post_data_bytes_per_user),
		P_INT(ctl->cfg.max_post_data_bytes_per_user),
	};
	if ((rc = db_query(db, &st_list, p, 4, &rows)) != DB_OK)
		return ctl_db_fail(ctl, rc, "listing users");
	rc = table_print_rows(&rows, USERS_LIST_NCOLS, header, stdout);
	if (rc == DB_ERROR)
		snprintf(db->err, sizeof(db->err), "out of memory");
	return rc == 0 ? CTL_OK : ctl_db_fail(ctl, rc, "listing users");
}

/*
 * One try of the transaction that disables (value 1) or enables a user:
 * the user row first (where creates of that user lock too), then its
 * tasks, then its waiting retries.
 */
static int
users_set_disabled_once(struct db *db, unsigned long long id, int value)
{
	struct db_param p[] = { P_INT(value), P_UINT(id) };
	int rc = db_begin(db);

	if (rc == DB_OK)
		rc = db_exec(db, &st_set_disabled, p, 2, NULL, NULL);
	if (rc == DB_OK)
		rc = db_exec(db, &st_set_owner_disabled, p, 2, NULL, NULL);
	if (rc == DB_OK)
		rc = db_exec(db, value ? &st_hold_retries : &st_release_retries,
		    &p[1], 1, NULL, NULL);
	if (rc == DB_OK)
		rc = db_commit(db);
	if (rc != DB_OK)
		db_rollback(db);
	return rc;
}

/* user disable / user enable: sets users.disabled to value. */
static int
users_set_disabled(struct ctl *ctl, int argc, char **argv, int value)
{
	struct users_row u;
	struct db *db;
	int rc, tries = 0;

	if ((rc = users_from_args(ctl, argc, argv, &db, &u)) != CTL_OK)
		return rc;
	if (u.disabled == value) {
		printf("user %s is already %s\n", u.name,
		    value ? "disabled" : "enabled");
		return CTL_OK;
	}
	/* A deadlock with a create or a claim of the same rows: try again. */
	while ((rc = users_set_disabled_once(db, u.id, value)) == DB_RETRY &&
	    ++tries < 5)
		;
	if (rc != DB_OK)
		return ctl_db_fail(ctl, rc, "updating the user");
	printf("user %s %s\n", u.name, value ? "disabled: its tokens are "
	    "refused and its tasks do not fire from now on" : "enabled: its "
	    "tasks fire again (one that missed occurrences fires once, late)");
	return CTL_OK;
}

int
users_disable(struct ctl *ctl, int argc, char **argv)
{
	return users_set_disabled(ctl, argc, argv, 1);
}

int
users_enable(struct ctl *ctl, int argc, char **argv)
{
	return users_set_disabled(ctl, argc, argv, 0);
}

int
users_role(struct ctl *ctl, int argc, char **argv)
{
	struct users_row u;
	char old[8];
	const char *name, *role;
	struct db *db;
	int rc;

	if ((rc = ctl_positional(ctl, argc, argv, 2, 2)) != CTL_OK)
		return rc;
	name = argv[optind];
	role = argv[optind + 1];
	if ((rc = users_check_name(ctl, name)) != CTL_OK)
		return rc;
	if (strcmp(role, "user") != 0 && strcmp(role, "admin") != 0)
		return ctl_usage(ctl, "role must be user or admin, not \"%s\"",
		    role);
	if ((db = ctl_db(ctl, CTL_DB_TIMEOUT)) == NULL)
		return CTL_FAIL;
	if ((rc = users_find_role(ctl, db, name, &u, old)) != CTL_OK)
		return rc;
	if (strcmp(old, role) == 0) {
		printf("user %s already has role %s\n", name, role);
		return CTL_OK;
	}
	struct db_param p[] = { P_STR(role), P_UINT(u.id) };
	if ((rc = db_exec(db, &st_set_role, p, 2, NULL, NULL)) != DB_OK)
		return ctl_db_fail(ctl, rc, "updating the user");
	printf("user %s now has role %s\n", name, role);
	return CTL_OK;
}
