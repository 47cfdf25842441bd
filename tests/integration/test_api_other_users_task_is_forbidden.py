"""A user acts only on their own tasks (docs/API.md §2): another user's task
answers 403 `Forbidden: Task does not belong to this user` on every
per-task path, and an id nobody has answers 404 `Task not found`; in
neither case does anything change."""
import pytest

from api_helpers import (assert_error, assert_ok, create, get_task, new_user,
                         periodic, status_of, unknown_id)

FORBIDDEN = "Forbidden: Task does not belong to this user"
PER_TASK = [
    ("GET", "/tasks/{id}"),
    ("GET", "/tasks/{id}/"),
    ("GET", "/tasks/id/{id}"),
    ("DELETE", "/tasks/{id}"),
    ("DELETE", "/tasks/id/{id}/"),
    ("POST", "/tasks/{id}/pause"),
    ("POST", "/tasks/{id}/resume"),
    ("GET", "/tasks/{id}/runs"),
    ("POST", "/tasks/pause"),
    ("POST", "/tasks/resume"),
]


@pytest.fixture(scope="module")
def owner(stack):
    _, token = new_user(stack, "owner")
    return token


@pytest.fixture(scope="module")
def intruder(stack):
    _, token = new_user(stack, "intruder")
    return token


def call(stack, method, path, task, token):
    body = {"ids": [task]} if path.startswith("/tasks/pause") or \
        path.startswith("/tasks/resume") else None
    return stack.request(method, path.replace("{id}", task), body=body,
                         token=token)


@pytest.mark.parametrize("method,path", PER_TASK)
def test_another_users_task_is_403(stack, owner, intruder, method, path):
    task = create(stack, owner, periodic())
    before = get_task(stack, owner, task)
    assert_error(call(stack, method, path, task, intruder), 403, FORBIDDEN)
    assert get_task(stack, owner, task) == before


def test_another_users_paused_task_stays_paused(stack, owner, intruder):
    task = create(stack, owner, periodic())
    assert_ok(stack.request("POST", f"/tasks/{task}/pause", token=owner))
    assert_error(call(stack, "POST", "/tasks/{id}/resume", task, intruder),
                 403, FORBIDDEN)
    assert_error(call(stack, "POST", "/tasks/resume", task, intruder), 403,
                 FORBIDDEN)
    assert status_of(stack, task) == "paused"


def test_another_users_tasks_are_not_listed(stack, owner, intruder):
    create(stack, owner, periodic())
    mine = create(stack, intruder, periodic())
    body = assert_ok(stack.request("GET", "/tasks", token=intruder))
    assert body["count"] == len(body["tasks"])
    assert mine in [t["id"] for t in body["tasks"]]
    owners = stack.sql("SELECT DISTINCT u.name FROM tasks t JOIN users u "
                       "ON u.id = t.owner_id WHERE t.id IN (%s)" %
                       ", ".join(["%s"] * len(body["tasks"])),
                       tuple(t["id"] for t in body["tasks"]))
    assert len(owners) == 1


@pytest.mark.parametrize("method,path", PER_TASK)
@pytest.mark.parametrize("task", [
    "0123456789abcdef0123456789abcdef",      # the shape of an id
    "0123456789ABCDEF0123456789ABCDEF",
    "x", "12345", "a" * 33, "a" * 500, "-", "_", "~",
])
def test_unknown_id_is_404(stack, owner, method, path, task):
    assert_error(call(stack, method, path, task, owner), 404,
                 "Task not found")


def test_deleted_task_is_404_everywhere(stack, owner, intruder):
    task = create(stack, owner, periodic())
    assert_ok(stack.request("DELETE", f"/tasks/{task}", token=owner))
    for method, path in PER_TASK:
        for token in (owner, intruder):
            assert_error(call(stack, method, path, task, token), 404,
                         "Task not found")


def test_deleted_by_id_path_is_gone_too(stack, owner):
    task = create(stack, owner, periodic())
    assert_ok(stack.request("DELETE", f"/tasks/id/{task}", token=owner))
    assert status_of(stack, task) is None
    assert_error(stack.request("GET", f"/tasks/{task}", token=owner), 404,
                 "Task not found")


def test_unknown_ids_and_users_tasks_do_not_leak_through_bulk(stack, owner,
                                                             intruder):
    theirs = create(stack, owner, periodic())
    for ids in ([theirs], [theirs, theirs]):
        assert_error(stack.request("POST", "/tasks/pause", body={"ids": ids},
                                   token=intruder), 403, FORBIDDEN)
    assert_error(stack.request("POST", "/tasks/pause",
                               body={"ids": [unknown_id()]}, token=intruder),
                 404, "Task not found")
    assert status_of(stack, theirs) == "active"
