"""A bad percent-escape in the user filter of GET /admin/tasks, anywhere in
a long value, is a 400 on field "user" with the JSON error shape, and the
worker that read it lives on (docs/API.md §5 and §20.1). The value buffer
was once left without its NUL, so the worker read past it; under ASan
that killed the worker and nginx answered 502."""
import uuid

import pytest

from api_helpers import assert_error, assert_ok, metrics

LIMIT = 400     # bytes the decoded user filter may take (100 characters)


def escape_at(n, at, escape, fill="a"):
    return fill * at + escape + fill * (n - at)


QUERIES = [
    # The reviewer's input: 400 bytes, then a bad escape.
    "user=" + "a" * LIMIT + "%zz",
    # Bad escapes at the start, middle and end ('x' is not a hex digit).
    "user=" + escape_at(LIMIT - 1, 0, "%zz", "x"),
    "user=" + escape_at(LIMIT, LIMIT // 2, "%zz", "x"),
    "user=" + escape_at(LIMIT - 1, LIMIT - 1, "%zz", "x"),
    "user=" + "a" * LIMIT + "%",
    "user=" + "a" * LIMIT + "%4",
    "user=" + "a" * LIMIT + "%00",
    # At and past the buffer, no escape at all.
    "user=" + "a" * (LIMIT + 1),
    "user=" + "a" * (LIMIT + 100),
    "status=active&user=" + "a" * LIMIT + "%zz&page=2",
]


@pytest.fixture(scope="module")
def admin(stack):
    return stack.token(f"admin-{uuid.uuid4().hex[:12]}", admin=True)


def test_bad_user_filters_are_400_and_workers_survive(stack, admin):
    workers = sorted(stack.api_worker_pids())
    starts = metrics(stack)["scheduler_api_worker_starts_total"]
    # Enough rounds that every worker reads each query at least once.
    for _ in range(2 * len(workers)):
        for qs in QUERIES:
            resp = stack.request("GET", "/admin/tasks?" + qs, token=admin)
            assert_error(resp, 400, field="user")
    assert sorted(stack.api_worker_pids()) == workers
    assert metrics(stack)["scheduler_api_worker_starts_total"] == starts
    page = assert_ok(stack.request("GET", "/admin/tasks?user=nobody-" +
                                   uuid.uuid4().hex, token=admin))
    assert page["count"] == 0 and page["tasks"] == []
