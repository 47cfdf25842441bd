"""The admin actions (docs/API.md §20.4) need the admin role: without a
token 401; a non-admin, even the task's owner, gets 403 `Forbidden: admin
only` before the id is looked at, and the task is left as it was."""
from api_helpers import (assert_error, assert_unauthorized, create, new_user,
                         periodic, status_of, unknown_id)

ACTIONS = [("POST", "/admin/tasks/{}/pause"), ("POST", "/admin/tasks/{}/resume"),
           ("POST", "/admin/tasks/{}/run"), ("DELETE", "/admin/tasks/{}")]


def test_non_admin_is_403(stack):
    owner, token = new_user(stack, "adm-plain")
    _, other = new_user(stack, "adm-other")
    task = create(stack, token, periodic())
    runs = stack.sql("SELECT run_count FROM tasks WHERE id = %s", (task,))
    for method, path in ACTIONS:
        for who in (token, other):
            for target in (task, unknown_id()):
                assert_error(stack.request(method, path.format(target),
                                           token=who), 403,
                             "Forbidden: admin only")
        assert_unauthorized(stack.request(method, path.format(task)))
    assert status_of(stack, task) == "active"
    assert stack.sql("SELECT run_count FROM tasks WHERE id = %s", (task,)) == runs
    assert stack.sql("SELECT COUNT(*) FROM deliveries d JOIN tasks t "
                     "ON t.seq = d.task_seq WHERE t.id = %s", (task,))[0][0] == 0
