"""Headers a task may not carry (docs/API.md §8): hop-by-hop headers, the
ones the scheduler sets, and any of them spelled with "_" for "-" (CGI and
WSGI receivers read X-Scheduler_Signature as X-Scheduler-Signature). Each
is a 400 on field "headers" naming the header, and nothing is stored. So
is a header whose name and value together exceed the 2048 bytes the
dispatcher sends; names that merely resemble refused ones are fine."""
import pytest

from api_helpers import (assert_error, create, get_task, new_user, one_time,
                         stored_tasks)

REFUSED = [
    # Other spellings of the scheduler's own headers.
    "X-Scheduler_Signature", "x_scheduler_run_id", "X_Scheduler_Attempt",
    "Transfer_Encoding", "Content_Length", "content_type", "User_Agent",
    "webhook-signature", "Webhook_Id",
    # Hop-by-hop, and what libcurl or nginx must decide, in both spellings.
    "Connection", "Keep-Alive", "keep_alive", "Proxy-Connection",
    "proxy_connection", "TE", "te", "Trailer", "Upgrade", "upgrade",
    "Expect", "EXPECT", "Host", "host", "Content-Length", "Transfer-Encoding",
]

ALLOWED = ["Hosts", "TEE", "T-E", "X-Keep-Alive", "Upgrade-Insecure-Requests",
           "Expectation", "Content-Lengths", "X_Api_Key", "webhook"]


@pytest.fixture(scope="module")
def user(stack):
    return new_user(stack, "hopbyhop")


def refused(stack, user, headers):
    name, token = user
    before = stored_tasks(stack, name)
    resp = stack.request("POST", "/tasks", token=token,
                         body=one_time(headers=headers))
    error = assert_error(resp, 400, field="headers")
    assert stored_tasks(stack, name) == before
    return error["message"]


@pytest.mark.parametrize("header", REFUSED)
def test_refused_header_names(stack, user, header):
    message = refused(stack, user, {"X-Fine": "1", header: "x"})
    assert header in message, message


def test_two_spellings_of_one_header_are_refused(stack, user):
    message = refused(stack, user, {"X-Api-Key": "1", "x_api_key": "2"})
    assert "given twice" in message, message


@pytest.mark.parametrize("name_len,value_len", [(1025, 1024), (2049, 0),
                                                (3000, 10)])
def test_header_longer_than_the_dispatcher_sends(stack, user, name_len,
                                                 value_len):
    message = refused(stack, user, {"N" * name_len: "v" * value_len})
    assert "2048" in message, message


def test_near_names_and_the_longest_header_are_accepted(stack, user):
    _, token = user
    headers = {h: "1" for h in ALLOWED}
    task = create(stack, token, one_time(headers=headers))
    assert get_task(stack, token, task)["headers"] == headers
    longest = {"N" * 1024: "v" * 1024}
    task = create(stack, token, one_time(headers=longest))
    assert get_task(stack, token, task)["headers"] == longest
