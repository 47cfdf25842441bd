"""GET /admin/tasks lists every user's tasks (docs/API.md §20.1): each is
the task object of §10 plus "owner" (the user name); filters user,
status and task_type combine; paging and ordering as GET /tasks (count is
the filtered total, oldest first, a page past the end is empty)."""
import uuid

import pytest

from api_helpers import (TASK_KEYS, assert_api_headers, assert_ok, complete,
                         create, get_task, new_user, one_time, periodic)


@pytest.fixture(scope="module")
def world(stack):
    """Two users with known tasks, and an admin token."""
    alice, ta = new_user(stack, "alice")
    bob, tb = new_user(stack, "bob")
    a = [create(stack, ta, periodic()), create(stack, ta, one_time()),
         create(stack, ta, periodic()), create(stack, ta, one_time())]
    b = [create(stack, tb, one_time()), create(stack, tb, periodic())]
    stack.request("POST", f"/tasks/{a[2]}/pause", token=ta)
    complete(stack, a[3])
    admin = stack.token(f"admin-{uuid.uuid4().hex[:12]}", admin=True)
    return {"alice": (alice, ta, a), "bob": (bob, tb, b), "admin": admin}


def admin_list(stack, world, qs=""):
    resp = stack.request("GET", "/admin/tasks" + qs, token=world["admin"])
    assert_api_headers(resp)
    return assert_ok(resp)


def test_task_objects_carry_the_owner(stack, world):
    alice, ta, ids = world["alice"]
    page = admin_list(stack, world, f"?user={alice}")
    assert list(page) == ["count", "page", "per_page", "tasks"]
    assert (page["count"], page["page"], page["per_page"]) == (4, 1, 50)
    assert [t["id"] for t in page["tasks"]] == ids     # oldest first
    for t in page["tasks"]:
        assert list(t) == TASK_KEYS + ["owner"], list(t)
        assert t["owner"] == alice
        own = get_task(stack, ta, t["id"])
        assert {k: v for k, v in t.items() if k != "owner"} == own


def test_every_users_tasks_without_a_user_filter(stack, world):
    alice, _, a = world["alice"]
    bob, _, b = world["bob"]
    page = admin_list(stack, world, "?per_page=500")
    owners = {t["id"]: t["owner"] for t in page["tasks"]}
    if page["count"] <= 500:
        for i in a:
            assert owners[i] == alice
        for i in b:
            assert owners[i] == bob
    assert page["count"] >= 6
    # Oldest first across users too: bob's tasks come after alice's.
    listed = [t["id"] for t in page["tasks"] if t["id"] in a + b]
    if page["count"] <= 500:
        assert listed == a + b


def test_filters_combine(stack, world):
    alice, _, a = world["alice"]
    bob, _, b = world["bob"]
    cases = [
        (f"?user={alice}&status=active", [a[0], a[1]]),
        (f"?user={alice}&status=paused", [a[2]]),
        (f"?user={alice}&status=completed", [a[3]]),
        (f"?user={alice}&task_type=one_time", [a[1], a[3]]),
        (f"?user={alice}&task_type=interval", [a[0], a[2]]),
        (f"?user={alice}&status=active&task_type=periodic", [a[0]]),
        (f"?user={bob}&task_type=one_time", [b[0]]),
        (f"?user={bob}&status=paused", []),
        (f"?user=nobody-{uuid.uuid4().hex}", []),
    ]
    for qs, expected in cases:
        page = admin_list(stack, world, qs)
        assert page["count"] == len(expected), qs
        assert [t["id"] for t in page["tasks"]] == expected, qs


def test_status_and_type_filters_without_user(stack, world):
    for qs, key, value in (("?status=paused", "status", "paused"),
                           ("?task_type=one_time", "task_type", "one_time"),
                           ("?status=active&task_type=periodic", "status",
                            "active")):
        page = admin_list(stack, world, qs + "&per_page=500")
        assert page["count"] >= 1
        assert all(t[key] == value for t in page["tasks"]), qs
        assert len(page["tasks"]) == min(page["count"], 500)
    paused = admin_list(stack, world, "?status=paused&per_page=500")
    if paused["count"] <= 500:
        assert world["alice"][2][2] in [t["id"] for t in paused["tasks"]]


def test_paging(stack, world):
    alice, _, a = world["alice"]
    seen = []
    for n in (1, 2, 3):
        page = admin_list(stack, world, f"?user={alice}&per_page=2&page={n}")
        assert (page["count"], page["page"], page["per_page"]) == (4, n, 2)
        seen += [t["id"] for t in page["tasks"]]
    assert seen == a
    empty = admin_list(stack, world, f"?user={alice}&page=9")
    assert empty["count"] == 4 and empty["tasks"] == []


def test_user_filter_is_percent_decoded(stack, world):
    name = f"ops.{uuid.uuid4().hex[:8]}@example.org"
    token = stack.token(name)
    task = create(stack, token, periodic())
    enc = name.replace("@", "%40").replace(".", "%2E")
    page = admin_list(stack, world, f"?user={enc}")
    assert [t["id"] for t in page["tasks"]] == [task]
    assert page["tasks"][0]["owner"] == name
