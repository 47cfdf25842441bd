"""The body must be exactly one strict JSON object (docs/API.md §7.1): what
json-c 0.16 lets through by itself in strict mode (NaN, Infinity, `1.`,
raw control characters, overlong UTF-8, surrogates, code points above
U+10FFFF, lone surrogate escapes, NUL in a key, duplicate keys, nesting
deeper than 32, integers beyond 64 bits, trailing bytes) is a 400, and
nothing is stored."""
import json

import pytest

from api_helpers import (assert_error, assert_ok, create, new_user, one_time,
                         pairs, stored_tasks, utc_in)


def task_with(value=b"1", key=b'"v"'):
    """A valid one-time task body whose post_data is {key: value}, as bytes."""
    head = json.dumps(one_time(post_data=...))[:-1].encode()
    return head + b', "post_data": {' + key + b": " + value + b"}}"


def nested(depth):
    """post_data holding arrays nested so that the whole body has depth
    containers open at its deepest point (body 1, post_data 2, ...)."""
    k = depth - 2
    return task_with(b"[" * k + b"]" * k)


BAD = [
    ("NaN", task_with(b"NaN")),
    ("-NaN", task_with(b"-NaN")),
    ("nan", task_with(b"nan")),
    ("Infinity", task_with(b"Infinity")),
    ("-Infinity", task_with(b"-Infinity")),
    ("inf", task_with(b"inf")),
    ("1.", task_with(b"1.")),
    ("1.e5", task_with(b"1.e5")),
    (".5", task_with(b".5")),
    ("+1", task_with(b"+1")),
    ("01", task_with(b"01")),
    ("-01", task_with(b"-01")),
    ("1e", task_with(b"1e")),
    ("1e+", task_with(b"1e+")),
    ("0x10", task_with(b"0x10")),
    ("-", task_with(b"-")),
    ("1.5.5", task_with(b"1.5.5")),
    ("single quotes", task_with(b"'x'")),
    ("True", task_with(b"True")),
    ("raw tab in a string", task_with(b'"a\tb"')),
    ("raw newline in a string", task_with(b'"a\nb"')),
    ("raw CR in a string", task_with(b'"a\rb"')),
    ("raw 0x01 in a string", task_with(b'"a\x01b"')),
    ("raw 0x1f in a string", task_with(b'"a\x1fb"')),
    ("raw NUL in a string", task_with(b'"a\x00b"')),
    ("raw NUL in a key", task_with(key=b'"a\x00b"')),
    ("raw tab in a key", task_with(key=b'"a\tb"')),
    ("bad escape \\x", task_with(b'"\\x41"')),
    ("bad escape \\u12", task_with(b'"\\u12"')),
    ("overlong 2-byte /", task_with(b'"\xc0\xaf"')),
    ("overlong 2-byte NUL", task_with(b'"\xc0\x80"')),
    ("overlong 3-byte", task_with(b'"\xe0\x80\xaf"')),
    ("overlong 4-byte", task_with(b'"\xf0\x80\x80\xaf"')),
    ("UTF-8 surrogate D800", task_with(b'"\xed\xa0\x80"')),
    ("UTF-8 surrogate DFFF", task_with(b'"\xed\xbf\xbf"')),
    ("UTF-8 surrogate pair", task_with(b'"\xed\xa0\xbd\xed\xb8\x80"')),
    ("code point 110000", task_with(b'"\xf4\x90\x80\x80"')),
    ("5-byte form", task_with(b'"\xf8\x88\x80\x80\x80"')),
    ("byte FF", task_with(b'"\xff"')),
    ("lone continuation byte", task_with(b'"\x80"')),
    ("truncated 3-byte sequence", task_with(b'"\xe2\x82"')),
    ("invalid UTF-8 in a key", task_with(key=b'"\xc0\xaf"')),
    ("lone \\ud800", task_with(b'"\\ud800"')),
    ("lone \\udbff at the end", task_with(b'"x\\udbff"')),
    ("lone \\udc00", task_with(b'"\\udc00"')),
    ("\\ud800 then \\u0041", task_with(b'"\\ud800\\u0041"')),
    ("\\ud800 then text", task_with(b'"\\ud800abc"')),
    ("two high surrogates", task_with(b'"\\ud800\\ud800"')),
    ("\\u0000 in a key", task_with(key=b'"a\\u0000b"')),
    ("\\u0000 alone as a key", task_with(key=b'"\\u0000"')),
    ("duplicate key in post_data", task_with(b'1, "v": 2')),
    ("duplicate key by escape", task_with(b'1, "\\u0076": 2')),
    ("duplicate empty key", task_with(b'1, "": 2, "": 3')),
    ("depth 33", nested(33)),
    ("depth 1000", nested(1000)),
    ("2^64", task_with(b"18446744073709551616")),
    ("-2^63 - 1", task_with(b"-9223372036854775809")),
    ("huge integer", task_with(b"1" * 400)),
    ("huge negative integer", task_with(b"-" + b"9" * 40)),
    ("2^64 then another number", task_with(b"18446744073709551616, \"w\": 1")),
    ("-2^63 - 1 then another number",
     task_with(b"-9223372036854775809, \"w\": 1")),
    ("2^64 in an array", task_with(b"[1, 18446744073709551616, 2]")),
    ("trailing x", task_with() + b"x"),
    ("trailing brace", task_with() + b"}"),
    ("two objects", task_with() + b"{}"),
    ("two objects with a newline", task_with() + b"\n" + task_with()),
    ("trailing NUL", task_with() + b"\x00"),
    ("trailing comma in object", task_with(b"1,")),
    ("trailing comma in array", task_with(b"[1,]")),
    ("unclosed", task_with()[:-1]),
    ("comment", task_with(b"1 /* c */")),
    ("BOM then object", b"\xef\xbb\xbf" + task_with()),
    ("empty body", b""),
    ("whitespace only", b" \n\t "),
    ("top-level array", b"[" + task_with() + b"]"),
    ("top-level string", b'"task"'),
    ("top-level number", b"1"),
    ("top-level null", b"null"),
    ("top-level true", b"true"),
    ("form encoding", b"task_type=one_time&url=https://example.com/"),
]


@pytest.fixture(scope="module")
def refused_user(stack):
    name, token = new_user(stack, "strict")
    yield name, token
    assert stored_tasks(stack, name) == 0


@pytest.mark.parametrize("raw", [b for _, b in BAD], ids=[d for d, _ in BAD])
def test_not_strict_json_is_400_and_nothing_stored(stack, refused_user, raw):
    name, token = refused_user
    resp = stack.request("POST", "/tasks", raw=raw, token=token,
                         headers={"Content-Type": "application/json"})
    assert_error(resp, 400)
    assert stored_tasks(stack, name) == 0


def test_duplicate_top_level_keys(stack, refused_user):
    name, token = refused_user
    body = json.dumps(one_time())[:-1] + ', "task_type": "periodic"}'
    assert_error(stack.request("POST", "/tasks", raw=body.encode(),
                               token=token), 400)
    assert stored_tasks(stack, name) == 0


def test_bulk_bodies_are_just_as_strict(stack):
    _, token = new_user(stack)
    task = create(stack, token, one_time())
    for raw in (b'{"ids": ["%s"], "ids": ["%s"]}',
                b'{"ids": ["%s"]} x%s',
                b'{"ids": ["%s\\ud800"]}%s',
                b'{"ids": ["%s", NaN]}%s'):
        raw = raw.replace(b"%s", task.encode(), 1).replace(b"%s", b"", 1)
        for op in ("pause", "resume"):
            assert_error(stack.request("POST", f"/tasks/{op}", raw=raw,
                                       token=token), 400)
    assert stack.sql("SELECT status FROM tasks WHERE id = %s",
                     (task,))[0][0] == "active"


GOOD = [
    ("depth 32", nested(32)),
    ("uint64 max", task_with(b"18446744073709551615")),
    ("int64 min", task_with(b"-9223372036854775808")),
    ("int64 max", task_with(b"9223372036854775807")),
    ("-0", task_with(b"-0")),
    ("exponent forms", task_with(b"[1e5, 1E+5, -1.5e-3, 0.0]")),
    ("escaped surrogate pair", task_with(b'"\\ud83d\\ude00"')),
    ("raw 4-byte UTF-8", task_with(b'"\xf0\x9f\x98\x80"')),
    ("U+10FFFF", task_with(b'"\xf4\x8f\xbf\xbf"')),
    ("raw DEL", task_with(b'"a\x7fb"')),
    ("\\u0000 in a string", task_with(b'"a\\u0000b"')),
    ("escaped controls", task_with(b'"\\t\\n\\r\\b\\f\\/\\\\\\""')),
    ("whitespace everywhere", b" \r\n\t" + task_with() + b" \r\n\t"),
    ("same key in sibling objects", task_with(b'{"a": 1}, "w": {"a": 2}')),
]


@pytest.mark.parametrize("raw", [b for _, b in GOOD], ids=[d for d, _ in GOOD])
def test_strict_json_edge_cases_are_accepted(stack, raw):
    name, token = new_user(stack)
    resp = stack.request("POST", "/tasks", raw=raw, token=token)
    task = assert_ok(resp, 201)["id"]
    got = stack.request("GET", f"/tasks/{task}", token=token)
    sent = pairs(raw.decode("utf-8"))
    sent_post_data = dict(sent)["post_data"]
    assert dict(pairs(got.text))["post_data"] == sent_post_data


def test_run_datetime_inside_strict_body_still_checked(stack, refused_user):
    # A body can be valid JSON and still a bad task: the JSON checks come
    # first, then the fields.
    name, token = refused_user
    raw = json.dumps(one_time(run_datetime=utc_in(-10))).encode()
    assert_error(stack.request("POST", "/tasks", raw=raw, token=token), 400,
                 field="run_datetime")


@pytest.mark.parametrize("content_type", [
    None, "text/plain", "application/x-www-form-urlencoded",
    "multipart/form-data; boundary=x", "application/xml"])
def test_content_type_is_not_checked(stack, content_type):
    name, token = new_user(stack)
    headers = {"Content-Type": content_type} if content_type else {}
    resp = stack.request("POST", "/tasks", token=token, headers=headers,
                         raw=json.dumps(one_time()).encode())
    assert_ok(resp, 201)
    resp = stack.request("POST", "/tasks", token=token, headers=headers,
                         raw=b"task_type=one_time")
    assert_error(resp, 400)
    assert stored_tasks(stack, name) == 1
