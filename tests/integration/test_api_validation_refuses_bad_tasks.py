"""A bad task gets 400 naming the field at fault, and nothing is stored
(docs/API.md §7): task type, url, post_data, frequency bounds and type,
datetimes (format, in the future, end after start), fields of the other
task type. Optional fields sent as null count as absent; unknown fields
are ignored."""
import pytest

from api_helpers import (ANY, assert_error, assert_ok, create, get_task,
                         new_user, one_time, periodic, stored_tasks, utc_in,
                         cron)

LONG_URL = "https://example.com/" + "a" * (2048 - len("https://example.com/"))

BAD = [
    # task_type
    ("no task_type", periodic(task_type=...), "task_type"),
    ("task_type null", periodic(task_type=None), "task_type"),
    ("task_type upper case", periodic(task_type="Periodic"), "task_type"),
    ("task_type ONE_TIME", one_time(task_type="ONE_TIME"), "task_type"),
    ("task_type unknown", periodic(task_type="daily"), "task_type"),
    ("task_type empty", periodic(task_type=""), "task_type"),
    ("task_type number", periodic(task_type=1), "task_type"),
    ("task_type list", periodic(task_type=["periodic"]), "task_type"),
    # url
    ("no url", one_time(url=...), "url"),
    ("url null", one_time(url=None), "url"),
    ("url number", one_time(url=5), "url"),
    ("url object", one_time(url={"host": "example.com"}), "url"),
    ("url empty", one_time(url=""), "url"),
    ("url relative", one_time(url="/hook"), "url"),
    ("url without scheme", one_time(url="example.com/hook"), "url"),
    ("url ftp", one_time(url="ftp://example.com/x"), "url"),
    ("url file", one_time(url="file:///etc/passwd"), "url"),
    ("url javascript", one_time(url="javascript:alert(1)"), "url"),
    ("url without host", one_time(url="http://"), "url"),
    ("url empty host", one_time(url="http:///path"), "url"),
    ("url with space", one_time(url="http://example.com/a b"), "url"),
    ("url with newline", one_time(url="http://example.com/\n"), "url"),
    ("url with NUL", one_time(url="http://example.com/\u0000x"), "url"),
    ("url 2049 chars", one_time(url=LONG_URL + "a"), "url"),
    # post_data
    ("post_data list", one_time(post_data=[1, 2]), "post_data"),
    ("post_data string", one_time(post_data="{}"), "post_data"),
    ("post_data number", one_time(post_data=1), "post_data"),
    ("post_data true", one_time(post_data=True), "post_data"),
    # frequency
    ("no frequency", periodic(frequency=...), "frequency"),
    ("frequency null", periodic(frequency=None), "frequency"),
    ("frequency string", periodic(frequency="3600"), "frequency"),
    ("frequency fraction", periodic(frequency=3600.5), "frequency"),
    ("frequency 3600.0", periodic(frequency=3600.0), "frequency"),
    ("frequency true", periodic(frequency=True), "frequency"),
    ("frequency below min_frequency", periodic(frequency=3), "frequency"),
    ("frequency 0", periodic(frequency=0), "frequency"),
    ("frequency negative", periodic(frequency=-3600), "frequency"),
    ("frequency over 10 years", periodic(frequency=315360001), "frequency"),
    ("frequency beyond 32 bits", periodic(frequency=2 ** 32 + 3600),
     "frequency"),
    ("frequency list", periodic(frequency=[3600]), "frequency"),
    # start_datetime
    ("no start_datetime", periodic(start_datetime=...), "start_datetime"),
    ("start_datetime null", periodic(start_datetime=None), "start_datetime"),
    ("start_datetime number", periodic(start_datetime=1900000000),
     "start_datetime"),
    ("start_datetime garbage", periodic(start_datetime="tomorrow"),
     "start_datetime"),
    ("start_datetime date only", periodic(start_datetime="2031-01-01"),
     "start_datetime"),
    ("start_datetime Feb 30", periodic(start_datetime="2031-02-30T00:00:00Z"),
     "start_datetime"),
    ("start_datetime Feb 29 of a common year",
     periodic(start_datetime="2031-02-29T00:00:00Z"), "start_datetime"),
    ("start_datetime second 60",
     periodic(start_datetime="2031-06-30T23:59:60Z"), "start_datetime"),
    ("start_datetime hour 24",
     periodic(start_datetime="2031-06-30T24:00:00Z"), "start_datetime"),
    ("start_datetime month 13",
     periodic(start_datetime="2031-13-01T00:00:00Z"), "start_datetime"),
    ("start_datetime offset without colon",
     periodic(start_datetime="2031-01-01T08:00:00-0500"), "start_datetime"),
    ("start_datetime offset hours only",
     periodic(start_datetime="2031-01-01T08:00:00-05"), "start_datetime"),
    ("start_datetime zone name",
     periodic(start_datetime="2031-01-01T08:00:00 EST"), "start_datetime"),
    ("start_datetime trailing text",
     periodic(start_datetime="2031-01-01T08:00:00Zjunk"), "start_datetime"),
    ("start_datetime leading space",
     periodic(start_datetime=" 2031-01-01T08:00:00Z"), "start_datetime"),
    ("start_datetime one-digit month",
     periodic(start_datetime="2031-1-01T08:00:00Z"), "start_datetime"),
    ("start_datetime year 10000 after conversion",
     periodic(start_datetime="9999-12-31T23:00:00-05:00"), "start_datetime"),
    ("start_datetime year 10000",
     periodic(start_datetime="10000-01-01T00:00:00Z"), "start_datetime"),
    ("start_datetime in the past",
     periodic(start_datetime=utc_in(-60)), "start_datetime"),
    ("start_datetime in 1970",
     periodic(start_datetime="1970-01-01T00:00:00Z"), "start_datetime"),
    ("start_datetime before 1970 after conversion",
     periodic(start_datetime="1970-01-01T00:30:00+01:00"), "start_datetime"),
    # end_datetime / stop_datetime
    ("end_datetime before start",
     periodic(start_datetime=utc_in(7200), end_datetime=utc_in(3600)),
     "end_datetime"),
    ("end_datetime equal to start",
     periodic(start_datetime="2031-01-01T00:00:00Z",
              end_datetime="2031-01-01T00:00:00Z"), "end_datetime"),
    ("end_datetime equal to start after conversion",
     periodic(start_datetime="2031-01-01T05:00:00Z",
              end_datetime="2031-01-01T00:00:00-05:00"), "end_datetime"),
    ("end_datetime garbage", periodic(end_datetime="never"), "end_datetime"),
    ("end_datetime number", periodic(end_datetime=0), "end_datetime"),
    ("stop_datetime before start",
     periodic(start_datetime=utc_in(7200), stop_datetime=utc_in(3600)),
     "stop_datetime"),
    ("stop_datetime garbage", periodic(stop_datetime="x"), "stop_datetime"),
    # run_datetime
    ("no run_datetime", one_time(run_datetime=...), "run_datetime"),
    ("run_datetime null", one_time(run_datetime=None), "run_datetime"),
    ("run_datetime in the past", one_time(run_datetime=utc_in(-1)),
     "run_datetime"),
    ("run_datetime Feb 30", one_time(run_datetime="2031-02-30 10:00:00"),
     "run_datetime"),
    ("run_datetime object", one_time(run_datetime={}), "run_datetime"),
    # fields of the other task type
    ("frequency on one_time", one_time(frequency=3600), "frequency"),
    ("start_datetime on one_time", one_time(start_datetime=utc_in(3600)),
     "start_datetime"),
    ("end_datetime on one_time", one_time(end_datetime=utc_in(7200)),
     "end_datetime"),
    ("stop_datetime on one_time", one_time(stop_datetime=utc_in(7200)),
     "stop_datetime"),
    ("run_datetime on periodic", periodic(run_datetime=utc_in(3600)),
     "run_datetime"),
    ("cron on periodic", periodic(cron="0 * * * *"), "cron"),
    ("timezone on one_time", one_time(timezone="UTC"), "timezone"),
    ("run_datetime on interval",
     periodic(task_type="interval", run_datetime=utc_in(60)), "run_datetime"),
    # cron (docs/API.md §9.3)
    ("task_type CRON", cron(task_type="CRON"), "task_type"),
    ("no cron", cron(cron=...), "cron"),
    ("cron null", cron(cron=None), "cron"),
    ("cron number", cron(cron=5), "cron"),
    ("cron list", cron(cron=["0", "9", "*", "*", "*"]), "cron"),
    ("cron empty", cron(cron=""), "cron"),
    ("cron four fields", cron(cron="0 9 * *"), "cron"),
    ("cron six fields", cron(cron="0 0 9 * * *"), "cron"),
    ("cron minute 60", cron(cron="60 9 * * *"), "cron"),
    ("cron hour 24", cron(cron="0 24 * * *"), "cron"),
    ("cron day 0", cron(cron="0 9 0 * *"), "cron"),
    ("cron month 13", cron(cron="0 9 * 13 *"), "cron"),
    ("cron weekday 8", cron(cron="0 9 * * 8"), "cron"),
    ("cron backwards range", cron(cron="0 17-9 * * *"), "cron"),
    ("cron step 0", cron(cron="*/0 * * * *"), "cron"),
    ("cron bad name", cron(cron="0 9 * * MONDAY"), "cron"),
    ("cron unknown shortcut", cron(cron="@fortnightly"), "cron"),
    ("cron NUL inside", cron(cron="0 9 * * *\u0000"), "cron"),
    ("cron SQL", cron(cron="0 9 * * *'; DROP TABLE tasks; --"), "cron"),
    ("cron never matches", cron(cron="0 0 30 2 *"), "cron"),
    ("cron 31 November", cron(cron="0 0 31 11 *"), "cron"),
    ("cron too long", cron(cron="0 9 * * " + "1," * 200 + "1"), "cron"),
    ("timezone unknown", cron(timezone="Europe/Atlantis"), "timezone"),
    ("timezone lower case", cron(timezone="europe/berlin"), "timezone"),
    ("timezone path", cron(timezone="../../../etc/passwd"), "timezone"),
    ("timezone absolute", cron(timezone="/usr/share/zoneinfo/UTC"),
     "timezone"),
    ("timezone directory", cron(timezone="Europe"), "timezone"),
    ("timezone not TZif", cron(timezone="zone.tab"), "timezone"),
    ("timezone offset", cron(timezone="+02:00"), "timezone"),
    ("timezone empty", cron(timezone=""), "timezone"),
    ("timezone number", cron(timezone=1), "timezone"),
    ("timezone localtime", cron(timezone="localtime"), "timezone"),
    ("timezone posixrules", cron(timezone="posixrules"), "timezone"),
    ("timezone Factory", cron(timezone="Factory"), "timezone"),
    ("timezone with leap seconds", cron(timezone="right/Europe/Berlin"),
     "timezone"),
    ("timezone posix tree", cron(timezone="posix/Europe/Berlin"),
     "timezone"),
    ("cron first occurrence after 9999",
     cron(cron="0 0 1 1 *", start_datetime="9999-12-31T23:59:00Z"), "cron"),
    ("frequency on cron", cron(frequency=3600), "frequency"),
    ("run_datetime on cron", cron(run_datetime=utc_in(3600)), "run_datetime"),
    ("cron start not a datetime", cron(start_datetime="tomorrow"),
     "start_datetime"),
    ("cron end before start", cron(start_datetime=utc_in(7200),
                                   end_datetime=utc_in(3600)), "end_datetime"),
    ("cron end and stop", cron(end_datetime=utc_in(86400 * 30),
                               stop_datetime=utc_in(86400 * 30)),
     "stop_datetime"),
    ("cron end before its first occurrence",
     cron(cron="0 0 1 1 *", start_datetime="2031-01-02T00:00:00Z",
          end_datetime="2031-06-01T00:00:00Z"), "end_datetime"),
]


@pytest.fixture(scope="module")
def refused_user(stack):
    """A user who only ever sends bad tasks: must end with none stored."""
    name, token = new_user(stack, "refused")
    yield name, token
    assert stored_tasks(stack, name) == 0


@pytest.mark.parametrize("body,field", [(b, f) for _, b, f in BAD],
                         ids=[d for d, _, _ in BAD])
def test_bad_field_is_400_with_field_and_nothing_stored(stack, refused_user,
                                                        body, field):
    name, token = refused_user
    resp = stack.request("POST", "/tasks", body=body, token=token)
    assert_error(resp, 400, field=field)
    assert stored_tasks(stack, name) == 0


def test_past_times_have_the_specified_messages(stack, refused_user):
    _, token = refused_user
    resp = stack.request("POST", "/tasks", token=token,
                         body=periodic(start_datetime=utc_in(-3600)))
    assert_error(resp, 400, "start_datetime should be in future",
                 "start_datetime")
    resp = stack.request("POST", "/tasks", token=token,
                         body=one_time(run_datetime="2015-12-05T08:00:00Z"))
    assert_error(resp, 400, "run_datetime should be in future",
                 "run_datetime")


def test_the_seeds_own_example_is_refused_as_past(stack, refused_user):
    _, token = refused_user
    body = {"frequency": 3601, "task_type": "interval",
            "start_datetime": "2015-12-05T08:00:00-05:00",
            "end_datetime": "2016-01-05T08:00:00-05:00",
            "url": "http://getTalent.com/sms/send/",
            "post_data": {"campaign_name": "SMS Campaign",
                          "phone_number": "09230862348",
                          "smart_list_id": 123456,
                          "content": "text to be sent as sms"}}
    resp = stack.request("POST", "/tasks", body=body, token=token)
    assert_error(resp, 400, "start_datetime should be in future",
                 "start_datetime")


def test_end_and_stop_datetime_together_are_refused(stack, refused_user):
    _, token = refused_user
    resp = stack.request("POST", "/tasks", token=token, body=periodic(
        end_datetime=utc_in(7200), stop_datetime=utc_in(7200)))
    error = assert_error(resp, 400, field=ANY)
    assert error.get("field") in ("end_datetime", "stop_datetime"), error


GOOD = [
    ("frequency at min_frequency", periodic(frequency=4)),
    ("frequency at 10 years", periodic(frequency=315360000)),
    ("url of 2048 chars", one_time(url=LONG_URL)),
    ("http url", one_time(url="http://example.com")),
    ("url with port query and fragment",
     one_time(url="https://example.com:8443/a/b?x=1&y=2#frag")),
    ("upper-case scheme", one_time(url="HTTPS://EXAMPLE.COM/x")),
    ("interval is periodic", periodic(task_type="interval")),
    ("post_data absent", one_time(post_data=...)),
    ("post_data null", one_time(post_data=None)),
    ("post_data empty", one_time(post_data={})),
    ("end_datetime null", periodic(end_datetime=None)),
    ("stop_datetime null", periodic(stop_datetime=None)),
    ("end before start + frequency",
     periodic(frequency=86400, start_datetime=utc_in(3600),
              end_datetime=utc_in(3601))),
    ("other type's fields null on one_time",
     one_time(frequency=None, start_datetime=None, end_datetime=None,
              stop_datetime=None, cron=None, timezone=None)),
    ("other type's fields null on periodic",
     periodic(run_datetime=None, cron=None, timezone=None)),
    ("unknown fields", one_time(colour="blue", nested={"a": [1]}, id="x")),
    ("leap day", one_time(run_datetime="2032-02-29T12:00:00Z")),
    ("year 9999", one_time(run_datetime="9999-12-31T23:59:59Z")),
]


@pytest.mark.parametrize("body", [b for _, b in GOOD],
                         ids=[d for d, _ in GOOD])
def test_valid_edge_cases_are_accepted(stack, body):
    name, token = new_user(stack)
    task = create(stack, token, body)
    assert stored_tasks(stack, name) == 1
    got = get_task(stack, token, task)
    assert got["id"] == task


def test_optional_fields_stored_as_absent(stack):
    _, token = new_user(stack)
    got = get_task(stack, token, create(stack, token, one_time(
        post_data=None, frequency=None, cron=None)))
    assert got["post_data"] == {}
    assert got["frequency"] is None and got["cron"] is None
    got = get_task(stack, token, create(stack, token, periodic(
        end_datetime=None)))
    assert got["end_datetime"] is None


def test_stop_datetime_is_stored_as_end_datetime(stack):
    _, token = new_user(stack)
    body = periodic(start_datetime="2031-03-01T00:00:00Z",
                    stop_datetime="2031-04-01T00:00:00Z")
    got = get_task(stack, token, create(stack, token, body))
    assert got["end_datetime"] == "2031-04-01T00:00:00Z"
    assert "stop_datetime" not in got


def test_unknown_fields_are_not_echoed(stack):
    _, token = new_user(stack)
    got = get_task(stack, token, create(stack, token, one_time(
        colour="blue", status="paused", run_count=7, id="mine")))
    assert "colour" not in got
    assert got["status"] == "active" and got["run_count"] == 0
    assert got["id"] != "mine"
    assert_ok(stack.request("GET", f"/tasks/{got['id']}", token=token))
