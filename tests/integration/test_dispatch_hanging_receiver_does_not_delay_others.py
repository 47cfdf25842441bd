"""Receivers that hang do not hold up the others: with ten callbacks
hanging, callbacks to a fast receiver due at the same second, and one due
two seconds later, all arrive on time."""
import time

from dispatch_receiver import Receiver, create, iso, next_whole_second


def test_hanging_receiver_does_not_delay_others(make_stack):
    s = make_stack(dispatchers=1)
    rx = Receiver(lambda call: "hang" if call.path == "/hang" else 200)
    try:
        token = s.token("hanger")
        due = next_whole_second(2)
        for i in range(10):
            create(s, token, {"task_type": "one_time", "url": rx.url("/hang"),
                              "run_datetime": iso(due)})
            create(s, token, {"task_type": "one_time", "url": rx.url("/fast"),
                              "run_datetime": iso(due)})
        create(s, token, {"task_type": "one_time", "url": rx.url("/later"),
                          "run_datetime": iso(due + 2)})

        fast = rx.wait_for(10, due - time.time() + 4,
                           where=lambda c: c.path == "/fast")
        assert len(fast) == 10, fast
        assert all(due <= c.at <= due + 1.5 for c in fast), \
            [c.at - due for c in fast]
        later = rx.wait_for(1, due + 2 - time.time() + 3,
                            where=lambda c: c.path == "/later")
        assert len(later) == 1 and due + 2 <= later[0].at <= due + 3.5
        assert len([c for c in rx.snapshot() if c.path == "/hang"]) == 10
    finally:
        rx.stop()
