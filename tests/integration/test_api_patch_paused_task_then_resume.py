"""A paused task can be changed (docs/API.md §14.3): it stays paused with
no next_run_datetime, and resume continues on the changed schedule (a
periodic task on its changed grid, from the first slot not in the past),
with the changed url."""
from api_helpers import (assert_ok, create, get_task, new_user, pause,
                         periodic, resume, utc_in)


def test_patch_paused_then_resume(stack):
    token = new_user(stack, "patchp")[1]
    start = utc_in(3600)
    task = create(stack, token, periodic(start_datetime=start, frequency=60))
    pause(stack, token, task)
    new_start = utc_in(7200)
    got = assert_ok(stack.request("PATCH", f"/tasks/{task}", token=token,
                                  body={"start_datetime": new_start,
                                        "frequency": 90,
                                        "url": "https://example.org/p"}))
    assert got["status"] == "paused" and got["next_run_datetime"] is None
    assert got["version"] == 3
    resume(stack, token, task)
    got = get_task(stack, token, task)
    assert got["status"] == "active"
    assert got["next_run_datetime"] == new_start
    assert got["frequency"] == 90 and got["url"] == "https://example.org/p"
    assert got["version"] == 4
