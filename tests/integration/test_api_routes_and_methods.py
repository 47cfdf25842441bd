"""Every path works with and without a trailing slash; `pause`, `resume`,
`id` and `name` are never task ids; a path not in docs/API.md §3's table is
404 `Not found`; a known path with another method is 405 `Method not
allowed` with an `Allow` header listing the methods it has (HEAD wherever
GET is, §3; PATCH on the three paths of one task, SPEC §15; OPTIONS, last,
on every path, docs/API.md §1)."""
import pytest

from api_helpers import (assert_error, assert_message, assert_ok, create,
                         new_user, periodic, status_of)


@pytest.fixture(scope="module")
def user(stack):
    _, token = new_user(stack, "routes")
    return token


def allow_set(resp):
    return {m.strip() for m in resp.headers.get("allow", "").split(",")
            if m.strip()}


def test_every_path_with_a_trailing_slash(stack, user):
    task = create(stack, user, periodic())
    other = create(stack, user, periodic())
    assert_ok(stack.request("GET", "/tasks/", token=user))
    assert_ok(stack.request("POST", "/tasks/", body=periodic(), token=user),
              201)
    for path in (f"/tasks/{task}/", f"/tasks/id/{task}/"):
        assert assert_ok(stack.request("GET", path, token=user))["id"] == task
    assert_message(stack.request("POST", f"/tasks/{task}/pause/", token=user),
                   "Task paused successfully")
    assert status_of(stack, task) == "paused"
    assert_message(stack.request("POST", f"/tasks/{task}/resume/",
                                 token=user), "Task resumed successfully")
    assert status_of(stack, task) == "active"
    assert_message(stack.request("POST", "/tasks/pause/",
                                 body={"ids": [task]}, token=user),
                   "Tasks have been successfully paused")
    assert_message(stack.request("POST", "/tasks/resume/",
                                 body={"ids": [task]}, token=user),
                   "Tasks have been resumed successfully")
    runs = assert_ok(stack.request("GET", f"/tasks/{task}/runs/", token=user))
    assert runs == {"count": 0, "page": 1, "per_page": 50, "runs": []}
    assert_ok(stack.request("GET", "/health/"))
    assert stack.request("GET", "/metrics/").status == 200
    assert_message(stack.request("DELETE", f"/tasks/{task}/", token=user),
                   "Task has been removed successfully")
    assert_message(stack.request("DELETE", f"/tasks/id/{other}/", token=user),
                   "Task has been removed successfully")
    assert status_of(stack, task) is None and status_of(stack, other) is None


@pytest.mark.parametrize("path", [
    "/", "/task", "/Tasks", "/TASKS", "/tasks/id", "/tasks/id/",
    "/tasks/name", "/tasks/name/x/runs", "/tasks/id/pause", "/tasks/id/resume",
    "/tasks/id/id", "/tasks/id/name", "/tasks/pause/pause",
    "/tasks/resume/runs", "/tasks/name/x/pause",
    "/tasks/pause/resume", "/tasks/id/{task}/pause", "/tasks/id/{task}/runs",
    "/tasks/{task}/foo", "/tasks/{task}/runs/1", "/tasks/{task}/pause/x",
    "/tasks/{task}/PAUSE", "/tasks//{task}", "/tasks/{task}//",
    "/tasks/{task}/runs//", "/health/x", "/healthz", "/metrics/x",
    "/admin", "/admin/task", "/admin/tasks/{task}/x", "/admin/Stats",
    "/index.html",
])
@pytest.mark.parametrize("method", ["GET", "POST", "DELETE"])
def test_unknown_paths_are_404(stack, user, path, method):
    task = create(stack, user, periodic()) if "{task}" in path else ""
    resp = stack.request(method, path.replace("{task}", task), token=user,
                         body={} if method == "POST" else None)
    assert_error(resp, 404, "Not found")
    if task:
        assert status_of(stack, task) == "active"


# The methods of the paths of one task, and of /tasks.
ONE_TASK = {"GET", "HEAD", "PATCH", "DELETE"}
TASKS = {"GET", "HEAD", "POST", "DELETE"}


@pytest.mark.parametrize("method,path,allowed", [
    ("PUT", "/tasks", TASKS),
    ("PATCH", "/tasks/", TASKS),
    ("POST", "/tasks/name/some-name", ONE_TASK),
    ("PUT", "/tasks/name/some-name/", ONE_TASK),
    ("GET", "/tasks/pause", {"POST"}),
    ("DELETE", "/tasks/pause/", {"POST"}),
    ("GET", "/tasks/resume", {"POST"}),
    ("PUT", "/tasks/resume", {"POST"}),
    ("POST", "/tasks/{task}", ONE_TASK),
    ("PUT", "/tasks/{task}/", ONE_TASK),
    ("PUT", "/tasks/{task}", ONE_TASK),
    ("POST", "/tasks/id/{task}", ONE_TASK),
    ("PUT", "/tasks/id/{task}/", ONE_TASK),
    ("GET", "/tasks/{task}/pause", {"POST"}),
    ("DELETE", "/tasks/{task}/pause/", {"POST"}),
    ("GET", "/tasks/{task}/resume", {"POST"}),
    ("POST", "/tasks/{task}/runs", {"GET", "HEAD"}),
    ("DELETE", "/tasks/{task}/runs/", {"GET", "HEAD"}),
    ("POST", "/health", {"GET", "HEAD"}),
    ("DELETE", "/health/", {"GET", "HEAD"}),
    ("POST", "/metrics", {"GET", "HEAD"}),
    ("PUT", "/metrics", {"GET", "HEAD"}),
    ("POST", "/admin/tasks", {"GET", "HEAD"}),
    ("PUT", "/admin/dispatchers/", {"GET", "HEAD"}),
    ("DELETE", "/admin/stats", {"GET", "HEAD"}),
])
def test_known_path_with_another_method_is_405_with_allow(stack, user, method,
                                                          path, allowed):
    task = create(stack, user, periodic())
    resp = stack.request(method, path.replace("{task}", task), token=user,
                         body={"ids": [task]})
    assert_error(resp, 405, "Method not allowed")
    assert allow_set(resp) == allowed | {"OPTIONS"}, resp.headers
    assert resp.headers["allow"].endswith(", OPTIONS"), resp.headers
    assert status_of(stack, task) == "active"


def test_405_for_an_unknown_id_too(stack, user):
    # The method check comes before existence: no lookup happens.
    resp = stack.request("PUT", "/tasks/0123456789abcdef0123456789abcdef",
                         token=user)
    assert_error(resp, 405, "Method not allowed")
    assert allow_set(resp) == ONE_TASK | {"OPTIONS"}


def test_reserved_words_are_never_ids(stack, user):
    # Each would be a task id under /tasks/{id}...; as reserved words they
    # are either their own route or nothing.
    assert_error(stack.request("GET", "/tasks/pause", token=user), 405)
    assert_error(stack.request("GET", "/tasks/resume", token=user), 405)
    for word in ("id", "name"):
        assert_error(stack.request("GET", f"/tasks/{word}", token=user), 404,
                     "Not found")
        assert_error(stack.request("DELETE", f"/tasks/{word}", token=user),
                     404, "Not found")
    for word in ("pause", "resume", "id", "name"):
        for method, path in (("POST", f"/tasks/{word}/pause"),
                             ("POST", f"/tasks/{word}/resume"),
                             ("GET", f"/tasks/{word}/runs"),
                             ("GET", f"/tasks/id/{word}"),
                             ("DELETE", f"/tasks/id/{word}")):
            if path in ("/tasks/name/pause", "/tasks/name/resume"):
                # /tasks/name/{name}: a name may be any word; POST is not
                # one of its methods.
                assert_error(stack.request(method, path, token=user), 405)
                continue
            if path in ("/tasks/id/runs", "/tasks/name/runs"):
                # /tasks/id/{id} asking for a task whose id is "runs", and
                # /tasks/name/{name} for a task named "runs".
                assert_error(stack.request(method, path, token=user), 404,
                             "Task not found")
                continue
            assert_error(stack.request(method, path, token=user), 404,
                         "Not found")


def test_query_string_does_not_change_the_route(stack, user):
    task = create(stack, user, periodic())
    got = assert_ok(stack.request("GET", f"/tasks/{task}?x=/pause",
                                  token=user))
    assert got["id"] == task
    got = assert_ok(stack.request("GET", f"/tasks/{task}/?a=1&b=2",
                                  token=user))
    assert got["id"] == task
    assert_ok(stack.request("GET", "/tasks?", token=user))
    assert_ok(stack.request("GET", "/health?verbose=1"))
