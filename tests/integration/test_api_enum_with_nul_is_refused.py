"""A fixed-word field is that word over its whole length: "one_time"
followed by \\u0000 and more is not a task type, "DELETE\\u0000X" is not a
method (docs/API.md §1, §7.2 and §8). Each is a 400 naming the field, and
nothing is stored (once they were accepted, the latter fired as DELETE).
The list filters, given %00 and more, are a 400 as well."""
import pytest

from api_helpers import (assert_error, assert_ok, new_user, one_time,
                         stored_tasks)


@pytest.fixture(scope="module")
def user(stack):
    return new_user(stack, "enumnul")


@pytest.mark.parametrize("fields,field", [
    ({"task_type": "one_time\x00garbage"}, "task_type"),
    ({"task_type": "one_time\x00"}, "task_type"),
    ({"task_type": "periodic\x00", "frequency": 3600}, "task_type"),
    ({"task_type": "interval\x00x"}, "task_type"),
    ({"task_type": "cron\x00", "cron": "@daily"}, "task_type"),
    ({"request_method": "DELETE\x00X"}, "request_method"),
    ({"request_method": "DELETE\x00"}, "request_method"),
    ({"request_method": "POST\x00POST"}, "request_method"),
    ({"request_method": "GET\x00\x00"}, "request_method"),
])
def test_word_with_nul_is_refused_and_not_stored(stack, user, fields, field):
    name, token = user
    before = stored_tasks(stack, name)
    resp = stack.request("POST", "/tasks", token=token, body=one_time(**fields))
    error = assert_error(resp, 400, field=field)
    assert field in error["message"], error
    assert stored_tasks(stack, name) == before


@pytest.mark.parametrize("qs,field", [
    ("status=active%00", "status"),
    ("status=active%00x", "status"),
    ("task_type=one_time%00garbage", "task_type"),
    ("task_type=cron%00", "task_type"),
])
def test_filter_with_nul_is_refused(stack, user, qs, field):
    _, token = user
    assert_error(stack.request("GET", "/tasks?" + qs, token=token), 400,
                 field=field)


def test_the_words_alone_still_work(stack, user):
    name, token = user
    before = stored_tasks(stack, name)
    resp = stack.request("POST", "/tasks", token=token,
                         body=one_time(request_method="DELETE"))
    assert_ok(resp, 201)
    assert stored_tasks(stack, name) == before + 1
