"""When a request is wrong in several ways at once, the user gets the answer
of the first failed check of docs/API.md §4: body too large (413), unknown
path (404) or wrong method (405), authentication (401), body and query
(400), existence (404), ownership (403), state (409)."""
import json

from api_helpers import (JSON, assert_error, assert_ok, assert_unauthorized,
                         complete, create, new_user, one_time, periodic,
                         raw_http, status_of, stored_tasks, unknown_id)

TOO_LARGE = b"{" + b" " * (65 * 1024) + b"}"     # 65 KiB + 2 bytes
FORBIDDEN = "Forbidden: Task does not belong to this user"


def test_413_for_a_body_one_byte_over_64_kib(stack):
    name, token = new_user(stack)
    body = json.dumps(one_time()).encode()
    raw = body[:-1] + b" " * (64 * 1024 + 1 - len(body)) + b"}"
    assert len(raw) == 64 * 1024 + 1
    resp = stack.request("POST", "/tasks", raw=raw, token=token)
    # nginx answers it; its headers are checked in test_api_no_store.
    assert_error(resp, 413, "Request body too large", no_store=False)
    assert stored_tasks(stack, name) == 0


def test_a_valid_body_of_exactly_64_kib_is_accepted(stack):
    name, token = new_user(stack)
    body = json.dumps(one_time()).encode()
    raw = body[:-1] + b" " * (64 * 1024 - len(body)) + b"}"
    assert len(raw) == 64 * 1024
    resp = stack.request("POST", "/tasks", raw=raw, token=token)
    assert_ok(resp, 201)
    assert stored_tasks(stack, name) == 1


def chunked(stack, token, body, size=4096):
    """POSTs body to /tasks with Transfer-Encoding: chunked."""
    chunks = b"".join(b"%x\r\n%s\r\n" % (len(body[i:i + size]),
                                          body[i:i + size])
                      for i in range(0, len(body), size))
    return raw_http(stack, (
        b"POST /tasks HTTP/1.1\r\nHost: localhost\r\n"
        b"Authorization: Bearer " + token.encode() + b"\r\n"
        b"Content-Type: application/json\r\n"
        b"Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n" +
        chunks + b"0\r\n\r\n"))


def test_chunked_bodies_count_the_same(stack):
    name, token = new_user(stack)
    body = json.dumps(one_time()).encode()
    status, headers, _ = chunked(stack, token, body, size=7)
    assert (status, headers.get("content-type")) == (201, JSON)
    padded = body[:-1] + b" " * (64 * 1024 + 1 - len(body)) + b"}"
    status, headers, out = chunked(stack, token, padded)
    assert status == 413, out
    assert json.loads(out) == {"error": {"message": "Request body too large"}}
    assert stored_tasks(stack, name) == 1


def test_413_before_404_405_and_401(stack):
    _, token = new_user(stack)
    for method, path, tok in (("POST", "/no/such/path", token),
                              ("POST", "/health", token),
                              ("PUT", "/tasks", token),
                              ("POST", "/tasks", None),
                              ("POST", "/tasks/pause", None)):
        resp = stack.request(method, path, raw=TOO_LARGE, token=tok)
        assert_error(resp, 413, "Request body too large", no_store=False)


def test_404_and_405_before_401(stack):
    assert_error(stack.request("GET", "/tasks/a/b/c"), 404, "Not found")
    assert_error(stack.request("GET", "/tasks/id"), 404, "Not found")
    resp = stack.request("PUT", "/tasks", body={})
    assert_error(resp, 405, "Method not allowed")
    resp = stack.request("GET", "/tasks/pause",
                         headers={"Authorization": "Bearer nope"})
    assert_error(resp, 405, "Method not allowed")


def test_401_before_400(stack):
    # Bad body, bad query, bad bulk ids: without a valid token all are 401.
    assert_unauthorized(stack.request("POST", "/tasks", raw=b"{not json"))
    assert_unauthorized(stack.request("POST", "/tasks", body={"x": 1},
                                      token="unknown-token"))
    assert_unauthorized(stack.request("GET", "/tasks?page=0"))
    assert_unauthorized(stack.request("POST", "/tasks/pause",
                                      body={"ids": 5}))
    assert_unauthorized(stack.request("GET", f"/tasks/{unknown_id()}/runs"
                                      "?per_page=0"))


def test_401_before_404_and_403(stack):
    _, owner = new_user(stack)
    task = create(stack, owner, periodic())
    for method, path in (("GET", f"/tasks/{unknown_id()}"),
                         ("GET", f"/tasks/{task}"),
                         ("DELETE", f"/tasks/{task}"),
                         ("POST", f"/tasks/{task}/pause"),
                         ("GET", f"/tasks/{task}/runs")):
        assert_unauthorized(stack.request(method, path))
    assert status_of(stack, task) == "active"


def test_400_before_404_and_403(stack):
    _, me = new_user(stack)
    _, other = new_user(stack)
    theirs = create(stack, other, periodic())
    for task in (unknown_id(), theirs):
        resp = stack.request("GET", f"/tasks/{task}/runs?page=0", token=me)
        assert_error(resp, 400, field="page")
        resp = stack.request("GET", f"/tasks/{task}/runs?per_page=501",
                             token=me)
        assert_error(resp, 400, field="per_page")
        resp = stack.request("POST", "/tasks/pause",
                             body={"ids": [task, 7]}, token=me)
        assert_error(resp, 400, field="ids")
        resp = stack.request("POST", "/tasks/resume",
                             raw=b'{"ids": ["%s"],}' % task.encode(),
                             token=me)
        assert_error(resp, 400)
    assert status_of(stack, theirs) == "active"


def test_404_before_403_in_a_bulk_call(stack):
    _, me = new_user(stack)
    _, other = new_user(stack)
    mine = create(stack, me, periodic())
    theirs = create(stack, other, periodic())
    for ids in ([theirs, unknown_id()], [unknown_id(), theirs, mine]):
        for op in ("pause", "resume"):
            resp = stack.request("POST", f"/tasks/{op}", body={"ids": ids},
                                 token=me)
            assert_error(resp, 404, "Task not found")
    assert status_of(stack, mine) == "active"
    assert status_of(stack, theirs) == "active"


def test_403_before_409(stack):
    _, me = new_user(stack)
    _, other = new_user(stack)
    done = create(stack, me, one_time())
    complete(stack, done)
    theirs = create(stack, other, periodic())
    theirs_done = create(stack, other, periodic())
    complete(stack, theirs_done)
    resp = stack.request("POST", "/tasks/pause", body={"ids": [done, theirs]},
                         token=me)
    assert_error(resp, 403, FORBIDDEN)
    resp = stack.request("POST", f"/tasks/{theirs_done}/pause", token=me)
    assert_error(resp, 403, FORBIDDEN)
    assert status_of(stack, theirs) == "active"


def test_409_last(stack):
    _, me = new_user(stack)
    done = create(stack, me, one_time())
    complete(stack, done)
    for path in (f"/tasks/{done}/pause", f"/tasks/{done}/resume"):
        assert_error(stack.request("POST", path, token=me), 409,
                     "Task has already completed")
    for op in ("pause", "resume"):
        resp = stack.request("POST", f"/tasks/{op}", body={"ids": [done]},
                             token=me)
        assert_error(resp, 409, "Task has already completed")
    assert status_of(stack, done) == "completed"
    # Reading and deleting a completed task is fine.
    assert_ok(stack.request("GET", f"/tasks/{done}", token=me))
    assert_ok(stack.request("DELETE", f"/tasks/{done}", token=me))
