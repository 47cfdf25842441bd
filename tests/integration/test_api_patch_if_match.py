"""PATCH with If-Match (docs/API.md §14.3): the task's current version
("N", or *) lets it through; another version answers 412 "Task has been
changed by another request" and changes nothing; a weak tag W/"N" never
matches (If-Match compares strongly). Two clients patching with the same
If-Match at once: exactly one 200 and one 412."""
import pytest

from api_helpers import (assert_error, assert_ok, create, get_task,
                         new_user, periodic, run_at_once)

CHANGED = "Task has been changed by another request"


@pytest.fixture
def user(stack):
    return new_user(stack, "patchm")[1]


def patch(stack, token, task, body, if_match):
    return stack.request("PATCH", f"/tasks/{task}", body=body, token=token,
                         headers={"If-Match": if_match})


def test_stale_version_is_412(stack, user):
    task = create(stack, user, periodic(frequency=60))
    got = assert_ok(patch(stack, user, task, {"frequency": 120}, '"1"'))
    assert got["version"] == 2
    before = get_task(stack, user, task)
    for stale in ('"1"', '"3"', 'W/"2"', '"2x"', "2", '"1", "3"'):
        resp = patch(stack, user, task, {"frequency": 240}, stale)
        assert_error(resp, 412, CHANGED)
    assert get_task(stack, user, task) == before
    # A no-op with a stale version is refused as well: nothing is read as
    # current that is not.
    assert_error(patch(stack, user, task, {}, '"1"'), 412, CHANGED)
    got = assert_ok(patch(stack, user, task, {"frequency": 240}, '"7", "2"'))
    assert got["version"] == 3
    got = assert_ok(patch(stack, user, task, {"frequency": 300}, "*"))
    assert got["version"] == 4


def test_two_clients_same_version(stack, user):
    for _ in range(5):
        task = create(stack, user, periodic(frequency=60))
        bodies = [{"frequency": 120}, {"url": "https://example.org/b"}]
        answers = run_at_once(2, lambda i: patch(stack, user, task,
                                                 bodies[i], '"1"'))
        assert sorted(a.status for a in answers) == [200, 412], answers
        won = 0 if answers[0].status == 200 else 1
        got = get_task(stack, user, task)
        assert got["version"] == 2
        assert got["frequency"] == (120 if won == 0 else 60)
        assert got["url"] == ("https://example.org/b" if won == 1
                              else "https://example.com/hook")
