"""A created task answers 201 with its id and `Location: /tasks/{id}`; GET
returns the task object of docs/API.md §10 with exactly its fields (those
of the other type null); DELETE removes it and every path for it then
answers 404."""
import re

import pytest

from api_helpers import (TASK_KEYS, assert_error, assert_message, assert_ok,
                         create, get_task, new_user, one_time, periodic,
                         stored_tasks, utc_in)


@pytest.fixture(scope="module")
def user(stack):
    return new_user(stack, "crud")


def test_create_answers_201_with_location(stack, user):
    name, token = user
    before = stored_tasks(stack, name)
    resp = stack.request("POST", "/tasks", body=periodic(), token=token)
    body = assert_ok(resp, 201)
    assert list(body) == ["id", "message"]
    assert re.fullmatch(r"[0-9a-f]{32}", body["id"]), body
    assert body["message"] == "Task has been scheduled successfully"
    assert resp.headers["location"] == f"/tasks/{body['id']}"
    assert stored_tasks(stack, name) == before + 1


def test_ids_are_unique(stack, user):
    _, token = user
    ids = {create(stack, token, one_time()) for _ in range(20)}
    assert len(ids) == 20


def test_periodic_task_object(stack, user):
    _, token = user
    start, end = utc_in(7200), utc_in(86400 * 30)
    task = create(stack, token, periodic(
        frequency=86400, start_datetime=start, end_datetime=end,
        post_data={"campaign_name": "SMS Campaign", "smart_list_id": 123456}))
    got = get_task(stack, token, task)
    assert list(got) == TASK_KEYS
    created = got.pop("created_at")
    assert got == {
        "id": task, "task_type": "periodic", "name": None,
        "url": "https://example.com/hook", "request_method": "POST",
        "headers": {},
        "post_data": {"campaign_name": "SMS Campaign",
                      "smart_list_id": 123456},
        "frequency": 86400, "start_datetime": start, "end_datetime": end,
        "run_datetime": None, "cron": None, "timezone": None,
        "next_run_datetime": start, "status": "active",
        "last_run_datetime": None, "last_run_outcome": None, "run_count": 0,
        "version": 1,
    }
    assert created.endswith("Z")


def test_one_time_task_object(stack, user):
    _, token = user
    run = utc_in(600)
    task = create(stack, token, one_time(run_datetime=run))
    got = get_task(stack, token, task)
    assert list(got) == TASK_KEYS
    assert got["task_type"] == "one_time"
    assert got["run_datetime"] == run and got["next_run_datetime"] == run
    for key in ("frequency", "start_datetime", "end_datetime", "cron",
                "timezone", "name"):
        assert got[key] is None, key


def test_interval_is_stored_as_periodic(stack, user):
    _, token = user
    task = create(stack, token, periodic(task_type="interval"))
    assert get_task(stack, token, task)["task_type"] == "periodic"


def test_both_get_paths_give_the_same_task(stack, user):
    _, token = user
    task = create(stack, token, periodic())
    a = assert_ok(stack.request("GET", f"/tasks/{task}", token=token))
    b = assert_ok(stack.request("GET", f"/tasks/id/{task}", token=token))
    assert a == b


@pytest.mark.parametrize("path", ["/tasks/{id}", "/tasks/id/{id}"])
def test_delete_then_everything_is_404(stack, user, path):
    name, token = user
    task = create(stack, token, periodic())
    before = stored_tasks(stack, name)
    assert_message(stack.request("DELETE", path.replace("{id}", task),
                                 token=token),
                   "Task has been removed successfully")
    assert stored_tasks(stack, name) == before - 1
    for method, p in (("GET", f"/tasks/{task}"), ("GET", f"/tasks/id/{task}"),
                      ("DELETE", f"/tasks/{task}"),
                      ("DELETE", f"/tasks/id/{task}"),
                      ("POST", f"/tasks/{task}/pause"),
                      ("POST", f"/tasks/{task}/resume"),
                      ("GET", f"/tasks/{task}/runs")):
        assert_error(stack.request(method, p, token=token), 404,
                     "Task not found")
    listed = stack.request("GET", "/tasks?per_page=500", token=token).json()
    assert task not in [t["id"] for t in listed["tasks"]]


def test_delete_removes_the_runs_too(stack, user):
    _, token = user
    task = create(stack, token, periodic())
    seq, owner = stack.sql("SELECT seq, owner_id FROM tasks WHERE id = %s",
                           (task,))[0]
    stack.sql("INSERT INTO task_runs (task_seq, owner_id, run_id, "
              "scheduled_for, attempt, started_at, finished_at, outcome, "
              "duration_ms) VALUES (%s, %s, %s, '2030-01-01 00:00:00', 1, "
              "'2030-01-01 00:00:00', '2030-01-01 00:00:01', 'succeeded', 5)",
              (seq, owner, "c" * 32))
    assert_ok(stack.request("DELETE", f"/tasks/{task}", token=token))
    assert stack.sql("SELECT COUNT(*) FROM task_runs WHERE task_seq = %s",
                     (seq,))[0][0] == 0


def test_completed_task_can_be_deleted(stack, user):
    _, token = user
    task = create(stack, token, one_time())
    stack.sql("UPDATE tasks SET status = 'completed', next_run_at = NULL "
              "WHERE id = %s", (task,))
    assert get_task(stack, token, task)["next_run_datetime"] is None
    assert_message(stack.request("DELETE", f"/tasks/{task}", token=token),
                   "Task has been removed successfully")
