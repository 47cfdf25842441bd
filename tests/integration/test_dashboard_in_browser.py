"""The dashboard (/dashboard/, issue 4) in a real browser: Debian's
chromium driven by playwright-core (tests/browser/dashboard.test.mjs,
node's test runner) against a private stack with one dispatcher and a
callback receiver. This test makes the users and tasks through the API,
runs the browser scenarios and passes when node exits 0 (its output is
shown on failure).

Scenarios (see the .mjs file): bad token -> message; good token -> the
tasks, schedules in words (a cron task's in its zone, with its
expression); pause and resume from the page, checked in the API; filters
kept across the automatic refresh; delete asks first; the create form
shows the API's 400 next to the field; a cron task made from the form
(the API's 400 under the cron and time zone fields, the browser's zone
offered, then listed in words); markup in post_data and url shown as text
with no script run; the run history of a task that fired; run now (the
run id shown, its run in the history); the next 5 occurrences, the API's
own, "none" when paused; editing a task (PATCH with If-Match: only the
changed fields, the API's 400 next to its field, a stale form's 412
"changed elsewhere — reload" and the reload); 390 px wide; an admin sees
all tasks, the dispatchers online and the chart, and pauses, resumes, runs
and deletes another user's task (left out while the admin API is
missing).

test_cron_words_in_node runs the unit tests of cronWords (web/cron_words.js,
tests/browser/cron_words.test.mjs) under node; it needs node only.

Skipped, with the reason, only when chromium, node or playwright-core are
not installed (tools/test installs them). SCHED_DASHBOARD_SCREENSHOTS=DIR
saves a PNG of each view there (docs/screenshots/ holds the README's).
"""
import os
import shutil
import subprocess
import time

import pytest

from dispatch_receiver import Receiver, create, iso, next_whole_second

HERE = os.path.dirname(os.path.abspath(__file__))
SRCDIR = os.environ.get("SCHED_SRCDIR") or os.path.dirname(os.path.dirname(HERE))
BROWSER_DIR = os.path.join(SRCDIR, "tests", "browser")
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")


def _node_ready():
    """None when chromium, node and playwright-core are there, else why
    not (after trying `npm ci` once for playwright-core)."""
    if not os.access(CHROMIUM, os.X_OK):
        return f"{CHROMIUM} is not installed (tools/test installs Debian's chromium)"
    node = shutil.which("node")
    if not node:
        return "node is not installed (tools/test installs nodejs)"
    module = os.path.join(BROWSER_DIR, "node_modules", "playwright-core")
    if not os.path.isdir(module):
        npm = shutil.which("npm")
        if not npm:
            return "npm is not installed (tools/test installs it)"
        done = subprocess.run([npm, "ci", "--no-audit", "--no-fund"],
                              cwd=BROWSER_DIR, capture_output=True,
                              text=True, timeout=180)
        if done.returncode != 0 or not os.path.isdir(module):
            return ("npm ci in tests/browser failed: "
                    + (done.stderr or done.stdout)[-500:])
    return None


def _admin_token(s):
    """An admin's token, or "" when this build has no admin API yet."""
    try:
        token = s.token("root-admin", admin=True)
    except Exception:
        return ""
    resp = s.request("GET", "/admin/dispatchers", token=token)
    return token if resp.status == 200 else ""


@pytest.mark.timeout(300)
def test_dashboard_in_browser(make_stack):
    why = _node_ready()
    if why:
        pytest.skip("browser test not run: " + why)

    s = make_stack(dispatchers=1)
    # /fail answers 500: a task that fails and is retried, for the chart
    # and the screenshots.
    rx = Receiver(lambda call: 500 if call.path.startswith("/fail") else 200)
    try:
        token = s.token("alice")
        admin = _admin_token(s)
        later = iso(time.time() + 3600)
        periodic = create(s, token, {
            "task_type": "periodic", "name": "nightly-report",
            "url": "https://example.com/reports/nightly", "frequency": 3600,
            "start_datetime": later, "post_data": {"report": "nightly"}})
        # A cron task (docs/API.md §9), shown in words in its zone.
        cron = create(s, token, {
            "task_type": "cron", "name": "weekday-digest",
            "url": "https://example.com/digest", "cron": "0 9 * * MON-FRI",
            "timezone": "Europe/Berlin"})
        xss = create(s, token, {
            "task_type": "one_time",
            "url": "https://example.com/hook?q=<b>bold</b>",
            "run_datetime": iso(time.time() + 86400),
            "post_data": {
                "html": '<script>window.__xss = 1; alert(1)</script>',
                "img": '<img src=x onerror=window.__xss=2>'}})
        doomed = create(s, token, {
            "task_type": "one_time", "name": "remove-me",
            "url": "https://example.com/old",
            "run_datetime": iso(time.time() + 7200)})
        # Due a few seconds ahead: it has fired by the time the run
        # history scenario looks (that one waits up to 30 s).
        fired = create(s, token, {
            "task_type": "one_time", "name": "welcome-sms",
            "url": rx.url("/sms/send"), "run_datetime": iso(next_whole_second(6)),
            "post_data": {"campaign": "welcome", "big": 18446744073709551615}})

        # Alice's, for the admin's buttons (pause, resume, run, delete).
        admin_target = create(s, token, {
            "task_type": "one_time", "name": "admin-target",
            "url": rx.url("/admin-run"),
            "run_datetime": iso(time.time() + 3 * 86400)})

        create(s, token, {
            "task_type": "one_time", "name": "flaky-webhook",
            "url": rx.url("/fail"), "run_datetime": iso(next_whole_second(4)),
            "post_data": {"campaign": "flaky"}})

        env = dict(os.environ,
                   DASH_BASE_URL=s.base_url, DASH_TOKEN=token,
                   DASH_ADMIN_TOKEN=admin, DASH_PERIODIC=periodic,
                   DASH_FIRED=fired, DASH_XSS=xss, DASH_CRON=cron, DASH_DOOMED=doomed,
                   DASH_ADMIN_TARGET=admin_target,
                   DASH_RECEIVER_URL=rx.url("/from-form"),
                   DASH_SCREENSHOTS=os.environ.get(
                       "SCHED_DASHBOARD_SCREENSHOTS", ""),
                   CHROMIUM=CHROMIUM)
        started = time.monotonic()
        done = subprocess.run(
            ["node", "--test", "--test-reporter=spec",
             "dashboard.test.mjs"],
            cwd=BROWSER_DIR, env=env, capture_output=True, text=True,
            timeout=240)
        took = time.monotonic() - started
        output = done.stdout + done.stderr
        print(output)
        print(f"browser scenarios: {took:.1f} s; admin scenario "
              f"{'run' if admin else 'left out (no admin API)'}")
        assert done.returncode == 0, output
        assert rx.snapshot(), "the one-time task never reached the receiver"
    finally:
        rx.stop()


def _node_junit(node):
    """True when this node's test runner has the junit reporter (Node.js
    20.10 and later)."""
    probe = subprocess.run(
        [node, "-e", "process.exit(require('node:test/reporters').junit ? 0 : 1)"],
        capture_output=True, timeout=30)
    return probe.returncode == 0


@pytest.mark.timeout(60)
def test_cron_words_in_node():
    """cronWords, the dashboard's cron schedules in words, unit tested under
    node, and its words checked against lib/cron.c through the build's
    tests/unit/cron_next_cli (built by make check; that one case skips,
    saying so, without it). Each case also reaches tools/test's totals:
    node writes its own JUnit XML next to pytest's, into
    $SCHED_RESULTS_DIR (when set and this node has the junit reporter)."""
    node = shutil.which("node")
    if not node:
        pytest.skip("node is not installed (tools/test installs nodejs)")
    build = os.environ.get("SCHED_BUILDDIR") or os.path.join(SRCDIR, "build")
    env = dict(os.environ, CRON_NEXT_CLI=os.path.join(
        build, "tests", "unit", "cron_next_cli"))
    cmd = [node, "--test", "--test-reporter=spec",
           "--test-reporter-destination=stdout"]
    results = os.environ.get("SCHED_RESULTS_DIR")
    if results and os.path.isdir(results) and _node_junit(node):
        cmd += ["--test-reporter=junit", "--test-reporter-destination="
                + os.path.join(results, "cron-words.xml")]
    cmd.append("cron_words.test.mjs")
    done = subprocess.run(cmd, cwd=BROWSER_DIR, env=env, capture_output=True,
                          text=True, timeout=50)
    output = done.stdout + done.stderr
    print(output)
    assert done.returncode == 0, output
    assert "\u2139 pass 0" not in output, output
