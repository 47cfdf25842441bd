"""Datetimes are read in every form docs/API.md §7.4 accepts and converted to
UTC (an offset is applied, never dropped: the seed's
`08:00:00-05:00` is 13:00 UTC), fractions are truncated, and every
datetime comes back as RFC 3339 UTC with `Z` and whole seconds."""
import datetime

import pytest

from api_helpers import RFC3339, create, get_task, new_user, one_time, periodic

FORMS = [
    ("2035-12-05T08:00:00-05:00", "2035-12-05T13:00:00Z"),
    ("2035-12-05T08:00:00+05:30", "2035-12-05T02:30:00Z"),
    ("2035-12-05T08:00:00+00:00", "2035-12-05T08:00:00Z"),
    ("2035-12-05T08:00:00-00:00", "2035-12-05T08:00:00Z"),
    ("2035-12-05T22:30:00-05:00", "2035-12-06T03:30:00Z"),
    ("2036-01-01T01:00:00+02:00", "2035-12-31T23:00:00Z"),
    ("2035-12-31T23:00:00-14:00", "2036-01-01T13:00:00Z"),
    ("2035-12-05T08:00:00Z", "2035-12-05T08:00:00Z"),
    ("2035-12-05T08:00:00z", "2035-12-05T08:00:00Z"),
    ("2035-12-05t08:00:00Z", "2035-12-05T08:00:00Z"),
    ("2035-12-05t08:00:00z", "2035-12-05T08:00:00Z"),
    ("2035-12-05 08:00:00Z", "2035-12-05T08:00:00Z"),
    ("2035-12-05 08:00:00-05:00", "2035-12-05T13:00:00Z"),
    ("2035-12-05 08:00:00", "2035-12-05T08:00:00Z"),
    ("2035-12-05T08:00:00", "2035-12-05T08:00:00Z"),
    ("2035-12-05t08:00:00", "2035-12-05T08:00:00Z"),
    ("2035-12-05T08:00:00.999Z", "2035-12-05T08:00:00Z"),
    ("2035-12-05T08:00:59.999999999Z", "2035-12-05T08:00:59Z"),
    ("2035-12-05T08:00:00.5-05:00", "2035-12-05T13:00:00Z"),
    ("2035-12-05 08:00:00.123", "2035-12-05T08:00:00Z"),
    ("2036-02-29T00:00:00Z", "2036-02-29T00:00:00Z"),
    ("2036-02-29T23:30:00-01:00", "2036-03-01T00:30:00Z"),
    ("9999-12-31T23:59:59Z", "9999-12-31T23:59:59Z"),
    ("9999-12-31T23:59:59+01:00", "9999-12-31T22:59:59Z"),
]


@pytest.fixture(scope="module")
def user(stack):
    return new_user(stack, "dates")[1]


def stored(stack, task, column):
    return stack.sql(f"SELECT {column} FROM tasks WHERE id = %s",
                     (task,))[0][0]


@pytest.mark.parametrize("sent,utc", FORMS)
def test_run_datetime_forms(stack, user, sent, utc):
    task = create(stack, user, one_time(run_datetime=sent))
    got = get_task(stack, user, task)
    assert got["run_datetime"] == utc
    assert got["next_run_datetime"] == utc
    assert stored(stack, task, "run_at") == \
        datetime.datetime.strptime(utc, "%Y-%m-%dT%H:%M:%SZ")


@pytest.mark.parametrize("sent,utc", FORMS[:8])
def test_start_and_end_datetime_forms(stack, user, sent, utc):
    end = "9999-01-01T00:00:00-05:00"
    task = create(stack, user, periodic(start_datetime=sent,
                                        end_datetime=end))
    got = get_task(stack, user, task)
    assert got["start_datetime"] == utc
    assert got["next_run_datetime"] == utc
    assert got["end_datetime"] == "9999-01-01T05:00:00Z"


def test_seed_example_moved_to_the_future_stores_13_utc(stack, user):
    body = {"frequency": 3601, "task_type": "interval",
            "start_datetime": "2035-12-05T08:00:00-05:00",
            "end_datetime": "2036-01-05T08:00:00-05:00",
            "url": "http://getTalent.com/sms/send/",
            "post_data": {"campaign_name": "SMS Campaign",
                          "phone_number": "09230862348",
                          "smart_list_id": 123456,
                          "content": "text to be sent as sms"}}
    task = create(stack, user, body)
    assert stored(stack, task, "start_at") == \
        datetime.datetime(2035, 12, 5, 13, 0, 0)
    assert stored(stack, task, "end_at") == \
        datetime.datetime(2036, 1, 5, 13, 0, 0)
    got = get_task(stack, user, task)
    assert (got["start_datetime"], got["end_datetime"]) == \
        ("2035-12-05T13:00:00Z", "2036-01-05T13:00:00Z")
    assert got["task_type"] == "periodic" and got["frequency"] == 3601


def test_output_datetimes_are_rfc3339_utc(stack, user):
    before = datetime.datetime.now(datetime.timezone.utc).replace(
        microsecond=0)
    task = create(stack, user, periodic(
        start_datetime="2035-06-01 12:00:00.75",
        end_datetime="2035-07-01t12:00:00+02:00"))
    after = datetime.datetime.now(datetime.timezone.utc)
    got = get_task(stack, user, task)
    for key in ("start_datetime", "end_datetime", "next_run_datetime",
                "created_at"):
        assert RFC3339.match(got[key]), (key, got[key])
    created = datetime.datetime.strptime(
        got["created_at"], "%Y-%m-%dT%H:%M:%SZ").replace(
        tzinfo=datetime.timezone.utc)
    assert before - datetime.timedelta(seconds=1) <= created <= after
    for t in stack.request("GET", "/tasks", token=user).json()["tasks"]:
        for key in ("start_datetime", "end_datetime", "run_datetime",
                    "next_run_datetime", "created_at"):
            assert t[key] is None or RFC3339.match(t[key]), (key, t[key])


def test_a_few_seconds_ahead_is_the_future(stack, user):
    now = datetime.datetime.now(datetime.timezone.utc)
    soon = (now + datetime.timedelta(seconds=5)).strftime("%Y-%m-%dT%H:%M:%S")
    create(stack, user, one_time(run_datetime=soon + "Z"))
    offset = (now + datetime.timedelta(seconds=5)).astimezone(
        datetime.timezone(datetime.timedelta(hours=-5)))
    create(stack, user, one_time(
        run_datetime=offset.strftime("%Y-%m-%dT%H:%M:%S-05:00")))
