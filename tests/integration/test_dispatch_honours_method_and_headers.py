"""The dispatcher sends each task's request_method and extra headers
(docs/API.md §17 and §8): POST, PUT and PATCH carry post_data as JSON with
Content-Type: application/json; GET and DELETE carry no body and no
Content-Type; the signature covers the exact body sent (empty for
GET/DELETE)."""
import json
import time

from dispatch_receiver import (Receiver, create, iso, next_whole_second,
                               verify_signature)


def test_methods_headers_and_bodies(make_stack):
    s = make_stack(dispatchers=1)
    rx = Receiver()
    try:
        token = s.token("methods")
        secret = s.secret("methods")
        due = next_whole_second(2)
        post_data = {"k": "v/1"}
        for method in ("POST", "PUT", "PATCH", "GET", "DELETE"):
            create(s, token, {
                "task_type": "one_time", "url": rx.url(f"/m/{method}"),
                "run_datetime": iso(due), "request_method": method,
                "post_data": post_data,
                "headers": {"X-Method": method, "Authorization": "Bearer abc"}})
        calls = rx.wait_for(5, due - time.time() + 8)
        assert len(calls) == 5, calls
        for call in calls:
            method = call.path.rsplit("/", 1)[1]
            assert call.method == method
            assert call.headers["x-method"] == method
            assert call.headers["authorization"] == "Bearer abc"
            assert verify_signature(call, secret)
            if method in ("POST", "PUT", "PATCH"):
                assert call.headers["content-type"] == "application/json"
                assert json.loads(call.body) == post_data
            else:
                assert call.body == b""
                assert "content-type" not in call.headers
    finally:
        rx.stop()
