"""HEAD is allowed wherever GET is (docs/API.md §3): the same status and
headers as the GET of the same path, and no body — not even on the wire."""
import pytest

from api_helpers import create, new_user, periodic, raw_http, unknown_id

# Headers that differ between two answers whatever the method.
VOLATILE = {"date"}


@pytest.fixture(scope="module")
def user(stack):
    _, token = new_user(stack, "head")
    return token


def same_headers(get, head):
    g = {k: v for k, v in get.headers.items() if k not in VOLATILE}
    h = {k: v for k, v in head.headers.items() if k not in VOLATILE}
    assert h == g, (get.headers, head.headers)


@pytest.mark.parametrize("path,auth", [
    ("/tasks", True), ("/tasks/{task}", True), ("/tasks/id/{task}", True),
    ("/tasks/{task}/runs", True), ("/tasks/{unknown}", True),
    ("/tasks", False), ("/health", False), ("/metrics", False),
])
def test_head_is_get_without_the_body(stack, user, path, auth):
    task = create(stack, user, periodic())
    path = path.replace("{task}", task).replace("{unknown}", unknown_id())
    token = user if auth else None
    get = stack.request("GET", path, token=token)
    head = stack.request("HEAD", path, token=token)
    assert head.status == get.status, (get, head)
    assert get.body, get
    assert head.body == b"", head
    if path == "/metrics":
        # Its counters move between the two requests: the length may too.
        get.headers.pop("content-length")
        head.headers.pop("content-length")
    same_headers(get, head)
    if get.status == 200 and path != "/metrics":
        assert head.headers["content-length"] == str(len(get.body))


def test_no_body_bytes_on_the_wire(stack, user):
    task = create(stack, user, periodic())
    status, headers, body = raw_http(stack, (
        f"HEAD /tasks/{task} HTTP/1.1\r\nHost: x\r\n"
        f"Authorization: Bearer {user}\r\nConnection: close\r\n\r\n").encode())
    assert status == 200, headers
    assert int(headers["content-length"]) > 0
    assert body == b""


def test_head_where_get_is_not_is_405_naming_head_only_with_get(stack, user):
    task = create(stack, user, periodic())
    resp = stack.request("HEAD", f"/tasks/{task}/pause", token=user)
    assert resp.status == 405 and resp.body == b""
    assert resp.headers["allow"] == "POST, OPTIONS"
    resp = stack.request("PUT", "/health")
    assert resp.status == 405
    assert resp.headers["allow"] == "GET, HEAD, OPTIONS"
    assert stack.request("GET", f"/tasks/{task}", token=user).status == 200
