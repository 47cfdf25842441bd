"""Every task carries a version (docs/API.md §14.3): 1 at creation, +1 for
a PATCH that changes something, a pause of an active task and a resume
of a paused one (bulk forms too); a no-op PATCH ({} or the same values),
a second pause or resume, and a refused request leave it. GET by id, by
/tasks/id/ and by name answers it as ETag: "<version>"."""
import pytest

from api_helpers import (assert_ok, create, new_user, pause, periodic,
                         resume)


@pytest.fixture
def user(stack):
    return new_user(stack, "patchv")[1]


def version(stack, token, task, name=None):
    """The version, checked to be the same on every GET route and as ETag."""
    seen = set()
    paths = [f"/tasks/{task}", f"/tasks/id/{task}"]
    if name:
        paths.append(f"/tasks/name/{name}")
    for path in paths:
        resp = stack.request("GET", path, token=token)
        got = assert_ok(resp)
        assert resp.headers.get("etag") == f'"{got["version"]}"', resp.headers
        seen.add(got["version"])
    assert len(seen) == 1, seen
    return seen.pop()


def patch(stack, token, task, body):
    return assert_ok(stack.request("PATCH", f"/tasks/{task}", body=body,
                                   token=token))


def test_single_task_versions(stack, user):
    task = create(stack, user, periodic(name="counted", frequency=60))
    assert version(stack, user, task, "counted") == 1
    patch(stack, user, task, {})
    patch(stack, user, task, {"frequency": 60, "name": "counted"})
    assert version(stack, user, task, "counted") == 1
    assert patch(stack, user, task, {"frequency": 120})["version"] == 2
    pause(stack, user, task)
    assert version(stack, user, task, "counted") == 3
    pause(stack, user, task)
    assert version(stack, user, task, "counted") == 3
    resume(stack, user, task)
    assert version(stack, user, task, "counted") == 4
    resume(stack, user, task)
    assert version(stack, user, task, "counted") == 4
    resp = stack.request("PATCH", f"/tasks/{task}", body={"frequency": 1},
                         token=user)
    assert resp.status == 400
    assert version(stack, user, task, "counted") == 4


def test_bulk_pause_resume_count_once_each(stack, user):
    tasks = [create(stack, user, periodic()) for _ in range(3)]
    pause(stack, user, tasks[0])    # already paused: the bulk pause skips it
    assert [version(stack, user, t) for t in tasks] == [2, 1, 1]
    assert_ok(stack.request("POST", "/tasks/pause", token=user,
                            body={"ids": tasks + [tasks[1]]}))
    assert [version(stack, user, t) for t in tasks] == [2, 2, 2]
    assert_ok(stack.request("POST", "/tasks/resume", token=user,
                            body={"ids": tasks}))
    assert [version(stack, user, t) for t in tasks] == [3, 3, 3]
    assert_ok(stack.request("POST", "/tasks/resume", token=user,
                            body={"ids": tasks}))
    assert [version(stack, user, t) for t in tasks] == [3, 3, 3]
