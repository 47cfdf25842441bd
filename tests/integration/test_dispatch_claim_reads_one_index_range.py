"""The dispatcher's claim statements (dispatcher/claim.c, read from the C
source as the dispatcher sends them) are index ranges read in order: no
filesort, no full scan, on 60,000 tasks. A disabled user's 50,000 due
tasks cost the claim nothing: the range of tasks_due
(status, owner_disabled, next_run_at, seq) leaves them out, and a real
claim of a dispatcher takes exactly the enabled user's due rows."""
from c_sources import bind, c_statements, explain
from dispatch_receiver import Receiver, insert_one_time, wait_until

DISABLED_DUE = 50000
ENABLED_DUE = 300
FUTURE = 10000


def load(s, url):
    due = "NOW() - INTERVAL 1 + seq % 50 SECOND"
    later = "NOW() + INTERVAL 86400 + seq SECOND"
    insert_one_time(s, "sleeping", url, due, DISABLED_DUE)
    insert_one_time(s, "awake", url, due, ENABLED_DUE)
    insert_one_time(s, "awake", url, later, FUTURE)
    s.ctl("user", "disable", "sleeping")
    s.sql("ANALYZE TABLE tasks")
    s.sql("ANALYZE TABLE deliveries")


def test_claim_reads_one_index_range(make_stack):
    s = make_stack()
    rx = Receiver()
    try:
        load(s, rx.url("/claimed"))
        stmts = c_statements("dispatcher/claim.c")
        plans = {name: explain(s, bind(stmts[name], [200]))
                 for name in ("claim_tasks_sql", "claim_deliveries_sql")}
        plans["claim_next_sql"] = explain(s, stmts["claim_next_sql"])
        for name, plan in plans.items():
            for row in plan:
                extra = row["Extra"] or ""
                assert "filesort" not in extra, (name, plan)
                assert row["type"] != "ALL" or row["table"] is None or \
                    row["table"].startswith("<"), (name, plan)
        (tasks_row,) = plans["claim_tasks_sql"][:1]
        # All three parts (status, owner_disabled, next_run_at): a range
        # that ends at the last due row. The plan is taken right after the
        # disable, while the index still holds the 50,000 rows' old
        # entries delete-marked (the case that once gave a ref plan).
        assert tasks_row["key"] == "tasks_due" and \
            tasks_row["type"] == "range" and \
            int(tasks_row["key_len"]) >= 8, plans["claim_tasks_sql"]
        (retries_row,) = plans["claim_deliveries_sql"]
        assert retries_row["key"] == "deliveries_due", retries_row

        s.start_dispatcher()
        calls = rx.wait_for(ENABLED_DUE, 30)
        assert len(calls) == ENABLED_DUE
        assert wait_until(lambda: s.sql(
            "SELECT COUNT(*) FROM tasks WHERE status = 'completed'")[0][0]
            == ENABLED_DUE, 10)
        assert s.sql("SELECT COUNT(*) FROM deliveries")[0][0] == 0
    finally:
        rx.stop()
