"""With cors_allowed_origins set (docs/API.md §1, "Browsers on other
origins"): a preflight from a listed origin is answered without a token
with the Access-Control-Allow-* headers; every answer to a listed Origin,
errors included, carries Access-Control-Allow-Origin (that origin), Vary:
Origin and Access-Control-Expose-Headers; an origin not listed gets no
Access-Control-* header at all. Never Allow-Credentials: tokens travel in
Authorization, not cookies."""
import pytest

from api_helpers import (assert_error, assert_ok, assert_unauthorized, create,
                         new_user, periodic)

LISTED = "https://app.example.com, http://localhost:8080"
ORIGIN = "https://app.example.com"
OTHER = "http://localhost:8080"
ALLOW_HEADERS = "Authorization, Content-Type, If-Match, Idempotency-Key"
EXPOSE = "ETag, Location, Idempotent-Replayed, WWW-Authenticate"
TASK_PATH_METHODS = "GET, HEAD, DELETE, PATCH, OPTIONS"
NOT_LISTED = ["https://evil.example", "http://app.example.com",
              "https://app.example.com:8443", "https://app.example.com.evil",
              "https://APP.example.com", "null", "https://app.example.com/",
              "*"]


@pytest.fixture(scope="module")
def cors(stack):
    """The shared stack with cors_allowed_origins = LISTED; put back as it
    was afterwards."""
    saved = dict(stack.config)
    stack.set_config(cors_allowed_origins=LISTED)
    stack.reload_api()
    yield stack
    stack.config.clear()
    stack.config.update(saved)
    stack.write_config()
    stack.reload_api()
    stack.wait_health()


@pytest.fixture(scope="module")
def user(cors):
    return new_user(cors, "cors")[1]


def cors_headers(resp):
    return {k: v for k, v in resp.headers.items()
            if k.startswith("access-control-") or k == "vary"}


def assert_cors_answer(resp, origin=ORIGIN):
    """The headers of any answer to a listed origin, and no preflight ones."""
    assert cors_headers(resp) == {
        "access-control-allow-origin": origin,
        "vary": "Origin",
        "access-control-expose-headers": EXPOSE,
    }, resp.headers


def preflight(s, path, method, origin=ORIGIN, **extra):
    headers = {"Origin": origin, "Access-Control-Request-Method": method,
               "Access-Control-Request-Headers":
               "authorization,content-type,if-match"}
    headers.update(extra)
    return s.request("OPTIONS", path, headers=headers)


@pytest.mark.parametrize("path,method,methods", [
    ("/tasks/0123456789abcdef0123456789abcdef", "PATCH", TASK_PATH_METHODS),
    ("/tasks/0123456789abcdef0123456789abcdef/", "DELETE", TASK_PATH_METHODS),
    ("/tasks/name/some-name", "GET", TASK_PATH_METHODS),
    ("/tasks", "POST", "GET, HEAD, POST, DELETE, OPTIONS"),
    ("/tasks", "HEAD", "GET, HEAD, POST, DELETE, OPTIONS"),
    ("/tasks/pause", "POST", "POST, OPTIONS"),
    ("/admin/stats", "GET", "GET, HEAD, OPTIONS"),
])
def test_preflight_from_a_listed_origin_without_a_token(cors, path, method,
                                                        methods):
    for origin in (ORIGIN, OTHER):
        resp = preflight(cors, path, method, origin=origin)
        assert resp.status == 204, resp
        assert resp.body == b"", resp
        assert resp.headers["allow"] == methods, resp.headers
        assert cors_headers(resp) == {
            "access-control-allow-origin": origin,
            "vary": "Origin",
            "access-control-expose-headers": EXPOSE,
            "access-control-allow-methods": methods,
            "access-control-allow-headers": ALLOW_HEADERS,
            "access-control-max-age": "600",
        }, resp.headers
        assert "access-control-allow-credentials" not in resp.headers


def test_preflight_for_a_method_the_path_lacks_allows_nothing(cors):
    # The browser then refuses the request: no Allow-Methods, no
    # Allow-Headers; the answer is still one to a listed origin.
    for method in ("PUT", "POST", "patch", "OPTIONS", ""):
        resp = preflight(cors, "/tasks/0123456789abcdef0123456789abcdef",
                         method)
        assert resp.status == 204, resp
        assert_cors_answer(resp)
    resp = cors.request("OPTIONS", "/tasks", headers={"Origin": ORIGIN})
    assert resp.status == 204 and resp.headers["allow"].endswith("OPTIONS")
    assert_cors_answer(resp)


def test_preflight_from_an_origin_not_listed_gets_nothing(cors):
    for origin in NOT_LISTED:
        resp = preflight(cors, "/tasks", "POST", origin=origin)
        assert resp.status == 204, resp
        assert resp.headers["allow"] == "GET, HEAD, POST, DELETE, OPTIONS"
        assert cors_headers(resp) == {}, (origin, resp.headers)
    resp = cors.request("OPTIONS", "/tasks",
                        headers={"Access-Control-Request-Method": "POST"})
    assert resp.status == 204 and cors_headers(resp) == {}, resp.headers


def test_preflight_of_an_unknown_path_is_404(cors):
    resp = preflight(cors, "/tasks/a/b/c", "GET")
    assert_error(resp, 404, "Not found")
    assert_cors_answer(resp)


def test_answers_to_a_listed_origin_carry_the_headers(cors, user):
    o = {"Origin": ORIGIN}
    resp = cors.request("POST", "/tasks", body=periodic(), token=user,
                        headers=o)
    task = assert_ok(resp, 201)["id"]
    assert resp.headers["location"] == f"/tasks/{task}"
    assert_cors_answer(resp)
    resp = cors.request("GET", f"/tasks/{task}", token=user, headers=o)
    assert_ok(resp)
    assert resp.headers["etag"] == '"1"'
    assert_cors_answer(resp)
    # An idempotent replay: ETag-free, but Location, Idempotent-Replayed
    # and the three CORS headers at once.
    k = {"Origin": OTHER, "Idempotency-Key": f"cors-{task}"}
    body = periodic()
    first = cors.request("POST", "/tasks", body=body, token=user, headers=k)
    again = cors.request("POST", "/tasks", body=body, token=user, headers=k)
    assert first.status == again.status == 201, (first, again)
    assert again.headers["idempotent-replayed"] == "true"
    assert_cors_answer(again, OTHER)
    # A PATCH answer with its ETag.
    resp = cors.request("PATCH", f"/tasks/{task}", body={"name": "cors-x"},
                        token=user, headers=dict(o, **{"If-Match": '"1"'}))
    assert_ok(resp)
    assert resp.headers["etag"] == '"2"'
    assert_cors_answer(resp)
    # Errors too: 401 (its WWW-Authenticate readable), 404, 405, 400, 412.
    resp = cors.request("GET", "/tasks", headers=o)
    assert_unauthorized(resp)
    assert_cors_answer(resp)
    resp = cors.request("GET", "/tasks/0123456789abcdef0123456789abcdef",
                        token=user, headers=o)
    assert_error(resp, 404, "Task not found")
    assert_cors_answer(resp)
    resp = cors.request("GET", "/no/such/path", headers=o)
    assert_error(resp, 404, "Not found")
    assert_cors_answer(resp)
    resp = cors.request("PUT", "/tasks", token=user, headers=o)
    assert_error(resp, 405, "Method not allowed")
    assert_cors_answer(resp)
    resp = cors.request("POST", "/tasks", body={"url": 1}, token=user,
                        headers=o)
    assert resp.status == 400, resp
    assert_cors_answer(resp)
    resp = cors.request("PATCH", f"/tasks/{task}", body={}, token=user,
                        headers=dict(o, **{"If-Match": '"1"'}))
    assert_error(resp, 412, "Task has been changed by another request")
    assert_cors_answer(resp)
    resp = cors.request("GET", "/health", headers=o)
    assert resp.status == 200
    assert_cors_answer(resp)


def test_answers_to_an_origin_not_listed_carry_nothing(cors, user):
    task = create(cors, user, periodic())
    for origin in NOT_LISTED:
        for method, path, tok in (("GET", f"/tasks/{task}", user),
                                  ("GET", "/tasks", None),
                                  ("GET", "/nope", user)):
            resp = cors.request(method, path, token=tok,
                                headers={"Origin": origin})
            assert resp.status in (200, 401, 404), resp
            assert cors_headers(resp) == {}, (origin, resp.headers)
    resp = cors.request("GET", f"/tasks/{task}", token=user)
    assert cors_headers(resp) == {}, resp.headers
