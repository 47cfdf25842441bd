"""schedulerctl against a real MariaDB: migrations, users, tokens, secrets,
and the exit codes (0 ok, 1 failure, 2 usage).

Tests on the shared stack only add users with their own unique names, so
they leave it as they found it; migrations from scratch run against a
scratch database on the same server, dropped afterwards.
"""
import hashlib
import os
import re
import subprocess
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest

from stack import SRCDIR, find_binary, run_ctl

SCHEMA_DIR = os.path.join(SRCDIR, "schema")


def unique(prefix="ctl"):
    return f"{prefix}_{uuid.uuid4().hex[:12]}"


def users_table(stack):
    """`user list` parsed into {name: (role, disabled, created)} (the
    quota columns after them have a test of their own)."""
    lines = stack.ctl("user", "list").stdout.splitlines()
    assert lines[0].split() == ["NAME", "ROLE", "DISABLED", "CREATED",
                                "TASKS", "POST_DATA_BYTES"]
    return {f[0]: tuple(f[1:4]) for f in (line.split() for line in lines[1:])}


def tokens_table(stack, *name):
    """`token list [NAME]` parsed into {id: (user, status, created,
    expires, revoked)}."""
    lines = stack.ctl("token", "list", *name).stdout.splitlines()
    assert lines[0].split() == ["ID", "USER", "STATUS", "CREATED", "EXPIRES",
                                "REVOKED"]
    return {int(f[0]): tuple(f[1:]) for f in (l.split() for l in lines[1:])}


def issue(stack, name, *args):
    done = stack.ctl("token", "issue", *args, name)
    return done.stdout.strip().splitlines()[-1], done


# ----- migrate -----

def test_migrate_again_is_up_to_date(stack):
    done = stack.ctl("migrate", "--schema-dir", SCHEMA_DIR)
    assert "up to date" in done.stdout
    versions = [v for (v,) in stack.sql(
        "SELECT version FROM schema_migrations ORDER BY version")]
    files = sorted(int(f.split("_")[0]) for f in os.listdir(SCHEMA_DIR)
                   if re.match(r"^\d+_.*\.sql$", f))
    assert versions == files


def test_migrate_uses_schema_dir_from_environment(stack):
    # stack.ctl sets SCHEDULER_SCHEMA_DIR to the source schema/.
    assert "up to date" in stack.ctl("migrate").stdout


def test_migrate_from_scratch_applies_every_file_once(stack, scratch_db):
    db, conf = scratch_db
    # Three migrators at once: the lock lets one apply, the others wait.
    with ThreadPoolExecutor(3) as pool:
        runs = list(pool.map(
            lambda _: run_ctl(conf, "migrate", "--schema-dir", SCHEMA_DIR),
            range(3)))
    assert [r.returncode for r in runs] == [0, 0, 0], runs
    applied = [r for r in runs if "applied 001_initial.sql" in r.stdout]
    assert len(applied) == 1, runs
    assert sum("up to date" in r.stdout for r in runs) == 2
    rows = stack.sql(f"SELECT version, name FROM `{db}`.schema_migrations")
    assert (1, "001_initial.sql") in rows
    tables = {t for (t,) in stack.sql(
        "SELECT table_name FROM information_schema.tables "
        "WHERE table_schema = %s", (db,))}
    assert {"users", "api_tokens", "tasks", "schema_migrations"} <= tables
    again = run_ctl(conf, "migrate", "--schema-dir", SCHEMA_DIR)
    assert again.returncode == 0 and "up to date" in again.stdout


def test_migrate_stops_at_a_failing_file(stack, scratch_db, tmp_path):
    db, conf = scratch_db
    (tmp_path / "001_one.sql").write_text(
        "-- a comment; with a semicolon\n"
        "CREATE TABLE one (a VARCHAR(20) COMMENT 'x; y');\n"
        "INSERT INTO one VALUES ('semi;colon');\n")
    (tmp_path / "002_bad.sql").write_text("CREATE TABLE one (a INT);\n")
    done = run_ctl(conf, "migrate", "--schema-dir", str(tmp_path))
    assert done.returncode == 1
    assert "002_bad.sql:1" in done.stderr
    assert stack.sql(f"SELECT a FROM `{db}`.one") == [("semi;colon",)]
    assert stack.sql(f"SELECT version FROM `{db}`.schema_migrations") == [(1,)]


def test_migrate_without_migrations_fails(stack, tmp_path):
    done = stack.ctl("migrate", "--schema-dir", str(tmp_path), check=False)
    assert done.returncode == 1
    assert "no migrations" in done.stderr


# ----- users -----

def test_user_add_list_disable_enable(stack):
    name, admin = unique(), unique("ctladm") + "@example.org"
    assert stack.ctl("user", "add", name).returncode == 0
    assert stack.ctl("user", "add", "--admin", admin).returncode == 0
    users = users_table(stack)
    assert users[name][:2] == ("user", "no")
    assert users[admin][:2] == ("admin", "no")
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", users[name][2])

    stack.ctl("user", "disable", name)
    assert users_table(stack)[name][1] == "yes"
    assert stack.sql("SELECT disabled FROM users WHERE name = %s",
                     (name,)) == [(1,)]
    # Idempotent.
    assert stack.ctl("user", "disable", name).returncode == 0
    stack.ctl("user", "enable", name)
    assert users_table(stack)[name][1] == "no"


def test_user_role_changes_role(stack):
    name = unique()
    stack.ctl("user", "add", name)
    stack.ctl("user", "role", name, "admin")
    assert users_table(stack)[name][0] == "admin"
    bad = stack.ctl("user", "role", name, "root", check=False)
    assert bad.returncode == 2


def test_duplicate_user_is_an_error(stack):
    name = unique()
    stack.ctl("user", "add", name)
    done = stack.ctl("user", "add", name, check=False)
    assert done.returncode == 1
    assert "already exists" in done.stderr
    assert stack.sql("SELECT COUNT(*) FROM users WHERE name = %s",
                     (name,)) == [(1,)]


@pytest.mark.parametrize("bad", ["", "has space", "x" * 101, "semi;colon",
                                 "quote'", "é"])
def test_invalid_user_name_is_a_usage_error(stack, bad):
    done = stack.ctl("user", "add", bad, check=False)
    assert done.returncode == 2
    assert "invalid user name" in done.stderr
    assert "usage:" in done.stderr


def test_unknown_user_fails(stack):
    name = unique("nobody")
    for args in (("user", "disable", name), ("token", "issue", name),
                 ("token", "list", name), ("secret", "show", name)):
        done = stack.ctl(*args, check=False)
        assert done.returncode == 1, args
        assert f'no such user "{name}"' in done.stderr


# ----- tokens -----

def test_token_is_printed_once_and_stored_as_hash_only(stack):
    name = unique()
    stack.ctl("user", "add", name)
    token, done = issue(stack, name)
    assert len(token) >= 32 and token.isprintable() and " " not in token
    assert token not in done.stderr

    rows = stack.sql(
        "SELECT t.token_hash FROM api_tokens t JOIN users u "
        "ON u.id = t.user_id WHERE u.name = %s", (name,))
    assert rows == [(hashlib.sha256(token.encode()).digest(),)]

    # No text or binary column anywhere holds the token.
    cols = stack.sql(
        "SELECT table_name, column_name FROM information_schema.columns "
        "WHERE table_schema = 'scheduler' AND data_type IN ('char', "
        "'varchar', 'text', 'mediumtext', 'longtext', 'binary', "
        "'varbinary', 'blob')")
    for table, column in cols:
        hits = stack.sql(
            f"SELECT COUNT(*) FROM `{table}` WHERE "
            f"LOCATE(%s, CAST(`{column}` AS BINARY)) > 0", (token,))
        assert hits == [(0,)], (table, column)

    # The listing shows the token's metadata, never the token.
    listing = stack.ctl("token", "list", name).stdout
    assert token not in listing
    assert token[-16:] not in listing


def test_token_works_with_the_stack_helper(stack):
    name = unique()
    token = stack.token(name)
    assert stack.sql(
        "SELECT COUNT(*) FROM api_tokens WHERE token_hash = %s",
        (hashlib.sha256(token.encode()).digest(),)) == [(1,)]


def test_token_without_ttl_never_expires(stack):
    name = unique()
    stack.ctl("user", "add", name)
    issue(stack, name)
    (tid, row), = tokens_table(stack, name).items()
    assert row[0] == name and row[1] == "active" and row[3] == "never"
    assert stack.sql("SELECT expires_at FROM api_tokens WHERE id = %s",
                     (tid,)) == [(None,)]


def test_token_ttl_sets_expires_at(stack):
    name = unique()
    stack.ctl("user", "add", name)
    issue(stack, name, "--ttl", "3600")
    (tid, _), = tokens_table(stack, name).items()
    (delta, created_delta), = stack.sql(
        "SELECT TIMESTAMPDIFF(SECOND, created_at, expires_at),"
        " TIMESTAMPDIFF(SECOND, created_at, UTC_TIMESTAMP())"
        " FROM api_tokens WHERE id = %s", (tid,))
    assert delta == 3600
    assert 0 <= created_delta <= 60


@pytest.mark.parametrize("ttl", ["0", "-5", "1.5", "abc", "1h", ""])
def test_bad_ttl_is_a_usage_error(stack, ttl):
    name = unique()
    done = stack.ctl("token", "issue", "--ttl", ttl, name, check=False)
    assert done.returncode == 2
    assert "--ttl" in done.stderr


def test_token_revoke(stack):
    name = unique()
    stack.ctl("user", "add", name)
    issue(stack, name)
    keep, _ = issue(stack, name)
    ids = sorted(tokens_table(stack, name))
    assert len(ids) == 2
    stack.ctl("token", "revoke", ids[0])
    listed = tokens_table(stack, name)
    assert listed[ids[0]][1] == "revoked"
    assert re.fullmatch(r"\d{4}-.*Z", listed[ids[0]][4])
    assert listed[ids[1]][1] == "active" and listed[ids[1]][4] == "-"
    assert stack.sql("SELECT revoked_at IS NOT NULL FROM api_tokens "
                     "WHERE id = %s", (ids[0],)) == [(1,)]
    # Again: nothing to do, still success.
    assert stack.ctl("token", "revoke", ids[0]).returncode == 0


def test_token_revoke_unknown_id_fails(stack):
    (top,), = stack.sql("SELECT IFNULL(MAX(id), 0) FROM api_tokens")
    done = stack.ctl("token", "revoke", top + 1000, check=False)
    assert done.returncode == 1
    assert "no token" in done.stderr
    assert stack.ctl("token", "revoke", "x1", check=False).returncode == 2


def test_token_list_all_includes_every_user(stack):
    a, b = unique(), unique()
    for n in (a, b):
        stack.ctl("user", "add", n)
        issue(stack, n)
    users = {row[0] for row in tokens_table(stack).values()}
    assert {a, b} <= users


def test_disabled_users_tokens_are_marked(stack):
    name = unique()
    stack.ctl("user", "add", name)
    issue(stack, name)
    stack.ctl("user", "disable", name)
    (_, row), = tokens_table(stack, name).items()
    assert row[1] == "user-disabled"


# ----- secrets -----

def test_secret_show_is_64_lowercase_hex(stack):
    name = unique()
    stack.ctl("user", "add", name)
    done = stack.ctl("secret", "show", name)
    secret = done.stdout.splitlines()[-1]
    assert re.fullmatch(r"[0-9a-f]{64}", secret)
    assert stack.secret(name) == secret
    assert stack.sql("SELECT signing_secret FROM users WHERE name = %s",
                     (name,)) == [(secret,)]


def test_secret_rotate_replaces_it(stack):
    name = unique()
    stack.ctl("user", "add", name)
    old = stack.secret(name)
    new = stack.ctl("secret", "rotate", name).stdout.splitlines()[-1]
    assert re.fullmatch(r"[0-9a-f]{64}", new) and new != old
    assert stack.secret(name) == new


def test_every_user_gets_its_own_secret(stack):
    a, b = unique(), unique()
    stack.ctl("user", "add", a)
    stack.ctl("user", "add", b)
    assert stack.secret(a) != stack.secret(b)


# ----- command line -----

@pytest.mark.parametrize("args", [
    (), ("frobnicate",), ("user",), ("user", "frob"), ("token", "issue"),
    ("token", "issue", "a", "b"), ("token", "issue", "--bogus", "a"),
    ("token", "issue", "--ttl"), ("user", "list", "extra"),
    ("migrate", "extra"), ("token", "revoke"), ("secret", "show"),
])
def test_bad_usage_exits_2_with_help(stack, args):
    done = stack.ctl(*args, check=False)
    assert done.returncode == 2, done
    assert "usage: schedulerctl" in done.stderr
    assert done.stdout == ""


@pytest.mark.parametrize("args", [
    ("--help",), ("-h",), ("help",), ("help", "token", "issue"),
    ("token", "issue", "--help"), ("migrate", "--help"), ("user", "--help"),
])
def test_help_exits_0_on_stdout(stack, args):
    done = stack.ctl(*args)
    assert "usage: schedulerctl" in done.stdout


def test_help_lists_every_command(stack):
    text = stack.ctl("--help").stdout
    for words in ("migrate", "user add", "user list", "user disable",
                  "token issue", "token list", "token revoke", "secret show"):
        assert words in text


def test_unreachable_database_fails_with_1(stack, tmp_path):
    conf = tmp_path / "away.conf"
    conf.write_text(f"database_socket = {tmp_path}/no.sock\n"
                    "database_user = root\n")
    done = run_ctl(str(conf), "user", "list")
    assert done.returncode == 1
    assert "cannot connect to database" in done.stderr


def test_bad_config_cites_file_and_line(stack, tmp_path):
    conf = tmp_path / "bad.conf"
    conf.write_text("# comment\nworkers = many\n")
    done = run_ctl(str(conf), "user", "list")
    assert done.returncode == 1
    assert f"{conf}:2:" in done.stderr


def test_config_from_environment(stack):
    env = dict(os.environ, SCHEDULER_CONF=stack.conf_path)
    done = subprocess.run([find_binary("schedulerctl"), "user", "list"],
                          capture_output=True, text=True, env=env, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("NAME")


# ----- documentation of the config keys -----

def config_keys():
    with open(os.path.join(SRCDIR, "lib", "config.c")) as f:
        keys = re.findall(r"^\s*KEY_\w+\((\w+),", f.read(), re.M)
    assert len(keys) > 10
    return keys


def test_example_config_and_man_page_name_every_key(tmp_path):
    with open(os.path.join(SRCDIR, "dist", "scheduler.conf.example")) as f:
        example = f.read()
    with open(os.path.join(SRCDIR, "man", "scheduler.conf.5")) as f:
        man = f.read()
    for key in config_keys():
        assert re.search(rf"(?m)^#{key} =", example), key
        assert re.search(rf"(?m)^\.It Cm {key} ", man), key
    # Uncommented, the example is a valid config: schedulerctl gets past
    # it to the (absent) database.
    conf = tmp_path / "example.conf"
    conf.write_text(re.sub(r"(?m)^#(\w+ =)", r"\1", example).replace(
        "/run/mysqld/mysqld.sock", str(tmp_path / "no.sock")))
    done = run_ctl(str(conf), "user", "list")
    assert done.returncode == 1
    assert "cannot connect to database" in done.stderr


# ----- what the API makes of it -----

def test_issued_token_works_until_revoked(stack):
    name = unique()
    stack.ctl("user", "add", name)
    token, _ = issue(stack, name)
    assert stack.request("GET", "/tasks", token=token).status == 200
    (tid, _), = tokens_table(stack, name).items()
    stack.ctl("token", "revoke", tid)
    r = stack.request("GET", "/tasks", token=token)
    assert r.status == 401


def test_disabled_users_token_is_refused_until_enabled(stack):
    name = unique()
    stack.ctl("user", "add", name)
    token, _ = issue(stack, name)
    stack.ctl("user", "disable", name)
    assert stack.request("GET", "/tasks", token=token).status == 401
    stack.ctl("user", "enable", name)
    assert stack.request("GET", "/tasks", token=token).status == 200


def test_token_with_ttl_expires(stack):
    name = unique()
    stack.ctl("user", "add", name)
    token, _ = issue(stack, name, "--ttl", "1")
    # expires_at has whole seconds: the token lives between 0 and 1 s.
    time.sleep(2.1)
    assert stack.request("GET", "/tasks", token=token).status == 401
    (_, row), = tokens_table(stack, name).items()
    assert row[1] == "expired"
