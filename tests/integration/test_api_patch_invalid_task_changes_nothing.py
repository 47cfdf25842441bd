"""A PATCH whose merged task breaks a rule of a new task (docs/API.md
§14.3, §7, §8) answers 400 naming the field and changes nothing: the task
reads the same before and after, version included. "In the future"
applies only to a schedule field the request changes: a periodic task
whose start has passed can still be changed, but not given a new start
in the past. task_type cannot change."""
import pytest

from api_helpers import (assert_error, assert_ok, create, cron, get_task,
                         new_user, one_time, periodic, utc_in)


@pytest.fixture
def user(stack):
    return new_user(stack, "patchbad")[1]


@pytest.mark.parametrize("make,body,field", [
    (periodic, {"task_type": "one_time"}, "task_type"),
    (periodic, {"task_type": "nonsense"}, "task_type"),
    (periodic, {"url": "ftp://example.com/x"}, "url"),
    (periodic, {"url": 5}, "url"),
    (periodic, {"url": None}, "url"),
    (periodic, {"post_data": [1]}, "post_data"),
    (periodic, {"request_method": "POTATO"}, "request_method"),
    (periodic, {"headers": {"Connection": "close"}}, "headers"),
    (periodic, {"headers": "x"}, "headers"),
    (periodic, {"name": "no spaces allowed"}, "name"),
    (periodic, {"frequency": 1}, "frequency"),
    (periodic, {"frequency": None}, "frequency"),
    (periodic, {"start_datetime": utc_in(-60)}, "start_datetime"),
    (periodic, {"end_datetime": utc_in(60)}, "end_datetime"),
    (periodic, {"run_datetime": utc_in(600)}, "run_datetime"),
    (one_time, {"run_datetime": utc_in(-5)}, "run_datetime"),
    (one_time, {"run_datetime": "tomorrow"}, "run_datetime"),
    (one_time, {"frequency": 60}, "frequency"),
    (cron, {"cron": "61 * * * *"}, "cron"),
    (cron, {"cron": 5}, "cron"),
    (cron, {"timezone": "Mars/Olympus"}, "timezone"),
])
def test_refused_and_unchanged(stack, user, make, body, field):
    task = create(stack, user, make(name="keep-me", headers={"X-A": "1"}))
    before = get_task(stack, user, task)
    resp = stack.request("PATCH", f"/tasks/{task}", body=body, token=user)
    assert_error(resp, 400, field=field)
    assert get_task(stack, user, task) == before


def test_task_type_message(stack, user):
    task = create(stack, user, periodic())
    resp = stack.request("PATCH", f"/tasks/{task}",
                         body={"task_type": "cron"}, token=user)
    assert_error(resp, 400, "task_type cannot change: this task is periodic",
                 "task_type")


def test_not_a_json_object(stack, user):
    task = create(stack, user, periodic())
    before = get_task(stack, user, task)
    for raw in (b"", b"[]", b"{", b'{"a":1,"a":2}'):
        resp = stack.request("PATCH", f"/tasks/{task}", raw=raw, token=user,
                             headers={"Content-Type": "application/json"})
        assert_error(resp, 400)
    assert get_task(stack, user, task) == before


def test_passed_start_is_kept_but_not_given(stack, user):
    task = create(stack, user, periodic(frequency=60))
    start = utc_in(-3600)
    stack.sql("UPDATE tasks SET start_at = %s, next_run_at = %s "
              "WHERE id = %s", (start.replace("T", " ")[:-1],
                                start.replace("T", " ")[:-1], task))
    before = get_task(stack, user, task)
    # The same (passed) start, sent back: not a change, so no future check.
    after = assert_ok(stack.request("PATCH", f"/tasks/{task}", token=user,
                                    body={"start_datetime": start,
                                          "frequency": 120}))
    assert after["start_datetime"] == start and after["frequency"] == 120
    assert after["version"] == before["version"] + 1
    # Another passed start is a change: refused.
    resp = stack.request("PATCH", f"/tasks/{task}", token=user,
                         body={"start_datetime": utc_in(-60)})
    assert_error(resp, 400, "start_datetime should be in future",
                 "start_datetime")
    assert get_task(stack, user, task) == after
