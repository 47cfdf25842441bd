"""The same Idempotency-Key with a body that differs in any byte (another
field, or only the JSON's spacing) is 422 `Idempotency-Key reused with a
different request` and creates nothing (docs/API.md §7.5); the first body
still replays."""
import json

from api_helpers import assert_error, assert_ok, new_user, periodic, stored_tasks

MSG = "Idempotency-Key reused with a different request"


def test_other_body_is_422(stack):
    name, token = new_user(stack, "idem-422")
    body = periodic()
    key = {"Idempotency-Key": "same-key"}
    first = stack.request("POST", "/tasks", body=body, token=token, headers=key)
    assert_ok(first, 201)
    other = dict(body, url="https://example.com/other")
    assert_error(stack.request("POST", "/tasks", body=other, token=token,
                               headers=key), 422, MSG, "Idempotency-Key")
    # The same JSON value, other bytes: still another request.
    spaced = json.dumps(body, indent=1).encode()
    assert spaced != json.dumps(body).encode()
    assert_error(stack.request("POST", "/tasks", raw=spaced, token=token,
                               headers={**key, "Content-Type": "application/json"}),
                 422, MSG, "Idempotency-Key")
    assert stored_tasks(stack, name) == 1
    again = stack.request("POST", "/tasks", body=body, token=token, headers=key)
    assert again.status == 201 and again.body == first.body, again
