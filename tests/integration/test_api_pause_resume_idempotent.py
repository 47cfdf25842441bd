"""Pausing a paused task and resuming an active one are no-ops that answer
200 (docs/API.md §14); a paused task has no next_run_datetime, a resumed one
gets it back; a completed task answers 409 to both and stays completed."""
import pytest

from api_helpers import (assert_error, assert_message, complete, create,
                         get_task, new_user, one_time, pause, periodic,
                         resume, status_of, utc_in)


@pytest.fixture
def user(stack):
    return new_user(stack, "idem")[1]


@pytest.mark.parametrize("body", [periodic, one_time])
def test_pause_twice_resume_twice(stack, user, body):
    start = utc_in(7200)
    b = body(start_datetime=start) if body is periodic else \
        body(run_datetime=start)
    task = create(stack, user, b)
    before = get_task(stack, user, task)
    assert before["next_run_datetime"] == start
    for _ in range(2):
        pause(stack, user, task)
        got = get_task(stack, user, task)
        assert got["status"] == "paused"
        assert got["next_run_datetime"] is None
    for _ in range(2):
        resume(stack, user, task)
        got = get_task(stack, user, task)
        assert got["status"] == "active"
        assert got["next_run_datetime"] == start
    # One pause and one resume changed it; the repeats did not.
    assert got == dict(before, version=before["version"] + 2)


def test_resume_a_task_never_paused(stack, user):
    task = create(stack, user, periodic())
    before = get_task(stack, user, task)
    resume(stack, user, task)
    assert get_task(stack, user, task) == before


def test_bulk_is_idempotent_too(stack, user):
    tasks = [create(stack, user, periodic()) for _ in range(3)]
    for _ in range(2):
        assert_message(stack.request("POST", "/tasks/pause",
                                     body={"ids": tasks}, token=user),
                       "Tasks have been successfully paused")
        assert [status_of(stack, t) for t in tasks] == ["paused"] * 3
    for _ in range(2):
        assert_message(stack.request("POST", "/tasks/resume",
                                     body={"ids": tasks}, token=user),
                       "Tasks have been resumed successfully")
        assert [status_of(stack, t) for t in tasks] == ["active"] * 3


def test_paused_task_lists_as_paused(stack, user):
    task = create(stack, user, periodic())
    pause(stack, user, task)
    body = stack.request("GET", "/tasks?status=paused", token=user).json()
    assert task in [t["id"] for t in body["tasks"]]


@pytest.mark.parametrize("op", ["pause", "resume"])
def test_completed_task_is_409_and_stays_completed(stack, user, op):
    task = create(stack, user, one_time())
    complete(stack, task)
    for _ in range(2):
        assert_error(stack.request("POST", f"/tasks/{task}/{op}", token=user),
                     409, "Task has already completed")
        assert status_of(stack, task) == "completed"
    got = get_task(stack, user, task)
    assert got["status"] == "completed" and got["next_run_datetime"] is None
