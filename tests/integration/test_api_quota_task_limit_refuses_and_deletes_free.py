"""max_tasks_per_user (scheduler.conf(5)): a user who owns that many tasks,
completed ones included, gets 429 with the JSON error shape and a message
naming the limit, and nothing is stored; other users are not affected;
every way of deleting a task (DELETE /tasks/{id}, /tasks/id/{id},
/tasks/name/{name}, bulk DELETE /tasks) frees its slot, and a refused or
failed request frees or takes none. users.task_count and post_data_bytes
always equal what the user's rows hold."""
from api_helpers import (assert_error, assert_message, complete, create,
                         cron, new_user, one_time, periodic, stored_tasks)

LIMIT = 5
FULL = f"task quota reached: {LIMIT} tasks per user (max_tasks_per_user)"
REMOVED = "Task has been removed successfully"


def usage(stack, name):
    """(task_count, post_data_bytes) of the users row, and the same figures
    counted from the tasks table, which they must equal."""
    counters = stack.sql("SELECT task_count, post_data_bytes FROM users "
                         "WHERE name = %s", (name,))[0]
    real = stack.sql("SELECT COUNT(*), COALESCE(SUM(LENGTH(t.post_data)), 0) "
                     "FROM tasks t JOIN users u ON u.id = t.owner_id "
                     "WHERE u.name = %s", (name,))[0]
    assert tuple(counters) == tuple(int(v) for v in real), (counters, real)
    return counters[0]


def refused(stack, token, body):
    resp = stack.request("POST", "/tasks", body=body, token=token)
    assert_error(resp, 429, FULL)


def test_task_limit_refuses_then_each_delete_frees_a_slot(make_stack):
    s = make_stack(config={"max_tasks_per_user": LIMIT})
    name, token = new_user(s, "quota")
    ids = [create(s, token, one_time()), create(s, token, periodic()),
           create(s, token, cron()),
           create(s, token, one_time(name="by-name")),
           create(s, token, periodic(post_data={"big": "x" * 5000}))]
    assert usage(s, name) == LIMIT

    # Full: any create is refused, a named one too, and nothing is stored.
    before = s.sql("SELECT post_data_bytes FROM users WHERE name = %s",
                   (name,))
    for body in (one_time(), periodic(), cron(), one_time(name="extra")):
        refused(s, token, body)
    assert stored_tasks(s, name) == LIMIT
    assert s.sql("SELECT COUNT(*) FROM tasks WHERE name = 'extra'") == [(0,)]
    assert s.sql("SELECT post_data_bytes FROM users WHERE name = %s",
                 (name,)) == before
    assert usage(s, name) == LIMIT
    # Bad input is still a 400 first, and takes no slot either.
    assert_error(s.request("POST", "/tasks", token=token,
                           body=one_time(url="ftp://x/")), 400, field="url")
    # Another user has quota of their own.
    other, other_token = new_user(s, "quota-other")
    create(s, other_token, one_time())
    assert usage(s, other) == 1

    # A completed task still counts until it is deleted.
    complete(s, ids[0])
    refused(s, token, one_time())

    # DELETE /tasks/{id} frees one slot, exactly one.
    assert_message(s.request("DELETE", f"/tasks/{ids[0]}", token=token),
                   REMOVED)
    assert usage(s, name) == LIMIT - 1
    ids[0] = create(s, token, one_time())
    refused(s, token, one_time())

    # /tasks/id/{id}, and the slot of the 5000-byte body.
    assert_message(s.request("DELETE", f"/tasks/id/{ids[4]}", token=token),
                   REMOVED)
    assert usage(s, name) == LIMIT - 1
    ids[4] = create(s, token, one_time())
    refused(s, token, one_time())

    # /tasks/name/{name}
    assert_message(s.request("DELETE", "/tasks/name/by-name", token=token),
                   REMOVED)
    assert usage(s, name) == LIMIT - 1
    ids[3] = create(s, token, one_time(name="by-name"))
    refused(s, token, one_time())

    # Deletes that fail free nothing: an unknown id, another user's task,
    # a bulk call with one unknown id (all or nothing).
    other_id = create(s, other_token, one_time())
    assert s.request("DELETE", "/tasks/" + "0" * 32, token=token).status == 404
    assert s.request("DELETE", f"/tasks/{other_id}", token=token).status == 403
    assert s.request("DELETE", "/tasks/name/nope", token=token).status == 404
    assert s.request("DELETE", "/tasks", token=token,
                     body={"ids": ids[:2] + ["0" * 32]}).status == 404
    assert usage(s, name) == LIMIT
    assert usage(s, other) == 2
    refused(s, token, one_time())

    # Bulk DELETE /tasks frees one slot per task (a repeated id once).
    assert_message(s.request("DELETE", "/tasks", token=token,
                             body={"ids": ids[:3] + [ids[0]]}),
                   "Tasks have been removed successfully")
    assert usage(s, name) == LIMIT - 3
    for _ in range(3):
        create(s, token, one_time())
    refused(s, token, one_time())
    assert usage(s, name) == LIMIT
    assert usage(s, other) == 2
