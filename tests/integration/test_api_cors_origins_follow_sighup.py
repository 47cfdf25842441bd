"""cors_allowed_origins applies on SIGHUP (docs/API.md §22): an origin
added is answered at once by every worker, one removed gets nothing any
more; a list with a value that is not an origin fails the reload and
keeps the running list, and the log says why."""
import pytest

from api_helpers import new_user

A = "https://a.example.com"
B = "http://b.example.com:8080"


@pytest.fixture
def reloadable(stack):
    saved = dict(stack.config)
    yield stack
    stack.config.clear()
    stack.config.update(saved)
    stack.write_config()
    stack.reload_api()
    stack.wait_health()


def allowed_origin(s, token, origin):
    resp = s.request("GET", "/tasks", token=token, headers={"Origin": origin})
    assert resp.status == 200, resp
    return resp.headers.get("access-control-allow-origin")


def preflight_ok(s, origin):
    resp = s.request("OPTIONS", "/tasks", headers={
        "Origin": origin, "Access-Control-Request-Method": "POST"})
    assert resp.status == 204, resp
    return "access-control-allow-methods" in resp.headers


def test_sighup_changes_the_list(reloadable):
    s = reloadable
    _, token = new_user(s, "cors-hup")
    workers = s.api_worker_pids()
    # Many requests, each on a new connection, so every worker answers some.
    for _ in range(8):
        assert allowed_origin(s, token, A) is None
    s.set_config(cors_allowed_origins=A)
    s.reload_api()
    for _ in range(12):
        assert allowed_origin(s, token, A) == A
        assert allowed_origin(s, token, B) is None
        assert preflight_ok(s, A) and not preflight_ok(s, B)
    s.set_config(cors_allowed_origins=f"{B} ,")
    s.reload_api()
    for _ in range(12):
        assert allowed_origin(s, token, A) is None
        assert allowed_origin(s, token, B) == B
        assert preflight_ok(s, B) and not preflight_ok(s, A)
    # Not an origin: the reload fails, B stays.
    with open(s.api.log_path, "rb") as f:
        start = len(f.read())
    s.set_config(cors_allowed_origins=f"{A}/app")
    s.reload_api()
    with open(s.api.log_path, "rb") as f:
        log = f.read()[start:].decode()
    assert "reload failed" in log and "cors_allowed_origins" in log and \
        f'"{A}/app" is not an origin' in log, log
    for _ in range(8):
        assert allowed_origin(s, token, B) == B
        assert allowed_origin(s, token, A) is None
    s.set_config(cors_allowed_origins=None)
    s.reload_api()
    for _ in range(8):
        assert allowed_origin(s, token, B) is None
        assert not preflight_ok(s, B)
    assert s.api_worker_pids() == workers, "SIGHUP restarted the workers"
