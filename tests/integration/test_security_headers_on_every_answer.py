"""Every answer carries the four security headers, once each: the
dashboard's page, scripts and styles, its redirect and its 404, the API's
successes and errors, and the errors nginx produces itself (400, 405,
413, 414). nginx adds them (nginx/stack.conf.template, `add_header ...
always`, repeated in every location that has add_header of its own).
"""
from api_helpers import new_user, periodic, raw_http

SECURITY_HEADERS = {
    "content-security-policy": "default-src 'self'; frame-ancestors 'none'",
    "x-frame-options": "DENY",
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
}


def missing(headers):
    """The security headers that are absent or not exactly as expected
    (a header sent twice shows as "v, v")."""
    return {k: headers.get(k) for k, v in SECURITY_HEADERS.items()
            if headers.get(k) != v}


def test_every_kind_of_answer_has_the_security_headers(stack):
    _, token = new_user(stack, "headers")
    calls = [
        ("GET", "/dashboard/", None, None, 200),
        ("GET", "/dashboard/app.js", None, None, 200),
        ("GET", "/dashboard/style.css", None, None, 200),
        ("GET", "/dashboard", None, None, 301),
        ("GET", "/dashboard/no-such-file.js", None, None, 404),
        ("POST", "/dashboard/index.html", {}, None, 405),
        ("GET", "/health", None, None, 200),
        ("GET", "/metrics", None, None, 200),
        ("POST", "/tasks", periodic(), token, 201),
        ("GET", "/tasks", None, token, 200),
        ("GET", "/tasks", None, None, 401),
        ("GET", "/tasks?page=0", None, token, 400),
        ("GET", "/no-such-path", None, token, 404),
        ("PUT", "/tasks", None, token, 405),
        ("POST", "/tasks", None, token, 413),
        ("GET", "/tasks/" + "a" * 20000, None, None, 414),
    ]
    wrong = []
    for method, path, body, tok, status in calls:
        raw = b"{" + b" " * 70000 + b"}" if status == 413 else None
        resp = stack.request(method, path, body=body, token=tok, raw=raw)
        assert resp.status == status, (method, path[:40], resp)
        if missing(resp.headers):
            wrong.append((method, path[:40], status, missing(resp.headers)))
    # nginx's own 400 for a request line it cannot parse.
    status, headers, _ = raw_http(
        stack, b"GET /tasks/%zz HTTP/1.1\r\nHost: localhost\r\n"
        b"Connection: close\r\n\r\n")
    assert status == 400
    if missing(headers):
        wrong.append(("GET", "/tasks/%zz", status, missing(headers)))
    assert not wrong, \
        ("answers without the security headers (nginx/stack.conf.template: "
         "add_header ... always in the server and in every location with "
         "its own add_header)", wrong)
