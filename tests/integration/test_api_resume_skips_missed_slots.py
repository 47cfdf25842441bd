"""Resuming a paused task (docs/API.md §14): a periodic task skips the slots
missed while paused and continues at the next future slot, or becomes
`completed` (still 200) when its end passed meanwhile; a one-time task
whose time passed keeps its original time, so it fires at once; retries
waiting while paused are held, and released on resume. Time passing is
simulated by moving the task's times back in the database."""
import datetime

import pytest

from api_helpers import (assert_error, create, get_task, new_user, one_time,
                         pause, periodic, resume, status_of, unknown_id)

FMT = "%Y-%m-%dT%H:%M:%SZ"


def parse(text):
    return datetime.datetime.strptime(text, FMT)


def now():
    return datetime.datetime.now(datetime.timezone.utc).replace(
        microsecond=0, tzinfo=None)


@pytest.fixture
def user(stack):
    return new_user(stack, "resume")[1]


def move_periodic(stack, task, start, end=None):
    """Sets a periodic task's start (and end) in the database, as if the
    task had been made long ago; its next slot stays the first one."""
    stack.sql("UPDATE tasks SET start_at = %s, next_run_at = %s, end_at = %s "
              "WHERE id = %s", (start, start, end, task))


def add_delivery(stack, task, due):
    """A failed attempt waiting for its retry, as the dispatcher leaves it."""
    seq, owner = stack.sql("SELECT seq, owner_id FROM tasks WHERE id = %s",
                           (task,))[0]
    stack.sql("INSERT INTO deliveries (task_seq, owner_id, run_id, "
              "scheduled_for, attempt, due_at) VALUES (%s, %s, %s, %s, 2, %s)",
              (seq, owner, unknown_id(), due, due))
    # The dispatcher counts the occurrence when it starts attempt 1.
    stack.sql("UPDATE tasks SET run_count = run_count + 1, last_run_at = %s "
              "WHERE seq = %s", (due, seq))


def delivery(stack, task):
    return stack.sql("SELECT d.held, d.due_at FROM deliveries d JOIN tasks t "
                     "ON t.seq = d.task_seq WHERE t.id = %s", (task,))[0]


def test_periodic_resume_continues_at_the_next_future_slot(stack, user):
    task = create(stack, user, periodic(frequency=60))
    pause(stack, user, task)
    start = now() - datetime.timedelta(seconds=1000)
    move_periodic(stack, task, start)
    before = now()
    resume(stack, user, task)
    got = get_task(stack, user, task)
    assert got["status"] == "active"
    nxt = parse(got["next_run_datetime"])
    assert before <= nxt <= now() + datetime.timedelta(seconds=60), got
    assert (nxt - start).total_seconds() % 60 == 0, got


def test_periodic_resume_after_its_end_completes(stack, user):
    task = create(stack, user, periodic(frequency=60))
    pause(stack, user, task)
    move_periodic(stack, task, now() - datetime.timedelta(seconds=1000),
                  now() - datetime.timedelta(seconds=10))
    resume(stack, user, task)
    got = get_task(stack, user, task)
    assert got["status"] == "completed" and got["next_run_datetime"] is None
    # From then on it is completed: 409 to both.
    for op in ("pause", "resume"):
        assert_error(stack.request("POST", f"/tasks/{task}/{op}",
                                   token=user), 409,
                     "Task has already completed")


def test_periodic_resume_with_no_slot_left_before_its_end(stack, user):
    task = create(stack, user, periodic(frequency=600))
    pause(stack, user, task)
    # Slots at -1000 s and -400 s have passed; the next (+200 s) is after
    # the end (+100 s).
    move_periodic(stack, task, now() - datetime.timedelta(seconds=1000),
                  now() + datetime.timedelta(seconds=100))
    resume(stack, user, task)
    assert status_of(stack, task) == "completed"


def test_one_time_resumed_late_keeps_its_time(stack, user):
    task = create(stack, user, one_time())
    pause(stack, user, task)
    past = now() - datetime.timedelta(seconds=300)
    stack.sql("UPDATE tasks SET run_at = %s, next_run_at = %s WHERE id = %s",
              (past, past, task))
    resume(stack, user, task)
    got = get_task(stack, user, task)
    assert got["status"] == "active"
    assert got["run_datetime"] == got["next_run_datetime"] == \
        past.strftime(FMT)


def test_waiting_retry_is_held_while_paused_and_released_on_resume(stack,
                                                                    user):
    task = create(stack, user, periodic())
    due = now() + datetime.timedelta(seconds=30)
    add_delivery(stack, task, due)
    got = get_task(stack, user, task)
    assert got["next_run_datetime"] == due.strftime(FMT)
    pause(stack, user, task)
    assert delivery(stack, task)[0] == 1
    assert get_task(stack, user, task)["next_run_datetime"] is None
    before = now()
    resume(stack, user, task)
    held, due_at = delivery(stack, task)
    assert held == 0
    # Released to be tried at once.
    assert before - datetime.timedelta(seconds=1) <= due_at <= \
        now() + datetime.timedelta(seconds=1)


def test_a_pending_retry_keeps_an_ended_task_active(stack, user):
    task = create(stack, user, periodic(frequency=60))
    pause(stack, user, task)
    move_periodic(stack, task, now() - datetime.timedelta(seconds=1000),
                  now() - datetime.timedelta(seconds=10))
    add_delivery(stack, task, now() - datetime.timedelta(seconds=20))
    resume(stack, user, task)
    assert status_of(stack, task) == "active"
    assert delivery(stack, task)[0] == 0


def test_failed_bulk_call_leaves_held_retries_alone(stack, user):
    task = create(stack, user, periodic())
    add_delivery(stack, task, now() + datetime.timedelta(seconds=30))
    pause(stack, user, task)
    resp = stack.request("POST", "/tasks/resume", token=user,
                         body={"ids": [task, unknown_id()]})
    assert_error(resp, 404, "Task not found")
    assert status_of(stack, task) == "paused"
    assert delivery(stack, task)[0] == 1
