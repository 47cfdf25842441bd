"""Something unexpected (here: a table gone from under the API) answers
500 `Internal server error` as JSON; the worker survives, other requests
keep working, and the API recovers once the table is back
(docs/API.md §5)."""
from api_helpers import (assert_error, assert_ok, create, get_task, new_user,
                         periodic)


def test_missing_table_is_500_and_nothing_else_breaks(make_stack):
    s = make_stack(config={"workers": 2})
    _, token = new_user(s)
    task = create(s, token, periodic())
    workers = s.api_worker_pids()
    assert_ok(s.request("GET", f"/tasks/{task}/runs", token=token))
    s.sql("RENAME TABLE task_runs TO task_runs_away")
    try:
        for _ in range(6):
            assert_error(s.request("GET", f"/tasks/{task}/runs", token=token),
                         500, "Internal server error")
            assert get_task(s, token, task)["id"] == task
    finally:
        s.sql("RENAME TABLE task_runs_away TO task_runs")
    for _ in range(6):
        body = assert_ok(s.request("GET", f"/tasks/{task}/runs", token=token))
        assert body["count"] == 0
    assert s.api_worker_pids() == workers
