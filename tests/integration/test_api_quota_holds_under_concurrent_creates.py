"""The task quota holds under concurrency: with max_tasks_per_user = 50,
20 clients creating 100 tasks of one user at once get exactly 50 201s and
50 429s, and exactly 50 tasks are stored (a check-then-insert would let
several creates pass the last free slot). Creates and deletes of every
kind racing each other never fail (no deadlock surfaces as a 500) and
leave users.task_count and post_data_bytes equal to the stored rows."""
import random
import threading

from api_helpers import (new_user, one_time, periodic, run_at_once,
                         stored_tasks)

LIMIT = 50
CLIENTS = 20



def counters(stack, name):
    (got,) = stack.sql("SELECT task_count, post_data_bytes FROM users "
                       "WHERE name = %s", (name,))
    (real,) = stack.sql("SELECT COUNT(*), COALESCE(SUM(LENGTH(post_data)), 0) "
                        "FROM tasks t JOIN users u ON u.id = t.owner_id "
                        "WHERE u.name = %s", (name,))
    return tuple(got), (real[0], int(real[1]))


def test_concurrent_creates_take_exactly_the_free_slots(make_stack):
    s = make_stack(config={"max_tasks_per_user": LIMIT, "workers": 8})
    for rnd in range(3):
        name, token = new_user(s, "quota-race")

        def client(i):
            out = []
            for j in range(100 // CLIENTS):
                resp = s.request("POST", "/tasks", token=token,
                                 body=one_time(post_data={"i": i, "j": j}))
                out.append(resp.status)
            return out
        statuses = sum(run_at_once(CLIENTS, client), [])
        assert sorted(set(statuses)) == [201, 429], statuses
        assert statuses.count(201) == LIMIT, (rnd, statuses.count(201))
        assert stored_tasks(s, name) == LIMIT
        got, real = counters(s, name)
        assert got == real == (LIMIT, got[1]), (got, real)


def test_racing_creates_and_deletes_keep_the_counters_exact(make_stack):
    s = make_stack(config={"max_tasks_per_user": 40, "workers": 8})
    name, token = new_user(s, "quota-churn")
    lock = threading.Lock()
    mine = []

    def client(i):
        rng = random.Random(i)
        bad = []
        for j in range(30):
            op = rng.choice(("create", "create", "named", "delete", "bulk",
                             "by-name"))
            with lock:
                pick = rng.sample(mine, min(len(mine), 3))
                for t in pick:
                    mine.remove(t)
            if op in ("create", "named"):
                body = periodic(post_data={"pad": "p" * rng.randrange(2000)})
                if op == "named":
                    body["name"] = f"n{i}-{j}"
                resp = s.request("POST", "/tasks", body=body, token=token)
                ok = resp.status in (201, 429)
                if resp.status == 201:
                    pick.append((resp.json()["id"], body.get("name")))
            elif op == "bulk" and pick:
                resp = s.request("DELETE", "/tasks", token=token,
                                 body={"ids": [t for t, _ in pick]})
                ok, pick = resp.status == 200, []
            elif pick:
                task, tname = pick.pop()
                path = f"/tasks/name/{tname}" if tname and op == "by-name" \
                    else f"/tasks/{task}"
                resp = s.request("DELETE", path, token=token)
                ok = resp.status == 200
            else:
                continue
            if not ok:
                bad.append((op, resp.status, resp.text))
            with lock:
                mine.extend(pick)
        return bad

    bad = sum(run_at_once(CLIENTS, client), [])
    assert bad == [], bad[:5]
    got, real = counters(s, name)
    assert got == real, (got, real)
    assert got[0] == len(mine)
