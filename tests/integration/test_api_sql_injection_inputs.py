"""Input that looks like SQL is only ever data (docs/API.md §5 "Faults": bound
parameters only): in task ids, bulk ids, query parameters, tokens, and in
post_data and url it is stored and returned verbatim, and nothing breaks."""
import urllib.parse

import pytest

from api_helpers import (assert_error, assert_ok, assert_unauthorized,
                         create, get_task, new_user, one_time, periodic,
                         raw_http, status_of, stored_tasks)

NASTY = [
    "' OR '1'='1",
    "' OR 1=1 -- ",
    "1; DROP TABLE tasks; --",
    "\"; DELETE FROM tasks WHERE \"1\"=\"1",
    "') UNION SELECT id, owner_id FROM tasks -- ",
    "%' OR owner_id LIKE '%",
    "\\' OR 1=1 #",
    "1 AND SLEEP(5)",
    "0x27204f522031",
    "*/ OR /*",
    "é' OR 'é'='é",
    "日本' OR 1=1 --",
    "😀'; --",
]


@pytest.fixture(scope="module")
def victim(stack):
    """Another user whose task must survive every attempt."""
    _, token = new_user(stack, "victim")
    task = create(stack, token, periodic())
    yield task
    assert status_of(stack, task) == "active"
    assert stack.sql("SELECT COUNT(*) FROM tasks")[0][0] > 0


@pytest.fixture(scope="module")
def attacker(stack):
    return new_user(stack, "attacker")


@pytest.mark.parametrize("text", NASTY)
def test_in_a_path_id(stack, victim, attacker, text):
    _, token = attacker
    quoted = urllib.parse.quote(text, safe="")
    for method, path in (("GET", "/tasks/{}"), ("GET", "/tasks/id/{}"),
                         ("DELETE", "/tasks/{}"), ("POST", "/tasks/{}/pause"),
                         ("POST", "/tasks/{}/resume"),
                         ("GET", "/tasks/{}/runs")):
        resp = stack.request(method, path.format(quoted), token=token)
        assert_error(resp, 404, "Task not found")


@pytest.mark.parametrize("text", NASTY)
def test_raw_bytes_in_a_path_id(stack, victim, attacker, text):
    # Not percent-encoded: the bytes as they are (spaces aside, which
    # would end the request target, and '%', which nginx itself refuses
    # when no hex follows: see test_api_answers_are_uncacheable_json).
    _, token = attacker
    path = "/tasks/" + text.replace(" ", "%20").replace("#", "%23") \
        .replace("%'", "%25'").replace("'%", "'%25")
    status, headers, body = raw_http(stack, (
        f"GET {path} HTTP/1.1\r\nHost: localhost\r\n"
        f"Authorization: Bearer {token}\r\nConnection: close\r\n\r\n"
    ).encode("utf-8"))
    assert status in (400, 404), (status, body)
    assert headers.get("content-type") == "application/json; charset=utf-8"
    if status == 404:
        assert body.strip() in (b'{"error":{"message":"Task not found"}}',
                                b'{"error":{"message":"Not found"}}'), body


@pytest.mark.parametrize("text", NASTY)
def test_in_bulk_ids(stack, victim, attacker, text):
    _, token = attacker
    for op in ("pause", "resume"):
        resp = stack.request("POST", f"/tasks/{op}", token=token,
                             body={"ids": [text]})
        assert_error(resp, 404, "Task not found")
        resp = stack.request("POST", f"/tasks/{op}", token=token,
                             body={"ids": [text, victim]})
        assert_error(resp, 404, "Task not found")


@pytest.mark.parametrize("text", NASTY)
@pytest.mark.parametrize("param", ["status", "task_type", "page",
                                   "per_page"])
def test_in_query_parameters(stack, victim, attacker, text, param):
    _, token = attacker
    q = urllib.parse.urlencode({param: text})
    assert_error(stack.request("GET", f"/tasks?{q}", token=token), 400,
                 field=param)
    q = urllib.parse.urlencode({param + "x": text, "per_page": 5})
    body = assert_ok(stack.request("GET", f"/tasks?{q}", token=token))
    assert body["per_page"] == 5


@pytest.mark.parametrize("text", NASTY)
def test_in_the_token(stack, victim, text):
    assert_unauthorized(stack.request(
        "GET", "/tasks", headers={"Authorization": "Bearer " +
                                  text.encode().decode("latin-1")}))
    assert_unauthorized(stack.request(
        "GET", "/tasks", headers={"Authorization": "Bearer " +
                                  text.replace(" ", "").encode()
                                  .decode("latin-1")}))


def test_in_post_data_and_url_stored_verbatim(stack, victim, attacker):
    name, token = attacker
    post_data = {t: t for t in NASTY}
    post_data["nested"] = [{"q": t} for t in NASTY]
    url = "https://example.com/cb?q=%27%20OR%201%3D1--&x=';DROP%20TABLE%20t"
    task = create(stack, token, one_time(post_data=post_data, url=url))
    got = get_task(stack, token, task)
    assert got["post_data"] == post_data
    assert list(got["post_data"]) == list(post_data)
    assert got["url"] == url
    assert stored_tasks(stack, name) >= 1


@pytest.mark.parametrize("text", NASTY)
def test_in_a_task_name_and_unknown_fields(stack, victim, attacker, text):
    # A text that is not a valid name is a 400; one that is (hex, say) is
    # stored as it is. Either way it is never SQL.
    _, token = attacker
    resp = stack.request("POST", "/tasks", token=token,
                         body=one_time(name=text, **{text: text}))
    found = None
    if resp.status == 400:
        assert_error(resp, 400, field="name")
    else:
        found = assert_ok(resp, 201)["id"]
        assert get_task(stack, token, found)["name"] == text
    resp = stack.request("GET", "/tasks/name/" +
                         urllib.parse.quote(text, safe=""), token=token)
    if found is None:
        assert resp.status == 404, resp
    else:
        assert assert_ok(resp)["id"] == found
