"""lib/cron's cron_next agrees with an independent reference.

tests/unit/cron_reference.py scans local time minute by minute with
Python's zoneinfo and compares 10,000 random (expression, zone, instant)
triples, biased towards DST transitions, with the C driver
tests/unit/cron_next_cli (built by make check). Needs no stack.
"""
import os
import subprocess
import sys

import pytest

SRC = os.environ.get("SCHED_SRCDIR") or os.path.abspath(
    os.path.join(os.path.dirname(__file__), "..", ".."))
BUILD = os.environ.get("SCHED_BUILDDIR") or os.path.join(SRC, "build")
DRIVER = os.path.join(BUILD, "tests", "unit", "cron_next_cli")


def test_cron_next_matches_reference_10000_cases():
    if not os.path.exists(DRIVER):
        pytest.fail(f"{DRIVER} is missing: run make check (it builds it)")
    out = subprocess.run(
        [sys.executable, os.path.join(SRC, "tests", "unit",
                                      "cron_reference.py"),
         "--driver", DRIVER, "--cases", "10000"],
        capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "10000 cases, 0 mismatches" in out.stdout
