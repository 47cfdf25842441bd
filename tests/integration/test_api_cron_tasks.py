"""Cron tasks through nginx (docs/API.md §9): created with an expression
and an IANA zone, shown as sent, next_run_datetime the first occurrence
at or after the later of start_datetime and now, computed here with an
independent reference (tests/unit/cron_reference.py: zoneinfo, minute by
minute); the task_type filter; pause and resume skipping missed
occurrences; min_frequency applied to the gap between occurrences."""
import datetime
import os
import sys
import time

import pytest

from api_helpers import (assert_error, assert_ok, create, cron, get_task,
                         new_user, pause, periodic, resume, status_of)

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "unit"))
from cron_reference import reference_next  # noqa: E402

FMT = "%Y-%m-%dT%H:%M:%SZ"


def epoch(text):
    return int(datetime.datetime.strptime(text, FMT).replace(
        tzinfo=datetime.timezone.utc).timestamp())


def iso(t):
    return time.strftime(FMT, time.gmtime(int(t)))


def first_at_or_after(expr, zone, t):
    return reference_next(expr, zone, t - 1)


@pytest.fixture
def user(stack):
    return new_user(stack, "cron")[1]


@pytest.mark.parametrize("expr,zone,start,want", [
    # 09:00 New York on the 1st: EST in March before the switch (14:00Z).
    ("0 9 1 * *", "America/New_York", "2031-03-01T00:00:00Z",
     "2031-03-01T14:00:00Z"),
    # ... and EDT in April (13:00Z).
    ("0 9 1 * *", "America/New_York", "2031-03-02T00:00:00Z",
     "2031-04-01T13:00:00Z"),
    # 02:30 does not exist in Berlin on 2031-03-30: the jump, 01:00Z.
    ("30 2 * * *", "Europe/Berlin", "2031-03-30T00:00:00Z",
     "2031-03-30T01:00:00Z"),
    # 02:30 happens twice on 2031-10-26: the first, still CEST (00:30Z).
    ("30 2 * * *", "Europe/Berlin", "2031-10-26T00:00:00Z",
     "2031-10-26T00:30:00Z"),
    # Leap days only.
    ("0 0 29 2 *", "UTC", "2031-01-01T00:00:00Z", "2032-02-29T00:00:00Z"),
    # Half-hour offset: midnight in Kolkata is 18:30Z the day before.
    ("@monthly", "Asia/Kolkata", "2031-05-15T00:00:00Z",
     "2031-05-31T18:30:00Z"),
    # Day of month OR day of week: the 13th or a Friday, whichever first.
    ("0 12 13 * FRI", "UTC", "2031-06-07T00:00:00Z", "2031-06-13T12:00:00Z"),
    ("0 12 13 * FRI", "UTC", "2031-06-14T00:00:00Z", "2031-06-20T12:00:00Z"),
])
def test_created_cron_task_reads_back_with_its_first_occurrence(
        stack, user, expr, zone, start, want):
    assert first_at_or_after(expr, zone, epoch(start)) == epoch(want)
    task_id = create(stack, user, cron(cron=expr, timezone=zone,
                                       start_datetime=start))
    got = get_task(stack, user, task_id)
    assert got["task_type"] == "cron"
    assert got["cron"] == expr and got["timezone"] == zone
    assert got["start_datetime"] == start
    assert got["end_datetime"] is None
    assert got["frequency"] is None and got["run_datetime"] is None
    assert got["status"] == "active" and got["run_count"] == 0
    assert got["next_run_datetime"] == want


def test_defaults_are_utc_and_now(stack, user):
    before = int(time.time())
    task_id = create(stack, user, cron(cron="@hourly", timezone=...))
    after = int(time.time())
    got = get_task(stack, user, task_id)
    assert got["timezone"] == "UTC"
    assert before <= epoch(got["start_datetime"]) <= after
    nxt = epoch(got["next_run_datetime"])
    assert nxt % 3600 == 0 and before <= nxt <= after + 3600


def test_timezone_null_is_utc(stack, user):
    task_id = create(stack, user, cron(cron="@daily", timezone=None))
    assert get_task(stack, user, task_id)["timezone"] == "UTC"


def test_start_in_the_past_begins_now(stack, user):
    before = int(time.time())
    task_id = create(stack, user, cron(cron="0 9 * * *", timezone="Asia/Tokyo",
                                       start_datetime="2020-01-01T00:00:00Z"))
    got = get_task(stack, user, task_id)
    assert got["start_datetime"] == "2020-01-01T00:00:00Z"
    nxt = epoch(got["next_run_datetime"])
    assert nxt == first_at_or_after("0 9 * * *", "Asia/Tokyo", nxt)
    assert before <= nxt <= before + 86400


def test_end_is_kept_and_stop_datetime_is_its_alias(stack, user):
    task_id = create(stack, user, cron(
        start_datetime="2031-01-01T00:00:00Z",
        stop_datetime="2031-02-01T00:00:00Z"))
    got = get_task(stack, user, task_id)
    assert got["end_datetime"] == "2031-02-01T00:00:00Z"
    # 2031-01-01 is a Wednesday: 09:00 Berlin (CET) is 08:00Z.
    assert got["next_run_datetime"] == "2031-01-01T08:00:00Z"


def test_expression_is_stored_as_sent(stack, user):
    expr = "0,30 9-17/2 1-7,15 JAN-jun mon-Fri"
    task_id = create(stack, user, cron(cron=expr, timezone="UTC",
                                       start_datetime="2031-01-01T00:00:00Z"))
    got = get_task(stack, user, task_id)
    assert got["cron"] == expr
    assert got["next_run_datetime"] == iso(first_at_or_after(
        expr, "UTC", epoch("2031-01-01T00:00:00Z")))


def test_messages_name_what_is_wrong(stack, user):
    err = assert_error(stack.request("POST", "/tasks", token=user,
                                     body=cron(cron="0 9 * * 8")), 400,
                       field="cron")
    assert err["message"] == "cron: day-of-week field: 8 is outside 0-7"
    err = assert_error(stack.request("POST", "/tasks", token=user,
                                     body=cron(cron="0 0 30 2 *")), 400,
                       field="cron")
    assert "never matches within 8 years" in err["message"]
    err = assert_error(stack.request("POST", "/tasks", token=user,
                                     body=cron(timezone="Mars/Olympus")),
                       400, field="timezone")
    assert err["message"] == 'timezone: unknown time zone "Mars/Olympus"'
    err = assert_error(stack.request("POST", "/tasks", token=user,
                                     body=cron(frequency=60)), 400,
                       field="frequency")
    assert err["message"] == "frequency does not apply to cron tasks"


def test_task_type_filter_finds_cron_tasks(stack):
    _, token = new_user(stack, "cronlist")
    ids = [create(stack, token, cron()) for _ in range(3)]
    create(stack, token, periodic())
    body = assert_ok(stack.request("GET", "/tasks?task_type=cron",
                                   token=token))
    assert body["count"] == 3
    assert [t["id"] for t in body["tasks"]] == ids


def paused_since_2020(stack, token, expr, next_run_at, end_at=None):
    """A cron task paused long ago: created, paused, and its start, next
    occurrence and end moved into the past in the database."""
    task_id = create(stack, token, cron(cron=expr, timezone="UTC"))
    pause(stack, token, task_id)
    stack.sql("UPDATE tasks SET start_at = %s, next_run_at = %s, end_at = %s "
              "WHERE id = %s", ("2020-01-01 00:00:00", next_run_at, end_at,
                                task_id))
    return task_id


def test_resume_skips_missed_occurrences(stack, user):
    task_id = paused_since_2020(stack, user, "*/5 * * * *",
                                "2020-01-01 00:05:00")
    before = int(time.time())
    resume(stack, user, task_id)
    after = int(time.time())
    nxt = epoch(get_task(stack, user, task_id)["next_run_datetime"])
    assert nxt % 300 == 0
    assert first_at_or_after("*/5 * * * *", "UTC", before) <= nxt
    assert nxt <= first_at_or_after("*/5 * * * *", "UTC", after)


def test_resume_after_the_end_completes(stack, user):
    task_id = paused_since_2020(stack, user, "@daily", "2020-01-02 00:00:00",
                                "2020-02-01 00:00:00")
    resume(stack, user, task_id)
    assert status_of(stack, task_id) == "completed"
    assert get_task(stack, user, task_id)["next_run_datetime"] is None


def test_min_frequency_limits_the_gap_between_occurrences(make_stack):
    s = make_stack(config={"min_frequency": 3600})
    _, token = new_user(s, "cronfreq")
    err = assert_error(s.request("POST", "/tasks", token=token,
                                 body=cron(cron="*/15 * * * *")), 400,
                       field="cron")
    assert "closer than min_frequency" in err["message"]
    # 09:00 and 09:30 on weekdays: 30 minutes apart.
    assert_error(s.request("POST", "/tasks", token=token,
                           body=cron(cron="0,30 9 * * 1-5")), 400,
                 field="cron")
    create(s, token, cron(cron="0 * * * *"))
    create(s, token, cron(cron="0 9,10 * * *"))
