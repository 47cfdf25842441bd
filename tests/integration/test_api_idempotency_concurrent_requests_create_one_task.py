"""20 POST /tasks racing with one Idempotency-Key and one body create
exactly one task: every answer is 201 with the same id (docs/API.md §7.5),
one of them the create and the others replays."""
from api_helpers import assert_ok, new_user, periodic, run_at_once, stored_tasks

N = 20


def test_racing_requests_create_one_task(stack):
    name, token = new_user(stack, "idem-race")
    body = periodic()

    def send(i):
        return stack.request("POST", "/tasks", body=body, token=token,
                             headers={"Idempotency-Key": "race-1"})
    answers = run_at_once(N, send)
    ids = {assert_ok(a, 201)["id"] for a in answers}
    assert len(ids) == 1, ids
    assert len({a.body for a in answers}) == 1
    replayed = [a.headers.get("idempotent-replayed") for a in answers]
    assert replayed.count(None) == 1, replayed
    assert replayed.count("true") == N - 1, replayed
    assert stored_tasks(stack, name) == 1
