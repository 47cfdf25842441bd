"""PATCH /tasks/{id} (docs/API.md §14.3) changes each kind of field a task
has and leaves the others as they were: url, post_data and headers
(replaced whole), request_method, name (null removes it), and the
schedule fields of the task's own type; unknown fields are ignored, the
task's own task_type may be repeated. The answer is the whole updated
task with the new version as its ETag, and GET shows the same; a changed
schedule moves next_run_datetime at once."""
import pytest

from api_helpers import (assert_ok, create, cron, get_task, new_user,
                         one_time, periodic, utc_in)


@pytest.fixture
def user(stack):
    return new_user(stack, "patchf")[1]


def patch(stack, token, task, body, path="/tasks/{}"):
    resp = stack.request("PATCH", path.format(task), body=body, token=token)
    got = assert_ok(resp)
    assert resp.headers.get("etag") == f'"{got["version"]}"', resp.headers
    assert got == get_task(stack, token, got["id"])
    return got


def changed(before, after):
    """The keys whose values differ."""
    return {k for k in before if before[k] != after[k]}


@pytest.mark.parametrize("field,value", [
    ("url", "https://example.org/other?x=1"),
    ("post_data", {"new": [1, 2, {"deep": True}]}),
    ("headers", {"X-Trace": "abc", "Accept": "text/plain"}),
    ("request_method", "PUT"),
    ("name", "renamed-task"),
])
def test_request_fields(stack, user, field, value):
    task = create(stack, user, periodic(headers={"X-Old": "1"},
                                        name=f"n-{field}"[:20]))
    before = get_task(stack, user, task)
    after = patch(stack, user, task, {field: value})
    assert after[field] == value
    assert changed(before, after) == {field, "version"}
    assert after["version"] == before["version"] + 1


def test_headers_and_post_data_are_replaced_whole(stack, user):
    task = create(stack, user, periodic(headers={"X-A": "1", "X-B": "2"},
                                        post_data={"a": 1, "b": 2}))
    after = patch(stack, user, task, {"headers": {"X-C": "3"},
                                      "post_data": {"c": 3}})
    assert after["headers"] == {"X-C": "3"}
    assert after["post_data"] == {"c": 3}


def test_name_null_removes_the_name(stack, user):
    task = create(stack, user, one_time(name="to-be-removed"))
    after = patch(stack, user, task, {"name": None})
    assert after["name"] is None
    assert stack.request("GET", "/tasks/name/to-be-removed",
                         token=user).status == 404
    # The name is free again for another task.
    create(stack, user, one_time(name="to-be-removed"))


def test_by_name_and_by_id_paths(stack, user):
    task = create(stack, user, one_time(name="by-name"))
    after = patch(stack, user, "by-name", {"url": "https://example.org/n"},
                  path="/tasks/name/{}")
    assert after["id"] == task and after["url"] == "https://example.org/n"
    after = patch(stack, user, task, {"request_method": "DELETE"},
                  path="/tasks/id/{}")
    assert after["request_method"] == "DELETE" and after["version"] == 3


def test_one_time_run_datetime(stack, user):
    task = create(stack, user, one_time(run_datetime=utc_in(3600)))
    later = utc_in(7200)
    after = patch(stack, user, task, {"run_datetime": later})
    assert after["run_datetime"] == later
    assert after["next_run_datetime"] == later


def test_periodic_schedule_fields(stack, user):
    start = utc_in(3600)
    task = create(stack, user, periodic(start_datetime=start, frequency=60))
    after = patch(stack, user, task, {"frequency": 120})
    assert after["frequency"] == 120 and after["next_run_datetime"] == start
    new_start, end = utc_in(5000), utc_in(90000)
    after = patch(stack, user, task, {"start_datetime": new_start,
                                      "end_datetime": end})
    assert after["start_datetime"] == new_start
    assert after["end_datetime"] == end
    assert after["next_run_datetime"] == new_start
    after = patch(stack, user, task, {"end_datetime": None})
    assert after["end_datetime"] is None


def test_cron_schedule_fields(stack, user):
    task = create(stack, user, cron(cron="0 9 * * *", timezone="UTC"))
    before = get_task(stack, user, task)
    assert before["next_run_datetime"].endswith("T09:00:00Z")
    after = patch(stack, user, task, {"cron": "30 10 * * *"})
    assert after["cron"] == "30 10 * * *"
    assert after["next_run_datetime"].endswith("T10:30:00Z")
    after = patch(stack, user, task, {"timezone": "Asia/Kolkata"})
    assert after["timezone"] == "Asia/Kolkata"
    # 10:30 in Kolkata (+05:30) is 05:00 UTC.
    assert after["next_run_datetime"].endswith("T05:00:00Z")


def test_unknown_fields_ignored_and_own_type_accepted(stack, user):
    task = create(stack, user, periodic())
    before = get_task(stack, user, task)
    after = patch(stack, user, task, {"no_such_field": 1,
                                      "task_type": "periodic"})
    assert after == before
    after = patch(stack, user, task, {"task_type": "interval",
                                      "frequency": 7200})
    assert after["frequency"] == 7200 and after["task_type"] == "periodic"
