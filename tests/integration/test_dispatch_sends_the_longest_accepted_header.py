"""The longest header the API accepts (name and value together 2048 bytes,
docs/API.md §8) is one the dispatcher really sends: the submit limit
matches dispatcher/request.c, so an accepted task never fails every
attempt on its headers."""
import time

from dispatch_receiver import Receiver, create, iso, next_whole_second


def test_header_of_2048_bytes_arrives(make_stack):
    s = make_stack(dispatchers=1)
    rx = Receiver()
    try:
        token = s.token("longheader")
        due = next_whole_second(2)
        name, value = "X-" + "N" * 1022, "v" * 1024
        create(s, token, {
            "task_type": "one_time", "url": rx.url("/long"),
            "run_datetime": iso(due), "headers": {name: value}})
        calls = rx.wait_for(1, due - time.time() + 8)
        assert len(calls) == 1, calls
        assert calls[0].headers.get(name.lower()) == value
    finally:
        rx.stop()
