"""DELETE /tasks with {"ids": [...]} (docs/API.md §15): all or nothing in
one transaction; an unknown id wins over another user's (404, then 403);
completed tasks are deleted too (never 409); runs and pending retries go
with their task."""
import pytest

from api_helpers import (assert_error, assert_message, create, new_user,
                         one_time, periodic, status_of)

DELETED = "Tasks have been removed successfully"


def bulk_delete(stack, token, ids):
    return stack.request("DELETE", "/tasks", token=token, body={"ids": ids})


def unknown_id():
    return "0" * 32


def test_deletes_all_with_runs_and_retries(stack):
    _, token = new_user(stack, "bulkdel")
    tasks = [create(stack, token, periodic()) for _ in range(3)]
    seq = stack.sql("SELECT seq, owner_id FROM tasks WHERE id = %s", (tasks[0],))[0]
    stack.sql("INSERT INTO task_runs (task_seq, owner_id, run_id, scheduled_for, "
              "attempt, started_at, finished_at, outcome, duration_ms) VALUES "
              "(%s, %s, %s, UTC_TIMESTAMP(), 1, UTC_TIMESTAMP(3), UTC_TIMESTAMP(3),"
              " 'retrying', 5)", (seq[0], seq[1], "a" * 32))
    stack.sql("INSERT INTO deliveries (task_seq, owner_id, run_id, scheduled_for,"
              " attempt, due_at) VALUES (%s, %s, %s, UTC_TIMESTAMP(), 2,"
              " UTC_TIMESTAMP(3) + INTERVAL 1 HOUR)", (seq[0], seq[1], "a" * 32))
    assert_message(bulk_delete(stack, token, tasks + [tasks[0]]), DELETED)
    assert all(status_of(stack, t) is None for t in tasks)
    assert stack.sql("SELECT COUNT(*) FROM task_runs WHERE task_seq = %s",
                     (seq[0],))[0][0] == 0
    assert stack.sql("SELECT COUNT(*) FROM deliveries WHERE task_seq = %s",
                     (seq[0],))[0][0] == 0


def test_completed_tasks_are_deleted_not_409(stack):
    _, token = new_user(stack, "bulkdel")
    done = create(stack, token, one_time())
    stack.sql("UPDATE tasks SET status = 'completed', next_run_at = NULL "
              "WHERE id = %s", (done,))
    assert_message(bulk_delete(stack, token, [done]), DELETED)
    assert status_of(stack, done) is None


def test_unknown_id_wins_and_nothing_changes(stack):
    _, alice = new_user(stack, "bulkdel")
    _, bob = new_user(stack, "bulkdel")
    mine = create(stack, alice, periodic())
    theirs = create(stack, bob, periodic())
    assert_error(bulk_delete(stack, alice, [mine, theirs, unknown_id()]), 404,
                 "Task not found")
    assert_error(bulk_delete(stack, alice, [mine, theirs]), 403,
                 "Forbidden: Task does not belong to this user")
    assert status_of(stack, mine) == "active"
    assert status_of(stack, theirs) == "active"


@pytest.mark.parametrize("body", [
    {}, {"ids": []}, {"ids": "x"}, {"ids": [1]}, {"ids": [None]},
    {"ids": ["a"] * 1001},
])
def test_bad_ids_are_400(stack, body):
    _, token = new_user(stack, "bulkdel")
    resp = stack.request("DELETE", "/tasks", token=token, body=body)
    assert_error(resp, 400, field="ids")


def test_bad_body_and_missing_token(stack):
    _, token = new_user(stack, "bulkdel")
    assert_error(stack.request("DELETE", "/tasks", token=token, raw=b"{"), 400)
    assert_error(stack.request("DELETE", "/tasks", body={"ids": ["x"]}), 401,
                 "User not authorized")


def test_a_thousand_ids_with_repeats(stack):
    _, token = new_user(stack, "bulkdel")
    task = create(stack, token, one_time())
    assert_message(bulk_delete(stack, token, [task] * 1000), DELETED)
    assert status_of(stack, task) is None
