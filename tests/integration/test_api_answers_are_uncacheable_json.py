"""Every answer of the task API, success or error, is
`application/json; charset=utf-8` (Prometheus text for /metrics) with
`Cache-Control: no-store`, so that a pause, delete or revocation is seen
by the very next request (docs/API.md §1 and §5) -- including the errors
nginx produces itself."""
from api_helpers import (JSON, PROMETHEUS, assert_api_headers, create,
                         new_user, periodic, raw_http, unknown_id)


def test_every_route_success_and_error(stack):
    _, token = new_user(stack)
    _, other = new_user(stack)
    task = create(stack, token, periodic())
    theirs = create(stack, other, periodic())
    calls = [
        ("POST", "/tasks", periodic(), token),                  # 201
        ("GET", "/tasks", None, token),                         # 200
        ("GET", f"/tasks/{task}", None, token),
        ("GET", f"/tasks/id/{task}", None, token),
        ("POST", f"/tasks/{task}/pause", None, token),
        ("POST", f"/tasks/{task}/resume", None, token),
        ("POST", "/tasks/pause", {"ids": [task]}, token),
        ("POST", "/tasks/resume", {"ids": [task]}, token),
        ("GET", f"/tasks/{task}/runs", None, token),
        ("GET", "/health", None, None),
        ("GET", "/tasks", None, None),                          # 401
        ("GET", "/tasks?page=0", None, token),                  # 400
        ("POST", "/tasks", {}, token),                          # 400
        ("GET", f"/tasks/{theirs}", None, token),               # 403
        ("GET", f"/tasks/{unknown_id()}", None, token),         # 404
        ("GET", "/nope", None, token),                          # 404
        ("PUT", "/tasks", None, token),                         # 405
        ("DELETE", f"/tasks/{task}", None, token),              # 200
    ]
    for method, path, body, tok in calls:
        resp = stack.request(method, path, body=body, token=tok)
        assert_api_headers(resp)
    assert_api_headers(stack.request("GET", "/metrics"),
                       content_type=PROMETHEUS)


def test_nginx_413_is_json_and_not_cacheable(stack):
    resp = stack.request("POST", "/tasks", raw=b"{" + b" " * 70000 + b"}")
    assert resp.status == 413, resp
    assert resp.headers.get("content-type") == JSON, resp.headers
    assert resp.headers.get("cache-control") == "no-store", \
        ("nginx's own 413 lacks Cache-Control: no-store (nginx/"
         "stack.conf.template: add_header Cache-Control no-store always "
         "in the error locations)", resp.headers)


def test_long_paths_are_json_404(stack):
    for n in (1100, 5000):
        resp = stack.request("GET", "/tasks/" + "a" * n)
        assert resp.status == 404, resp
        assert_api_headers(resp)


def test_nginx_414_for_an_overlong_request_target_is_json(stack):
    resp = stack.request("GET", "/tasks/" + "a" * 20000)
    assert (resp.status, resp.headers.get("content-type")) == (414, JSON), \
        ("nginx answers an overlong request line with its own HTML "
         "(error_page 414 to a named location fails: 'empty URI in "
         "redirect to named location' in nginx-error.log); nginx/"
         "stack.conf.template needs a URI error page for 414", resp)


def test_nginx_400_for_a_malformed_request_target_is_json(stack):
    # '%' without two hex digits: nginx refuses the request line itself.
    for target in (b"/tasks/%'%20OR%201", b"/tasks/%zz", b"/tasks/%"):
        status, headers, body = raw_http(
            stack, b"GET " + target + b" HTTP/1.1\r\nHost: localhost\r\n"
            b"Connection: close\r\n\r\n")
        assert (status, headers.get("content-type")) == (400, JSON), \
            ("nginx answers a malformed request target with its own HTML "
             "(error_page 400 to a named location fails: 'empty URI in "
             "redirect to named location' in nginx-error.log); nginx/"
             "stack.conf.template needs a URI error page for 400",
             target, status, headers, body)
