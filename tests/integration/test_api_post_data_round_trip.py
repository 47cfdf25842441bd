"""post_data comes back equal as a JSON value to what was sent, key order
kept (docs/API.md §10): nested values, unicode, `\\u0000` inside strings,
integers exact over the signed and unsigned 64-bit ranges; slashes are not
escaped on the way out."""
import json

import pytest

from api_helpers import (assert_ok, create, new_user, one_time, pairs,
                         periodic)

CASES = [
    ("empty", {}),
    ("seed example", {"campaign_name": "SMS Campaign",
                      "phone_number": "09230862348", "smart_list_id": 123456,
                      "content": "text to be sent as sms"}),
    ("nested", {"a": {"b": {"c": [1, [2, [3, {"d": None}]], {}]}},
                "e": [], "f": [[]], "g": [{}, {"h": [True, False, None]}]}),
    ("key order", {"z": 1, "a": 2, "m": 3, "b": {"y": 1, "x": 2},
                   "10": 1, "9": 2, "": 0}),
    ("unicode", {"fr": "déjà vu", "ja": "日本語", "emoji": "😀🎉",
                 "rtl": "שלום", "combining": "e\u0301", "max": "\U0010ffff",
                 "bom": "\ufeff", "ключ": "значение", "😀": "key"}),
    ("NUL inside strings", {"nul": "a\u0000b", "only": "\u0000",
                            "end": "x\u0000"}),
    ("escapes", {"q": "say \"hi\"", "bs": "C:\\path\\", "ctl": "\t\n\r\b\f",
                 "low": "\u0001\u001f", "del": "\u007f",
                 "slash": "a/b</script>", "ls": "\u2028\u2029"}),
    ("int64 bounds", {"min": -9223372036854775808,
                      "max": 9223372036854775807,
                      "min1": -9223372036854775807, "zero": 0, "neg": -1}),
    ("uint64 bounds", {"umax": 18446744073709551615,
                       "over_int64": 9223372036854775808,
                       "umax1": 18446744073709551614}),
    ("2^53 neighbours", {"a": 9007199254740993, "b": -9007199254740993}),
    ("floats", {"half": 0.5, "tenth": 0.1, "neg": -2.5e-10, "big": 1e300,
                "small": 5e-324, "third": 1 / 3}),
    ("booleans and null", {"t": True, "f": False, "n": None}),
    ("long string", {"s": "x" * 50000}),
    ("many keys", {f"k{i}": i for i in range(1000)}),
    ("deep", {"a": json.loads("[" * 20 + '{"deep": true}' + "]" * 20)}),
]


@pytest.fixture(scope="module")
def user(stack):
    return new_user(stack, "roundtrip")[1]


@pytest.mark.parametrize("post_data", [c for _, c in CASES],
                         ids=[d for d, _ in CASES])
@pytest.mark.parametrize("make", [one_time, periodic])
def test_post_data_round_trips(stack, user, post_data, make):
    sent = json.dumps(make(post_data=post_data))
    resp = stack.request("POST", "/tasks", raw=sent.encode(), token=user)
    task = assert_ok(resp, 201)["id"]
    want = pairs(json.dumps(post_data))
    for path in (f"/tasks/{task}", f"/tasks/id/{task}"):
        got = stack.request("GET", path, token=user)
        assert_ok(got)
        assert dict(pairs(got.text))["post_data"] == want
    listed = stack.request("GET", "/tasks", token=user)
    for t in pairs(listed.text)[3][1]:
        if dict(t)["id"] == task:
            assert dict(t)["post_data"] == want
            break
    else:
        raise AssertionError(f"task {task} not listed")


def test_raw_utf8_and_escaped_forms_give_the_same_value(stack, user):
    raw = json.dumps(one_time(post_data=...))[:-1].encode() + \
        b', "post_data": {"a": "\xc3\xa9\\u00e9", ' \
        b'"b": "\\ud83d\\ude00\xf0\x9f\x98\x80", "c": "\\/"}}'
    task = assert_ok(stack.request("POST", "/tasks", raw=raw, token=user),
                     201)["id"]
    got = stack.request("GET", f"/tasks/{task}", token=user).json()
    assert got["post_data"] == {"a": "éé", "b": "😀😀", "c": "/"}


def test_slashes_are_not_escaped(stack, user):
    task = create(stack, user, one_time(post_data={"u": "https://a/b/c"},
                                        url="https://example.com/x/y"))
    got = stack.request("GET", f"/tasks/{task}", token=user)
    assert b"https://a/b/c" in got.body and b"\\/" not in got.body


def test_exact_integers_in_the_response_text(stack, user):
    task = create(stack, user, one_time(post_data={
        "u": 18446744073709551615, "s": -9223372036854775808}))
    got = stack.request("GET", f"/tasks/{task}", token=user)
    assert b"18446744073709551615" in got.body
    assert b"-9223372036854775808" in got.body
