"""CORS is off by default (docs/API.md §1, "Browsers on other origins"):
without cors_allowed_origins no answer carries an Access-Control-* header
or Vary, whatever Origin a request names. OPTIONS on any API path still
answers 204 with Allow (ending in OPTIONS) and no body, without a token;
an unknown path stays 404."""
import pytest

from api_helpers import assert_error, assert_unauthorized, create, new_user, \
    periodic

ORIGIN = "https://app.example.com"
PREFLIGHT = {"Origin": ORIGIN, "Access-Control-Request-Method": "GET",
             "Access-Control-Request-Headers": "authorization"}


def assert_no_cors(resp):
    cors = {k: v for k, v in resp.headers.items()
            if k.startswith("access-control-") or k == "vary"}
    assert not cors, f"CORS headers while CORS is off: {cors} on {resp!r}"


@pytest.mark.parametrize("path,allow", [
    ("/tasks", "GET, HEAD, POST, DELETE, OPTIONS"),
    ("/tasks/", "GET, HEAD, POST, DELETE, OPTIONS"),
    ("/tasks/0123456789abcdef0123456789abcdef",
     "GET, HEAD, DELETE, PATCH, OPTIONS"),
    ("/tasks/name/x", "GET, HEAD, DELETE, PATCH, OPTIONS"),
    ("/tasks/pause", "POST, OPTIONS"),
    ("/tasks/0123456789abcdef0123456789abcdef/run", "POST, OPTIONS"),
    ("/admin/tasks/0123456789abcdef0123456789abcdef", "DELETE, OPTIONS"),
    ("/health", "GET, HEAD, OPTIONS"),
])
def test_options_is_204_with_allow_and_no_cors(stack, path, allow):
    for headers in ({}, PREFLIGHT):
        resp = stack.request("OPTIONS", path, headers=headers)
        assert resp.status == 204, resp
        assert resp.headers["allow"] == allow, resp.headers
        assert resp.body == b"", resp
        assert resp.headers.get("cache-control") == "no-store", resp.headers
        assert "content-type" not in resp.headers, resp.headers
        assert_no_cors(resp)


def test_options_on_an_unknown_path_is_404(stack):
    resp = stack.request("OPTIONS", "/tasks/a/b/c", headers=PREFLIGHT)
    assert_error(resp, 404, "Not found")
    assert_no_cors(resp)


def test_answers_to_an_origin_carry_nothing(stack):
    _, token = new_user(stack, "cors-off")
    task = create(stack, token, periodic())
    for method, path, tok in (("GET", f"/tasks/{task}", token),
                              ("GET", "/tasks", None),
                              ("GET", "/nope", token),
                              ("PUT", "/tasks", token),
                              ("GET", "/health", None)):
        resp = stack.request(method, path, token=tok,
                             headers={"Origin": ORIGIN})
        assert resp.status in (200, 401, 404, 405), resp
        assert_no_cors(resp)
    assert_unauthorized(stack.request("GET", "/tasks",
                                      headers={"Origin": ORIGIN}))
