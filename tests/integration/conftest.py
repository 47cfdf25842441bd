"""pytest fixtures for the integration tests (see stack.py).

- `stack` (session): one shared stack without dispatchers, for tests that
  leave it as they found it.
- `make_stack` (function): a factory for private stacks, for tests that
  stop programs, change the config or run dispatchers:
  `make_stack(config={"min_frequency": 4}, dispatchers=0)`.
- `scratch_db` (function): (name, config file) of an empty database on
  the shared stack's server, for schedulerctl runs (stack.run_ctl).

When a test fails, the tails of the logs of the stacks it used are added
to its report. A test that runs longer than $SCHED_TEST_TIMEOUT seconds
(default 300; `@pytest.mark.timeout(N)` for one test) fails with
TestTimeout; SIGTERM stops the run like Ctrl-C, stopping the stacks.
"""
import os
import re
import signal
import sys
import tempfile
import uuid

import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import stack as stack_mod  # noqa: E402

# The private stacks the current test made, and the shared one once it
# exists, for the failure report.
_in_use = []
_shared = []


class TestTimeout(Exception):
    """A test ran past its time limit."""


def _interrupt(signum, frame):
    raise KeyboardInterrupt(f"signal {signum}")


def _alarm(signum, frame):
    raise TestTimeout("test ran past its time limit")


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "timeout(seconds): time limit of one test (SIGALRM)")
    signal.signal(signal.SIGTERM, _interrupt)
    signal.signal(signal.SIGALRM, _alarm)


def pytest_sessionstart(session):
    stack_mod.sweep_stale_stacks()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item, nextitem):
    marker = item.get_closest_marker("timeout")
    limit = int(marker.args[0]) if marker else \
        int(os.environ.get("SCHED_TEST_TIMEOUT", "300"))
    signal.alarm(limit)
    try:
        yield
    finally:
        signal.alarm(0)


@pytest.fixture(scope="session")
def stack():
    s = stack_mod.Stack()
    _shared.append(s)
    yield s
    s.stop()


@pytest.fixture
def make_stack():
    made = []

    def factory(config=None, dispatchers=0, **kwargs):
        s = stack_mod.Stack(config=config, dispatchers=dispatchers, **kwargs)
        made.append(s)
        _in_use.append(s)
        return s

    yield factory
    errors = []
    for s in made:
        _in_use.remove(s)
        try:
            s.stop()
        except Exception as exc:
            errors.append(str(exc))
    if errors:
        raise stack_mod.StackError("; ".join(errors))


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.failed and report.when in ("setup", "call"):
        stacks = list(_in_use)
        if "stack" in item.fixturenames:
            stacks += _shared
        for s in stacks:
            for name, tail in s.log_tails().items():
                report.sections.append((f"{name} log ({s.dir})", tail))


@pytest.fixture
def scratch_db(stack):
    """(database name, config file) of an empty database on the shared
    stack's server, dropped afterwards."""
    db = f"scratch_{uuid.uuid4().hex[:12]}"
    stack.sql(f"CREATE DATABASE `{db}` CHARACTER SET utf8mb4 "
              "COLLATE utf8mb4_bin")
    with open(stack.conf_path) as f:
        text = re.sub(r"(?m)^database_name\s*=.*$", f"database_name = {db}",
                      f.read())
    fd, path = tempfile.mkstemp(prefix="scratch-", suffix=".conf",
                                dir=stack.dir)
    with os.fdopen(fd, "w") as f:
        f.write(text)
    yield db, path
    stack.sql(f"DROP DATABASE `{db}`")
    os.unlink(path)
