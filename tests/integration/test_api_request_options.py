"""request_method and headers (docs/API.md §8): accepted, stored, shown
in the task; every refused form is a 400 on field request_method or
headers, and nothing is stored."""
import pytest

from api_helpers import (assert_error, create, get_task, new_user, one_time,
                         stored_tasks)


@pytest.fixture(scope="module")
def user(stack):
    return new_user(stack, "options")


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "GET", "DELETE"])
def test_every_method_is_stored_and_shown(stack, user, method):
    _, token = user
    task = create(stack, token, one_time(request_method=method))
    assert get_task(stack, token, task)["request_method"] == method


def test_defaults_are_post_and_no_headers(stack, user):
    _, token = user
    task = get_task(stack, token, create(stack, token, one_time(
        request_method=None, headers=None)))
    assert task["request_method"] == "POST" and task["headers"] == {}


def test_headers_come_back_in_order(stack, user):
    _, token = user
    headers = {"X-Api-Key": "s3cr3t/+=", "Accept": "application/json",
               "X-Empty": "", "X-Unicode": "h\u00e9llo"}
    task = get_task(stack, token, create(stack, token, one_time(headers=headers)))
    assert task["headers"] == headers
    assert list(task["headers"]) == list(headers)


@pytest.mark.parametrize("fields,field", [
    ({"request_method": "post"}, "request_method"),
    ({"request_method": "HEAD"}, "request_method"),
    ({"request_method": "OPTIONS"}, "request_method"),
    ({"request_method": ["POST"]}, "request_method"),
    ({"headers": "X-A: b"}, "headers"),
    ({"headers": {"Host": "evil"}}, "headers"),
    ({"headers": {"host": "evil"}}, "headers"),
    ({"headers": {"Content-Length": "0"}}, "headers"),
    ({"headers": {"content-type": "text/plain"}}, "headers"),
    ({"headers": {"Transfer-Encoding": "chunked"}}, "headers"),
    ({"headers": {"Connection": "close"}}, "headers"),
    ({"headers": {"user-agent": "me"}}, "headers"),
    ({"headers": {"X-Scheduler-Attempt": "9"}}, "headers"),
    ({"headers": {"x-scheduler-anything": "9"}}, "headers"),
    ({"headers": {"Bad Name": "x"}}, "headers"),
    ({"headers": {"X-A": "1\r\nX-B: 2"}}, "headers"),
    ({"headers": {"X-A": "1\n"}}, "headers"),
    ({"headers": {"X-A": 1}}, "headers"),
    ({"headers": {"X-A": None}}, "headers"),
    ({"headers": {"X-A": "a", "x-a": "b"}}, "headers"),
    ({"headers": {"X-A": "v" * 1025}}, "headers"),
    ({"headers": {f"X-H{i}": "v" for i in range(21)}}, "headers"),
])
def test_refused_options_store_nothing(stack, user, fields, field):
    name, token = user
    before = stored_tasks(stack, name)
    resp = stack.request("POST", "/tasks", token=token, body=one_time(**fields))
    assert_error(resp, 400, field=field)
    assert stored_tasks(stack, name) == before


def test_limits_are_inclusive(stack, user):
    _, token = user
    create(stack, token, one_time(headers={"X-A": "v" * 1024}))
    create(stack, token, one_time(headers={f"X-H{i}": "v" for i in range(20)}))
