"""An Idempotency-Key that is empty, longer than 255 characters, or holds
anything but visible ASCII (0x21-0x7E) is 400 naming the header, before
the body is looked at, and nothing is stored (docs/API.md §4, §7.5); 255
visible characters are a good key."""
import pytest

from api_helpers import assert_error, assert_ok, new_user, periodic, stored_tasks

MSG = "Idempotency-Key must be 1 to 255 visible ASCII characters"
VISIBLE = "".join(chr(c) for c in range(0x21, 0x7f))


@pytest.mark.parametrize("key", ["", "k" * 256, "a b", "caf\xe9", "tab\there",
                                 "x\x7f"], ids=["empty", "256", "space",
                                                "non-ascii", "tab", "del"])
def test_bad_key_is_400(stack, key):
    name, token = new_user(stack, "idem-bad")
    resp = stack.request("POST", "/tasks", body=periodic(), token=token,
                         headers={"Idempotency-Key": key})
    assert_error(resp, 400, MSG, "Idempotency-Key")
    # The key is checked before the body: a broken body says the same.
    resp = stack.request("POST", "/tasks", raw=b"{", token=token,
                         headers={"Idempotency-Key": key})
    assert_error(resp, 400, MSG, "Idempotency-Key")
    assert stored_tasks(stack, name) == 0


def test_longest_and_every_visible_character_are_good(stack):
    name, token = new_user(stack, "idem-good")
    for key in ("k" * 255, VISIBLE):
        resp = stack.request("POST", "/tasks", body=periodic(), token=token,
                             headers={"Idempotency-Key": key})
        assert_ok(resp, 201)
    assert stored_tasks(stack, name) == 2
