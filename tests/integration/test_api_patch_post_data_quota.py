"""A PATCH that changes post_data moves the owner's post_data bytes
(max_post_data_bytes_per_user) by the difference (docs/API.md §14.3, §16):
growing past the limit is 429 as a create is, and changes nothing;
shrinking gives bytes back; the counter always equals the stored rows."""
from api_helpers import assert_error, assert_ok, create, get_task, new_user, one_time

LIMIT = 2000
FULL = (f"post_data quota reached: {LIMIT} bytes of post_data per user "
        "(max_post_data_bytes_per_user)")


def usage(stack, name):
    (counter,), = stack.sql("SELECT post_data_bytes FROM users "
                            "WHERE name = %s", (name,))
    (real,), = stack.sql(
        "SELECT COALESCE(SUM(LENGTH(t.post_data)), 0) FROM tasks t "
        "JOIN users u ON u.id = t.owner_id WHERE u.name = %s", (name,))
    assert counter == int(real), (counter, real)
    return counter


def test_patch_post_data_quota(make_stack):
    s = make_stack(config={"max_tasks_per_user": 0,
                           "max_post_data_bytes_per_user": LIMIT})
    name, token = new_user(s, "pbytes")
    a = create(s, token, one_time(post_data={"m": "a" * 900}))
    b = create(s, token, one_time(post_data={"m": "b" * 900}))
    used = usage(s, name)
    assert used == 2 * len('{"m":""}') + 1800

    before = get_task(s, token, b)
    resp = s.request("PATCH", f"/tasks/{b}", token=token,
                     body={"post_data": {"m": "b" * 1200}, "name": "n"})
    assert_error(resp, 429, FULL)
    assert get_task(s, token, b) == before
    assert usage(s, name) == used

    # Up to the limit exactly is allowed.
    room = LIMIT - used
    got = assert_ok(s.request("PATCH", f"/tasks/{b}", token=token,
                              body={"post_data": {"m": "b" * (900 + room)}}))
    assert got["version"] == 2
    assert usage(s, name) == LIMIT

    # Shrinking gives bytes back, and a create fits again.
    assert_ok(s.request("PATCH", f"/tasks/{a}", token=token,
                        body={"post_data": {}}))
    assert usage(s, name) == LIMIT - 900 - len('{"m":""}') + 2
    create(s, token, one_time(post_data={"m": "c" * 800}))
    usage(s, name)
