"""PATCH answers as the other task routes do (docs/API.md §14.3, §4): 404
for no such task, 403 for another user's (by id; by name another user's
task is simply not found), 409 for a completed task, and 409 for a name
another of the user's tasks has; nothing changes in each case."""
import pytest

from api_helpers import (assert_error, complete, create, get_task, new_user,
                         one_time, periodic, unknown_id)


@pytest.fixture
def user(stack):
    return new_user(stack, "patchc")[1]


def test_unknown_and_foreign(stack, user):
    other = new_user(stack, "patchc-other")[1]
    theirs = create(stack, other, periodic(name="theirs"))
    before = get_task(stack, other, theirs)
    for path, status in ((f"/tasks/{unknown_id()}", 404),
                         ("/tasks/not-an-id", 404),
                         (f"/tasks/{theirs}", 403),
                         (f"/tasks/id/{theirs}", 403),
                         ("/tasks/name/theirs", 404),
                         ("/tasks/name/bad%20name", 404)):
        resp = stack.request("PATCH", path, body={"url": "https://x.example/"},
                             token=user)
        assert_error(resp, status), path
    assert get_task(stack, other, theirs) == before


def test_completed_is_409(stack, user):
    task = create(stack, user, one_time())
    complete(stack, task)
    before = get_task(stack, user, task)
    resp = stack.request("PATCH", f"/tasks/{task}", body={}, token=user)
    assert_error(resp, 409, "Task has already completed")
    assert get_task(stack, user, task) == before


def test_name_taken_is_409(stack, user):
    create(stack, user, periodic(name="taken"))
    task = create(stack, user, periodic(name="mine"))
    before = get_task(stack, user, task)
    resp = stack.request("PATCH", f"/tasks/{task}",
                         body={"name": "taken", "url": "https://x.example/"},
                         token=user)
    assert_error(resp, 409, "A task with this name already exists")
    assert get_task(stack, user, task) == before
    # Another user's name is no clash.
    other = new_user(stack, "patchc-o2")[1]
    create(stack, other, periodic(name="elsewhere"))
    resp = stack.request("PATCH", f"/tasks/{task}", body={"name": "elsewhere"},
                         token=user)
    assert resp.status == 200, resp
