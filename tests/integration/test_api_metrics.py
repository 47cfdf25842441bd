"""GET /metrics is Prometheus text without authentication: requests by
status code (totals across all workers), worker starts, and tasks by
status (docs/API.md §21, issue 2)."""
import re

from api_helpers import (PROMETHEUS, assert_api_headers, complete, create,
                         metrics, new_user, periodic)

LINE = re.compile(r'^[a-zA-Z_:][a-zA-Z0-9_:]*(\{[a-zA-Z_][a-zA-Z0-9_]*="'
                  r'[^"\\]*"(,[a-zA-Z_][a-zA-Z0-9_]*="[^"\\]*")*\})? '
                  r'-?[0-9.e+]+$')


def test_metrics_is_prometheus_text(stack):
    resp = stack.request("GET", "/metrics")
    assert resp.status == 200, resp
    assert_api_headers(resp, content_type=PROMETHEUS)
    types = {}
    for line in resp.text.splitlines():
        if line.startswith("# TYPE "):
            _, _, name, kind = line.split(" ")
            types[name] = kind
        elif line.startswith("# HELP ") or not line:
            continue
        else:
            assert LINE.match(line), line
    assert types.get("scheduler_http_requests_total") == "counter"
    assert types.get("scheduler_api_worker_starts_total") == "counter"
    assert types.get("scheduler_tasks") == "gauge"


def test_request_counters_are_totals_across_workers(stack):
    key = 'scheduler_http_requests_total{code="405"}'
    before = metrics(stack).get(key, 0)
    for _ in range(25):      # new connections: spread over the workers
        assert stack.request("PUT", "/health").status == 405
    assert metrics(stack)[key] == before + 25


def test_every_status_is_counted(stack):
    _, token = new_user(stack)
    before = metrics(stack)
    stack.request("GET", "/nope")                                   # 404
    stack.request("GET", "/tasks")                                  # 401
    stack.request("GET", "/tasks?page=0", token=token)              # 400
    create(stack, token, periodic())                                # 201
    after = metrics(stack)
    for code, n in (("404", 1), ("401", 1), ("400", 1), ("201", 1),
                    ("200", 1)):    # the first scrape
        key = f'scheduler_http_requests_total{{code="{code}"}}'
        assert after.get(key, 0) - before.get(key, 0) == n, key


def test_tasks_by_status_match_the_database(stack):
    _, token = new_user(stack)
    a = create(stack, token, periodic())
    b = create(stack, token, periodic())
    stack.request("POST", f"/tasks/{a}/pause", token=token)
    complete(stack, b)
    m = metrics(stack)
    db = dict(stack.sql("SELECT status, COUNT(*) FROM tasks GROUP BY status"))
    for status in ("active", "paused", "completed"):
        assert m[f'scheduler_tasks{{status="{status}"}}'] == \
            db.get(status, 0), status
    assert m["scheduler_database_up"] == 1
    assert m["scheduler_api_worker_starts_total"] >= \
        stack.config["workers"]
