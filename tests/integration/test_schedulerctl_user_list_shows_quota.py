"""`schedulerctl user list` shows each user's quota use against the limits
of the config file it reads: TASKS as count/max_tasks_per_user and
POST_DATA_BYTES as bytes/max_post_data_bytes_per_user ("unlimited" for 0),
following creates and deletes."""
from api_helpers import create, new_user, one_time

HEADER = ["NAME", "ROLE", "DISABLED", "CREATED", "TASKS", "POST_DATA_BYTES"]


def listing(stack):
    lines = stack.ctl("user", "list").stdout.splitlines()
    assert lines[0].split() == HEADER
    return {f[0]: f[4:] for f in (line.split() for line in lines[1:])}


def test_user_list_shows_quota_use_and_limits(make_stack):
    s = make_stack(config={"max_tasks_per_user": 10,
                           "max_post_data_bytes_per_user": 5000})
    name, token = new_user(s, "ctlquota")
    idle, _ = new_user(s, "ctlidle")
    assert listing(s)[idle] == ["0/10", "0/5000"]

    first = create(s, token, one_time(post_data={"m": "日本語"}))
    create(s, token, one_time())
    (nbytes,), = s.sql("SELECT SUM(LENGTH(post_data)) FROM tasks t JOIN users "
                       "u ON u.id = t.owner_id WHERE u.name = %s", (name,))
    assert listing(s)[name] == ["2/10", f"{nbytes}/5000"]

    assert s.request("DELETE", f"/tasks/{first}", token=token).status == 200
    (nbytes,), = s.sql("SELECT SUM(LENGTH(post_data)) FROM tasks t JOIN users "
                       "u ON u.id = t.owner_id WHERE u.name = %s", (name,))
    assert listing(s)[name] == ["1/10", f"{nbytes}/5000"]

    # The limits are the config file's: schedulerctl reads it on each run.
    s.set_config(max_tasks_per_user=0, max_post_data_bytes_per_user=0)
    assert listing(s)[name] == ["1/unlimited", f"{nbytes}/unlimited"]
