"""SIGHUP makes scheduler-api re-read its config (docs/API.md §22):
`min_frequency` and `allow_private_targets` apply to the very next request
on every worker, without a restart; a config file that no longer loads
leaves the running config in place; socket and worker count changes wait
for a restart and the log says so. The shared stack's config is restored
after each test."""
import os

import pytest

from api_helpers import (assert_error, create, new_user, periodic, one_time,
                         stored_tasks)


@pytest.fixture
def reloadable(stack):
    """The shared stack; its config file and live config are put back as
    they were after the test."""
    saved = dict(stack.config)
    yield stack
    stack.config.clear()
    stack.config.update(saved)
    stack.write_config()
    stack.reload_api()
    stack.wait_health()


def test_min_frequency_applies_to_the_next_request(reloadable):
    s = reloadable
    name, token = new_user(s)
    workers = s.api_worker_pids()
    create(s, token, periodic(frequency=59))
    s.set_config(min_frequency=60)
    s.reload_api()
    # Many requests, each on a new connection, so every worker answers some.
    for _ in range(16):
        resp = s.request("POST", "/tasks", body=periodic(frequency=59),
                         token=token)
        error = assert_error(resp, 400, field="frequency")
        assert "60" in error["message"], error
    create(s, token, periodic(frequency=60))
    assert stored_tasks(s, name) == 2
    s.set_config(min_frequency=4)
    s.reload_api()
    for _ in range(8):
        create(s, token, periodic(frequency=59))
    assert s.api_worker_pids() == workers, "SIGHUP restarted the workers"


def test_allow_private_targets_applies_to_the_next_request(reloadable):
    s = reloadable
    _, token = new_user(s)
    body = one_time(url="http://127.0.0.1:9/hook")
    create(s, token, body)
    s.set_config(allow_private_targets=False)
    s.reload_api()
    for _ in range(12):
        assert_error(s.request("POST", "/tasks", body=body, token=token), 400,
                     field="url")
    s.set_config(allow_private_targets=True)
    s.reload_api()
    for _ in range(8):
        create(s, token, body)


def test_a_broken_config_keeps_the_running_one(reloadable):
    s = reloadable
    _, token = new_user(s)
    s.set_config(min_frequency=60)
    s.reload_api()
    with open(s.conf_path, "a") as f:
        f.write("min_frequency = not-a-number\nno_such_key = 1\n")
    start = os.path.getsize(s.api.log_path)
    s.reload_api()
    assert s.api.alive()
    with open(s.api.log_path, "rb") as f:
        f.seek(start)
        log = f.read().decode("utf-8", "replace")
    assert "reload failed" in log or "keeping" in log, log
    for _ in range(8):
        assert_error(s.request("POST", "/tasks", token=token,
                               body=periodic(frequency=59)), 400,
                     field="frequency")
    create(s, token, periodic(frequency=60))


def test_worker_count_change_waits_for_a_restart(reloadable):
    s = reloadable
    workers = s.api_worker_pids()
    start = os.path.getsize(s.api.log_path)
    s.set_config(workers=len(workers) + 2)
    s.reload_api()
    with open(s.api.log_path, "rb") as f:
        f.seek(start)
        log = f.read().decode("utf-8", "replace")
    assert "restart" in log, log
    assert s.api_worker_pids() == workers
    s.wait_health()
