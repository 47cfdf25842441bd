"""POST /tasks/pause and /tasks/resume with {"ids": [...]} change every
listed task or none (docs/API.md §15): any unknown id is 404 (even next to
another user's id), else any other user's id is 403, else any completed
task is 409; ids must be a non-empty array of at most 1000 strings,
counted before repeats are removed. In every error case nothing changes."""
import pytest

from api_helpers import (assert_error, assert_message, complete, create,
                         get_task, new_user, periodic, status_of, unknown_id)

FORBIDDEN = "Forbidden: Task does not belong to this user"
PAUSED = "Tasks have been successfully paused"
RESUMED = "Tasks have been resumed successfully"


@pytest.fixture
def world(stack):
    """Me with three active tasks, one paused and one completed; another
    user with one active task."""
    _, me = new_user(stack, "bulk")
    _, other = new_user(stack, "other")
    mine = [create(stack, me, periodic()) for _ in range(3)]
    paused = create(stack, me, periodic())
    assert_message(stack.request("POST", f"/tasks/{paused}/pause", token=me),
                   "Task paused successfully")
    done = create(stack, me, periodic())
    complete(stack, done)
    theirs = create(stack, other, periodic())
    return {"me": me, "mine": mine, "paused": paused, "done": done,
            "theirs": theirs}


def bulk(stack, op, ids, token):
    return stack.request("POST", f"/tasks/{op}", body={"ids": ids},
                         token=token)


def states(stack, w):
    return [status_of(stack, t) for t in
            w["mine"] + [w["paused"], w["done"], w["theirs"]]]


BEFORE = ["active"] * 3 + ["paused", "completed", "active"]


def test_pause_and_resume_a_set(stack, world):
    w = world
    assert_message(bulk(stack, "pause", w["mine"][:2] + [w["paused"]],
                        w["me"]), PAUSED)
    assert states(stack, w) == ["paused", "paused", "active", "paused",
                                "completed", "active"]
    for t in w["mine"][:2]:
        assert get_task(stack, w["me"], t)["next_run_datetime"] is None
    assert_message(bulk(stack, "resume", w["mine"] + [w["paused"]], w["me"]),
                   RESUMED)
    assert states(stack, w) == ["active"] * 4 + ["completed", "active"]


@pytest.mark.parametrize("op", ["pause", "resume"])
@pytest.mark.parametrize("extra,status,message", [
    (["unknown"], 404, "Task not found"),
    (["theirs"], 403, FORBIDDEN),
    (["theirs", "unknown"], 404, "Task not found"),
    (["unknown", "theirs"], 404, "Task not found"),
    (["done"], 409, "Task has already completed"),
    (["done", "theirs"], 403, FORBIDDEN),
    (["done", "unknown"], 404, "Task not found"),
    (["done", "theirs", "unknown"], 404, "Task not found"),
])
def test_one_bad_id_changes_nothing(stack, world, op, extra, status, message):
    w = world
    named = {"unknown": unknown_id(), "theirs": w["theirs"], "done": w["done"]}
    # The bad ids first, last and in the middle: the answer is the same.
    for ids in ([named[e] for e in extra] + w["mine"] + [w["paused"]],
                w["mine"] + [w["paused"]] + [named[e] for e in extra],
                w["mine"][:1] + [named[e] for e in extra] + w["mine"][1:]):
        assert_error(bulk(stack, op, ids, w["me"]), status, message)
        assert states(stack, w) == BEFORE


def test_1000_ids_are_accepted_1001_are_not(stack, world):
    w = world
    ids = (w["mine"] * 334)[:1000]
    assert_message(bulk(stack, "pause", ids, w["me"]), PAUSED)
    assert states(stack, w)[:3] == ["paused"] * 3
    # 1001 entries are refused even though only 3 are distinct.
    for op in ("pause", "resume"):
        resp = bulk(stack, op, (w["mine"] * 334)[:1001], w["me"])
        assert_error(resp, 400, field="ids")
    assert states(stack, w)[:3] == ["paused"] * 3
    assert_message(bulk(stack, "resume", ids, w["me"]), RESUMED)
    assert states(stack, w) == BEFORE


def test_1000_distinct_ids_with_one_unknown(stack, world):
    w = world
    ids = w["mine"] + [unknown_id() for _ in range(997)]
    assert len(ids) == 1000
    assert_error(bulk(stack, "pause", ids, w["me"]), 404, "Task not found")
    assert states(stack, w) == BEFORE


def test_repeated_ids_count_once(stack, world):
    w = world
    t = w["mine"][0]
    assert_message(bulk(stack, "pause", [t, t, t], w["me"]), PAUSED)
    assert status_of(stack, t) == "paused"
    assert_message(bulk(stack, "resume", [t, w["paused"], t, w["paused"]],
                        w["me"]), RESUMED)
    assert status_of(stack, t) == "active"
    assert status_of(stack, w["paused"]) == "active"


@pytest.mark.parametrize("op", ["pause", "resume"])
@pytest.mark.parametrize("body", [
    {"ids": []},
    {"ids": None},
    {},
    {"id": ["{t}"]},
    {"ids": "{t}"},
    {"ids": {"0": "{t}"}},
    {"ids": 1},
    {"ids": True},
    {"ids": [1]},
    {"ids": [None]},
    {"ids": ["{t}", None]},
    {"ids": ["{t}", 7]},
    {"ids": [["{t}"]]},
    {"ids": [{"id": "{t}"}]},
    {"ids": ["{t}", True]},
    {"ids": ["{t}\u0000"]},
], ids=lambda b: repr(b))
def test_malformed_ids_are_400(stack, world, op, body):
    w = world
    t = w["mine"][0] if op == "pause" else w["paused"]

    def fill(v):
        if isinstance(v, str):
            return v.replace("{t}", t)
        if isinstance(v, list):
            return [fill(x) for x in v]
        if isinstance(v, dict):
            return {k: fill(x) for k, x in v.items()}
        return v
    resp = stack.request("POST", f"/tasks/{op}", body=fill(body),
                         token=w["me"])
    assert_error(resp, 400, field="ids")
    assert states(stack, w) == BEFORE


@pytest.mark.parametrize("raw", [b"[]", b'["x"]', b"", b"null", b"{"])
def test_body_not_an_object_is_400(stack, world, raw):
    w = world
    resp = stack.request("POST", "/tasks/pause", raw=raw, token=w["me"])
    assert_error(resp, 400)
    assert states(stack, w) == BEFORE


def test_other_fields_are_ignored(stack, world):
    w = world
    assert_message(stack.request("POST", "/tasks/pause", token=w["me"], body={
        "ids": w["mine"][:1], "all": True, "force": 1}), PAUSED)
    assert states(stack, w)[:3] == ["paused", "active", "active"]


def test_empty_string_id_is_unknown(stack, world):
    w = world
    assert_error(bulk(stack, "pause", ["", w["mine"][0]], w["me"]), 404,
                 "Task not found")
    assert states(stack, w) == BEFORE
