"""max_post_data_bytes_per_user (scheduler.conf(5)): the bytes of
post_data as stored (UTF-8, as the API serialises it), summed over a
user's tasks, may reach the limit but not pass it; a create that would
pass it is 429 naming the limit, and nothing is stored; deleting a task
gives its bytes back. With max_tasks_per_user = 0 the count has no
limit."""
from api_helpers import assert_error, assert_message, create, new_user, one_time

LIMIT = 2000
FULL = (f"post_data quota reached: {LIMIT} bytes of post_data per user "
        "(max_post_data_bytes_per_user)")


def usage(stack, name):
    """users.post_data_bytes, checked against the stored rows."""
    (counter, count), = stack.sql("SELECT post_data_bytes, task_count "
                                  "FROM users WHERE name = %s", (name,))
    (real, n), = stack.sql(
        "SELECT COALESCE(SUM(LENGTH(t.post_data)), 0), COUNT(*) FROM tasks t "
        "JOIN users u ON u.id = t.owner_id WHERE u.name = %s", (name,))
    assert (counter, count) == (int(real), n)
    return counter


def stored_length(stack, task_id):
    return stack.sql("SELECT LENGTH(post_data) FROM tasks WHERE id = %s",
                     (task_id,))[0][0]


def body(text):
    return one_time(post_data={"m": text})


def test_post_data_bytes_limit(make_stack):
    s = make_stack(config={"max_tasks_per_user": 0,
                           "max_post_data_bytes_per_user": LIMIT})
    name, token = new_user(s, "bytes")

    # A body that alone passes the limit is refused with no task at all.
    resp = s.request("POST", "/tasks", body=body("a" * LIMIT), token=token)
    assert_error(resp, 429, FULL)
    assert usage(s, name) == 0

    # Bytes as stored: 3 per CJK character, 4 per emoji.
    first = create(s, token, body("日本語 🙂"))
    overhead = stored_length(s, first) - len("日本語 🙂".encode())
    assert overhead > 0
    assert usage(s, name) == stored_length(s, first)
    plain = create(s, token, body("a" * 500))
    assert stored_length(s, plain) == overhead + 500
    used = usage(s, name)

    # One byte too many is refused; exactly up to the limit is fine.
    fill = LIMIT - used - overhead
    resp = s.request("POST", "/tasks", body=body("b" * (fill + 1)),
                     token=token)
    assert_error(resp, 429, FULL)
    assert usage(s, name) == used
    last = create(s, token, body("b" * fill))
    assert usage(s, name) == LIMIT
    # Full: even the smallest body is refused.
    assert_error(s.request("POST", "/tasks", token=token,
                           body=one_time(post_data={})), 429, FULL)

    # Deleting gives the bytes back, and they can be used again.
    assert_message(s.request("DELETE", f"/tasks/{plain}", token=token),
                   "Task has been removed successfully")
    assert usage(s, name) == LIMIT - overhead - 500
    create(s, token, body("c" * 500))
    assert usage(s, name) == LIMIT
    assert_message(s.request("DELETE", "/tasks", token=token,
                             body={"ids": [first, last]}),
                   "Tasks have been removed successfully")
    assert usage(s, name) == overhead + 500

    # Many small tasks: no count limit with max_tasks_per_user = 0.
    for _ in range(30):
        create(s, token, one_time(post_data={}))
    assert s.sql("SELECT task_count FROM users WHERE name = %s",
                 (name,)) == [(31,)]
