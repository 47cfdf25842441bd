"""The quota limits apply on SIGHUP, from the next request on every
worker, without a restart: raising max_tasks_per_user lets creates in
again, lowering it below what a user owns keeps their tasks but refuses
new ones, 0 removes the limit; max_post_data_bytes_per_user likewise.
GET /admin/stats shows the limits in force."""
from api_helpers import assert_error, assert_ok, create, new_user, one_time


def tasks_full(n):
    return f"task quota reached: {n} tasks per user (max_tasks_per_user)"


def limits(stack, admin):
    stats = assert_ok(stack.request("GET", "/admin/stats", token=admin))
    return stats["quota"]


def refused_everywhere(stack, token, message, body=None):
    # Each request on a new connection: every worker answers some.
    for _ in range(12):
        resp = stack.request("POST", "/tasks", body=body or one_time(),
                             token=token)
        assert_error(resp, 429, message)


def test_limits_follow_sighup(make_stack):
    s = make_stack(config={"max_tasks_per_user": 2})
    workers = s.api_worker_pids()
    name, token = new_user(s, "hup")
    admin = s.token("hup-admin", admin=True)
    assert limits(s, admin) == {"max_tasks_per_user": 2,
                                "max_post_data_bytes_per_user": 1073741824}
    create(s, token, one_time())
    create(s, token, one_time())
    refused_everywhere(s, token, tasks_full(2))

    s.set_config(max_tasks_per_user=3)
    s.reload_api()
    assert limits(s, admin)["max_tasks_per_user"] == 3
    create(s, token, one_time())
    refused_everywhere(s, token, tasks_full(3))

    # Below what the user owns: the tasks stay, creates are refused.
    s.set_config(max_tasks_per_user=1)
    s.reload_api()
    refused_everywhere(s, token, tasks_full(1))
    assert s.sql("SELECT task_count FROM users WHERE name = %s",
                 (name,)) == [(3,)]

    s.set_config(max_tasks_per_user=0)
    s.reload_api()
    assert limits(s, admin)["max_tasks_per_user"] == 0
    for _ in range(8):
        create(s, token, one_time())

    s.set_config(max_post_data_bytes_per_user=100)
    s.reload_api()
    assert limits(s, admin) == {"max_tasks_per_user": 0,
                                "max_post_data_bytes_per_user": 100}
    refused_everywhere(s, token, "post_data quota reached: 100 bytes of "
                       "post_data per user (max_post_data_bytes_per_user)")
    s.set_config(max_post_data_bytes_per_user=None)
    s.reload_api()
    create(s, token, one_time())
    assert s.sql("SELECT task_count FROM users WHERE name = %s",
                 (name,)) == [(12,)]
    assert s.api_worker_pids() == workers, "SIGHUP restarted the workers"
