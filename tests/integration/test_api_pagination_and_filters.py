"""GET /tasks pages through a user's tasks in creation order, strictly
(tasks made in the same second keep their order); `count` is the total
that matches the filters, not the page size; `status` and `task_type`
(`interval` meaning periodic) filter, case-sensitively; bad or empty
values are 400, unknown parameters are ignored, a page past the end is
empty (docs/API.md §12). GET /tasks/{id}/runs takes the same paging."""
import pytest

from api_helpers import (assert_error, assert_ok, complete, create, new_user,
                         one_time, periodic)

N = 30


@pytest.fixture(scope="module")
def lister(stack):
    """A user with N tasks made as fast as possible: periodic and one-time
    alternating, every third paused, the last one completed. Returns
    (token, ids in creation order, {id: (task_type, status)})."""
    _, token = new_user(stack, "lister")
    ids, kinds = [], {}
    for i in range(N):
        body = periodic() if i % 2 == 0 else one_time()
        if i % 4 == 2:
            body["task_type"] = "interval"
        ids.append(create(stack, token, body))
        kinds[ids[-1]] = ["periodic" if i % 2 == 0 else "one_time", "active"]
    for i in range(0, N, 3):
        assert_ok(stack.request("POST", f"/tasks/{ids[i]}/pause",
                                token=token))
        kinds[ids[i]][1] = "paused"
    complete(stack, ids[-1])
    kinds[ids[-1]][1] = "completed"
    return token, ids, kinds


def listing(stack, token, query=""):
    return assert_ok(stack.request("GET", f"/tasks{query}", token=token))


def test_default_page_is_everything_in_creation_order(stack, lister):
    token, ids, _ = lister
    # Most of them share a creation second: order must not come from it.
    seconds = stack.sql("SELECT COUNT(DISTINCT created_at) FROM tasks "
                        "WHERE id IN (%s)" % ", ".join(["%s"] * N), ids)
    assert seconds[0][0] < N
    body = listing(stack, token)
    assert (body["count"], body["page"], body["per_page"]) == (N, 1, 50)
    assert [t["id"] for t in body["tasks"]] == ids
    assert list(body) == ["count", "page", "per_page", "tasks"]


@pytest.mark.parametrize("per_page", [1, 4, 7, 29, 30, 31, 500])
def test_pages_cover_every_task_once(stack, lister, per_page):
    token, ids, _ = lister
    seen, page = [], 1
    while True:
        body = listing(stack, token, f"?per_page={per_page}&page={page}")
        assert (body["count"], body["page"], body["per_page"]) == \
            (N, page, per_page)
        assert len(body["tasks"]) <= per_page
        if not body["tasks"]:
            break
        seen += [t["id"] for t in body["tasks"]]
        page += 1
    assert seen == ids
    assert page == -(-N // per_page) + 1


@pytest.mark.parametrize("page", [2, 3, 1000, 999999999999])
def test_page_past_the_end_is_empty(stack, lister, page):
    token, _, _ = lister
    body = listing(stack, token, f"?page={page}&per_page=20")
    assert body["count"] == N and body["page"] == page
    assert len(body["tasks"]) == (N - 20 if page == 2 else 0)


@pytest.mark.parametrize("query,field", [
    ("?page=0", "page"), ("?page=-1", "page"), ("?page=", "page"),
    ("?page", "page"), ("?page=abc", "page"), ("?page=1.5", "page"),
    ("?page=1e3", "page"), ("?page=+1", "page"), ("?page=%201", "page"),
    ("?page=99999999999999999999999", "page"), ("?page=0x10", "page"),
    ("?per_page=0", "per_page"), ("?per_page=501", "per_page"),
    ("?per_page=-5", "per_page"), ("?per_page=", "per_page"),
    ("?per_page=ten", "per_page"), ("?per_page=100000000000", "per_page"),
    ("?status=", "status"), ("?status=Active", "status"),
    ("?status=ACTIVE", "status"), ("?status=running", "status"),
    ("?status=active,paused", "status"), ("?status=active%20", "status"),
    ("?task_type=", "task_type"), ("?task_type=Periodic", "task_type"),
    ("?task_type=ONE_TIME", "task_type"), ("?task_type=one-time", "task_type"),
    ("?task_type=Interval", "task_type"), ("?task_type=daily", "task_type"),
    ("?status=active&page=0", "page"),
])
def test_bad_parameter_is_400_with_field(stack, lister, query, field):
    token, _, _ = lister
    resp = stack.request("GET", f"/tasks{query}", token=token)
    assert_error(resp, 400, field=field)


@pytest.mark.parametrize("query", [
    "?foo=bar", "?x=", "?Page=0", "?PER_PAGE=0", "?STATUS=x", "?sort=id",
    "?page_size=1000", "?&&", "?=", "?user=other", "?limit=1&offset=5",
])
def test_unknown_parameters_are_ignored(stack, lister, query):
    token, ids, _ = lister
    body = listing(stack, token, query)
    assert body["count"] == N and [t["id"] for t in body["tasks"]] == ids


@pytest.mark.parametrize("status", ["active", "paused", "completed"])
@pytest.mark.parametrize("task_type", [None, "one_time", "periodic",
                                       "interval"])
def test_filters_count_the_matching_total(stack, lister, status, task_type):
    token, ids, kinds = lister
    kind = "periodic" if task_type == "interval" else task_type
    want = [i for i in ids if kinds[i][1] == status and
            (kind is None or kinds[i][0] == kind)]
    query = f"?status={status}" + (f"&task_type={task_type}"
                                   if task_type else "")
    body = listing(stack, token, query + "&per_page=2")
    assert body["count"] == len(want)
    assert [t["id"] for t in body["tasks"]] == want[:2]
    full = listing(stack, token, query)
    assert [t["id"] for t in full["tasks"]] == want
    for t in full["tasks"]:
        assert t["status"] == status
        if kind:
            assert t["task_type"] == kind


@pytest.mark.parametrize("task_type", ["one_time", "periodic", "interval"])
def test_type_filter_alone(stack, lister, task_type):
    token, ids, kinds = lister
    kind = "periodic" if task_type == "interval" else task_type
    want = [i for i in ids if kinds[i][0] == kind]
    body = listing(stack, token, f"?task_type={task_type}&per_page=3&page=2")
    assert body["count"] == len(want)
    assert [t["id"] for t in body["tasks"]] == want[3:6]


def test_cron_filter_is_valid_and_empty(stack, lister):
    token, _, _ = lister
    body = listing(stack, token, "?task_type=cron")
    assert body["count"] == 0 and body["tasks"] == []


def test_percent_encoded_values(stack, lister):
    token, ids, kinds = lister
    body = listing(stack, token, "?status=%70aused&per%5Fpage=2")
    assert body["per_page"] == 2
    assert body["count"] == sum(1 for i in ids if kinds[i][1] == "paused")


def test_a_user_without_tasks(stack):
    _, token = new_user(stack)
    assert listing(stack, token) == {"count": 0, "page": 1, "per_page": 50,
                                     "tasks": []}
    assert listing(stack, token, "?page=5&per_page=1&status=active") == {
        "count": 0, "page": 5, "per_page": 1, "tasks": []}


def test_runs_are_paged_the_same_way(stack, lister):
    token, ids, _ = lister
    task = ids[0]
    assert assert_ok(stack.request("GET", f"/tasks/{task}/runs", token=token)
                     ) == {"count": 0, "page": 1, "per_page": 50, "runs": []}
    body = assert_ok(stack.request(
        "GET", f"/tasks/{task}/runs?page=3&per_page=500&status=x&foo=1",
        token=token))
    assert body == {"count": 0, "page": 3, "per_page": 500, "runs": []}
    for query, field in (("?page=0", "page"), ("?per_page=501", "per_page"),
                         ("?per_page=", "per_page"), ("?page=x", "page")):
        resp = stack.request("GET", f"/tasks/{task}/runs{query}", token=token)
        assert_error(resp, 400, field=field)


def test_runs_count_and_order_from_the_runs_table(stack):
    """Rows written as the dispatcher would: newest first by started_at,
    then attempt; count is the total."""
    _, token = new_user(stack)
    task = create(stack, token, periodic())
    seq, owner = stack.sql("SELECT seq, owner_id FROM tasks WHERE id = %s",
                           (task,))[0]
    rows = [  # (run_id, scheduled_for, attempt, started_at, outcome)
        ("a" * 32, "2030-01-01 00:00:00", 1, "2030-01-01 00:00:00.010",
         "retrying"),
        ("a" * 32, "2030-01-01 00:00:00", 2, "2030-01-01 00:00:02.500",
         "succeeded"),
        ("b" * 32, "2030-01-02 00:00:00", 1, "2030-01-02 00:00:00.001",
         "failed"),
    ]
    for run_id, sched, attempt, started, outcome in rows:
        stack.sql("INSERT INTO task_runs (task_seq, owner_id, run_id, "
                  "scheduled_for, attempt, started_at, finished_at, outcome, "
                  "http_status, error, duration_ms) VALUES (%s, %s, %s, %s, "
                  "%s, %s, %s, %s, %s, %s, %s)",
                  (seq, owner, run_id, sched, attempt, started, started,
                   outcome, 200 if outcome == "succeeded" else 500,
                   None if outcome == "succeeded" else "HTTP 500", 8))
    body = assert_ok(stack.request("GET", f"/tasks/{task}/runs?per_page=2",
                                   token=token))
    assert body["count"] == 3 and body["per_page"] == 2
    assert [(r["run_id"][0], r["attempt"]) for r in body["runs"]] == \
        [("b", 1), ("a", 2)]
    last = assert_ok(stack.request("GET", f"/tasks/{task}/runs?per_page=2"
                                   "&page=2", token=token))["runs"]
    assert last == [{
        "run_id": "a" * 32, "scheduled_for": "2030-01-01T00:00:00Z",
        "attempt": 1, "started_at": "2030-01-01T00:00:00.010Z",
        "finished_at": "2030-01-01T00:00:00.010Z", "outcome": "retrying",
        "http_status": 500, "error": "HTTP 500", "duration_ms": 8}]
