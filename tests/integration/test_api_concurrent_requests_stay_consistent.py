"""Many clients at once: bulk pauses and resumes over overlapping sets
never half-apply or fail with a deadlock (each is one transaction), and
tasks created in parallel are all stored, once, and listed in creation
order (docs/API.md §12 and §15)."""
import random
import threading

from api_helpers import assert_ok, create, new_user, periodic, run_at_once


def test_overlapping_bulk_calls_all_succeed(stack):
    _, token = new_user(stack, "race")
    tasks = [create(stack, token, periodic()) for _ in range(20)]

    def client(i):
        rnd = random.Random(i)
        for j in range(15):
            ids = rnd.sample(tasks, 8)
            op = "pause" if (i + j) % 2 else "resume"
            resp = stack.request("POST", f"/tasks/{op}", body={"ids": ids},
                                 token=token)
            assert resp.status == 200, resp
    run_at_once(8, client)
    # Every task is in one state or the other, never anything else.
    states = {s for (s,) in stack.sql(
        "SELECT status FROM tasks WHERE id IN (%s)" %
        ", ".join(["%s"] * len(tasks)), tasks)}
    assert states <= {"active", "paused"}
    # And a final bulk call brings them all to one state.
    assert_ok(stack.request("POST", "/tasks/resume", body={"ids": tasks},
                            token=token))
    body = assert_ok(stack.request("GET", "/tasks?status=active&per_page=500",
                                   token=token))
    assert body["count"] == len(tasks)


def test_parallel_creation_stores_each_task_once_in_order(stack):
    name, token = new_user(stack, "burst")
    made = []
    lock = threading.Lock()

    def client(i):
        for _ in range(25):
            task = create(stack, token, periodic())
            with lock:
                made.append(task)
    run_at_once(8, client)
    assert len(set(made)) == 200
    body = assert_ok(stack.request("GET", "/tasks?per_page=500", token=token))
    assert body["count"] == 200
    listed = [t["id"] for t in body["tasks"]]
    assert sorted(listed) == sorted(made)
    by_seq = [i for (i,) in stack.sql(
        "SELECT t.id FROM tasks t JOIN users u ON u.id = t.owner_id "
        "WHERE u.name = %s ORDER BY t.seq", (name,))]
    assert listed == by_seq
