"""Named tasks (docs/API.md §8): a name is unique per user (409 on a
duplicate, even when two creates race), two users may share it, and
GET / DELETE /tasks/name/{name} reach it."""
import pytest

from api_helpers import (assert_error, assert_message, assert_ok, create,
                         get_task, new_user, one_time, periodic, run_at_once,
                         status_of, stored_tasks)


def test_get_and_delete_by_name(stack):
    _, token = new_user(stack, "named")
    task = create(stack, token, periodic(name="daily-sms_1"))
    got = assert_ok(stack.request("GET", "/tasks/name/daily-sms_1", token=token))
    assert got["id"] == task and got["name"] == "daily-sms_1"
    assert got == get_task(stack, token, task)
    assert assert_ok(stack.request("GET", "/tasks/name/daily-sms_1/",
                                   token=token))["id"] == task
    assert_message(stack.request("DELETE", "/tasks/name/daily-sms_1",
                                 token=token),
                   "Task has been removed successfully")
    assert status_of(stack, task) is None
    assert_error(stack.request("GET", "/tasks/name/daily-sms_1", token=token),
                 404, "Task not found")
    assert_error(stack.request("DELETE", f"/tasks/{task}", token=token),
                 404, "Task not found")


def test_duplicate_name_is_409_and_stores_nothing(stack):
    name, token = new_user(stack, "named")
    create(stack, token, one_time(name="campaign"))
    before = stored_tasks(stack, name)
    resp = stack.request("POST", "/tasks", token=token,
                         body=periodic(name="campaign"))
    assert_error(resp, 409, "A task with this name already exists")
    assert stored_tasks(stack, name) == before
    # Names are case-sensitive, like the rest of the API.
    create(stack, token, one_time(name="Campaign"))


def test_two_users_may_share_a_name_and_see_only_their_own(stack):
    _, alice = new_user(stack, "named")
    _, bob = new_user(stack, "named")
    a = create(stack, alice, one_time(name="shared"))
    b = create(stack, bob, one_time(name="shared"))
    assert assert_ok(stack.request("GET", "/tasks/name/shared",
                                   token=alice))["id"] == a
    assert assert_ok(stack.request("GET", "/tasks/name/shared",
                                   token=bob))["id"] == b
    assert_message(stack.request("DELETE", "/tasks/name/shared", token=bob),
                   "Task has been removed successfully")
    assert status_of(stack, a) == "active" and status_of(stack, b) is None
    # Another user's name is simply not found: names are per user.
    _, carol = new_user(stack, "named")
    assert_error(stack.request("GET", "/tasks/name/shared", token=carol),
                 404, "Task not found")
    assert_error(stack.request("DELETE", "/tasks/name/shared", token=carol),
                 404, "Task not found")
    assert status_of(stack, a) == "active"


def test_racing_creates_of_one_name_make_one_task(stack):
    name, token = new_user(stack, "named")
    statuses = run_at_once(8, lambda i: stack.request(
        "POST", "/tasks", token=token, body=one_time(name="race")).status)
    assert sorted(statuses) == [201] + [409] * 7
    assert stored_tasks(stack, name) == 1


@pytest.mark.parametrize("path", ["/tasks/name/a%20b", "/tasks/name/caf%C3%A9",
                                  "/tasks/name/" + "n" * 101,
                                  "/tasks/name/x'%3B--"])
def test_names_that_cannot_exist_are_404(stack, path):
    _, token = new_user(stack, "named")
    for method in ("GET", "DELETE"):
        assert_error(stack.request(method, path, token=token), 404,
                     "Task not found")


def test_name_routes_need_a_token(stack):
    for method in ("GET", "DELETE"):
        resp = stack.request(method, "/tasks/name/x")
        assert_error(resp, 401, "User not authorized")


@pytest.mark.parametrize("bad", ["", "a b", "caf\u00e9", "a.b", "a/b",
                                 "n" * 101, 5, ["x"], {"n": "x"}])
def test_bad_names_in_the_body_are_400_on_name(stack, bad):
    name, token = new_user(stack, "named")
    resp = stack.request("POST", "/tasks", token=token,
                         body=one_time(name=bad))
    assert_error(resp, 400, field="name")
    assert stored_tasks(stack, name) == 0


def test_longest_name_and_reserved_words_are_names(stack):
    _, token = new_user(stack, "named")
    for name in ("N" * 100, "pause", "runs", "id"):
        task = create(stack, token, one_time(name=name))
        assert assert_ok(stack.request("GET", f"/tasks/name/{name}",
                                       token=token))["id"] == task
    assert assert_ok(stack.request("GET", "/tasks/name/id", token=token))[
        "name"] == "id"
    assert get_task(stack, token, create(stack, token, one_time()))[
        "name"] is None
