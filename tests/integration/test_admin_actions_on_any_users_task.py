"""An admin pauses, resumes, runs and deletes another user's task through
/admin/tasks/{id}/… (docs/API.md §20.4), with the answers of the owner's
own routes; each action is logged naming the admin, the action, the task
and its owner. A completed task is 409 to pause and resume but can be
deleted; an unknown id is 404."""
import time

from api_helpers import (assert_error, assert_message, assert_ok, complete,
                         create, get_task, new_user, periodic, status_of,
                         unknown_id)


def log_has(stack, text, timeout=5):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with open(stack.api.log_path, errors="replace") as f:
            if text in f.read():
                return True
        time.sleep(0.05)
    return False


def test_admin_acts_on_another_users_task(stack):
    owner, token = new_user(stack, "adm-owner")
    admin = f"adm-{owner[-12:]}"
    admin_token = stack.token(admin, admin=True)
    task = create(stack, token, periodic())

    assert_message(stack.request("POST", f"/admin/tasks/{task}/pause",
                                 token=admin_token), "Task paused successfully")
    assert status_of(stack, task) == "paused"
    assert log_has(stack, f"admin {admin} paused task {task} of user {owner}")

    assert_message(stack.request("POST", f"/admin/tasks/{task}/resume",
                                 token=admin_token), "Task resumed successfully")
    assert get_task(stack, token, task)["status"] == "active"
    assert log_has(stack, f"admin {admin} resumed task {task} of user {owner}")

    resp = stack.request("POST", f"/admin/tasks/{task}/run", token=admin_token)
    out = assert_ok(resp, 202)
    assert out["message"] == "Task run has been queued", out
    assert stack.sql("SELECT COUNT(*) FROM deliveries d JOIN tasks t "
                     "ON t.seq = d.task_seq WHERE t.id = %s AND d.run_id = %s",
                     (task, out["run_id"]))[0][0] == 1
    assert log_has(stack, f"admin {admin} ran task {task} of user {owner} now")

    assert_message(stack.request("DELETE", f"/admin/tasks/{task}",
                                 token=admin_token),
                   "Task has been removed successfully")
    assert status_of(stack, task) is None
    assert log_has(stack, f"admin {admin} deleted task {task} of user {owner}")
    assert_error(stack.request("GET", f"/tasks/{task}", token=token), 404)
    # The owner's quota got the slot back, as with the owner's own delete.
    assert stack.sql("SELECT task_count FROM users WHERE name = %s",
                     (owner,))[0][0] == 0


def test_completed_is_409_unknown_is_404(stack):
    _, token = new_user(stack, "adm-owner2")
    admin_token = stack.token(f"adm-x-{unknown_id()[:8]}", admin=True)
    task = create(stack, token, periodic())
    complete(stack, task)
    for action in ("pause", "resume"):
        assert_error(stack.request("POST", f"/admin/tasks/{task}/{action}",
                                   token=admin_token), 409,
                     "Task has already completed")
    assert status_of(stack, task) == "completed"
    # As the owner's DELETE: a completed task can be deleted.
    assert_message(stack.request("DELETE", f"/admin/tasks/{task}",
                                 token=admin_token),
                   "Task has been removed successfully")
    assert status_of(stack, task) is None
    missing = unknown_id()
    for method, path in (("POST", f"/admin/tasks/{missing}/pause"),
                         ("POST", f"/admin/tasks/{missing}/resume"),
                         ("POST", f"/admin/tasks/{missing}/run"),
                         ("DELETE", f"/admin/tasks/{missing}"),
                         ("DELETE", "/admin/tasks/not-an-id")):
        assert_error(stack.request(method, path, token=admin_token), 404,
                     "Task not found")
