"""GET /tasks/{id}/next takes count from 1 to 100 (default 10): anything
else is 400 naming count, before any lookup; like every /tasks/{id}
route, both the preview and POST /tasks/{id}/run answer 404 for an
unknown task and 403 for another user's, and run now changes nothing
then."""
import time

from api_helpers import assert_error, assert_ok, unknown_id
from dispatch_receiver import create, iso

BAD_COUNTS = ["0", "101", "-1", "abc", "", "1.5", "%31%30%31", "10&count=10",
              "99999999999999999999999", "%zz", "+5"]


def test_preview_count_bounds_and_missing_tasks(stack):
    token = stack.token("bounds")
    other = stack.token("bounds-other")
    task_id = create(stack, token, {
        "task_type": "periodic", "url": "http://127.0.0.1:9/x",
        "frequency": 60, "start_datetime": iso(time.time() + 3600)})

    for bad in BAD_COUNTS:
        resp = stack.request("GET", f"/tasks/{task_id}/next?count={bad}",
                             token=token)
        assert_error(resp, 400, field="count")
    # Checked before the lookup: an unknown task with a bad count is 400.
    assert_error(stack.request("GET", f"/tasks/{unknown_id()}/next?count=0",
                               token=token), 400, field="count")

    assert len(assert_ok(stack.request(
        "GET", f"/tasks/{task_id}/next", token=token))["next"]) == 10
    for good, n in (("1", 1), ("100", 100), ("007", 7)):
        got = assert_ok(stack.request(
            "GET", f"/tasks/{task_id}/next?count={good}&page=x",
            token=token))["next"]
        assert len(got) == n, got

    for method, path in (("GET", "next"), ("POST", "run")):
        assert_error(stack.request(method, f"/tasks/{unknown_id()}/{path}",
                                   token=token), 404, "Task not found")
        assert_error(stack.request(method, f"/tasks/not-an-id/{path}",
                                   token=token), 404, "Task not found")
        assert_error(stack.request(method, f"/tasks/{task_id}/{path}",
                                   token=other), 403,
                     "Forbidden: Task does not belong to this user")
    # The refused run now queued nothing and counted nothing.
    assert stack.sql("SELECT COUNT(*) FROM deliveries d JOIN tasks t ON "
                     "t.seq = d.task_seq WHERE t.id = %s", (task_id,)) == \
        [(0,)]
    assert stack.sql("SELECT run_count FROM tasks WHERE id = %s",
                     (task_id,)) == [(0,)]
    assert_ok(stack.request("DELETE", f"/tasks/{task_id}", token=token))
