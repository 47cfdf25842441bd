#!/bin/sh
# Runs the integration tests (pytest) against the built programs and writes
# JUnit XML to $SCHED_RESULTS_DIR/integration.xml for tools/test to count.
# make check runs it with SCHED_SRCDIR and SCHED_BUILDDIR set (see
# local.mk); run by hand it defaults to this checkout and its build/.
# Extra pytest arguments: on the command line or in $SCHED_PYTEST_ARGS
# (e.g. SCHED_PYTEST_ARGS="-k smoke" tools/test).
set -u
here=$(cd "$(dirname "$0")" && pwd)
SCHED_SRCDIR=${SCHED_SRCDIR:-$(cd "$here/../.." && pwd)}
SCHED_BUILDDIR=${SCHED_BUILDDIR:-$SCHED_SRCDIR/build}
export SCHED_SRCDIR SCHED_BUILDDIR
# The source tree stays clean (and may be read-only): no bytecode, no cache.
export PYTHONDONTWRITEBYTECODE=1
results=${SCHED_RESULTS_DIR:-$(pwd)/tests/results}
mkdir -p "$results" && results=$(cd "$results" && pwd) || exit 1
xml=$results/integration.xml
run_xml=$results/integration-run.xml
rm -f "$xml" "$run_xml"

# Node ids relative to the source tree: tests/integration/test_x.py::name.
cd "$SCHED_SRCDIR" || exit 1

# A hang must not stall the run forever: SIGTERM to pytest (which stops
# like Ctrl-C, stopping its stacks) after SCHED_PYTEST_TIMEOUT seconds,
# SIGKILL 30 s later. --foreground keeps Ctrl-C reaching pytest.
# shellcheck disable=SC2086
timeout --foreground -k 30 "${SCHED_PYTEST_TIMEOUT:-900}" \
	/usr/bin/python3 -m pytest -q -ra -p no:cacheprovider \
	-o faulthandler_timeout=240 --rootdir="$SCHED_SRCDIR" \
	--junitxml="$xml" tests/integration \
	${SCHED_PYTEST_ARGS:-} "$@"
rc=$?
case $rc in
0 | 1) why= ;;
5) why="pytest collected no tests" ;;
124 | 137) why="pytest did not finish within ${SCHED_PYTEST_TIMEOUT:-900} s" ;;
*) why="pytest stopped with status $rc (interrupted or internal error)" ;;
esac
if [ -n "$why" ]; then
	# A run that broke off counts as a failure in the totals as well.
	echo "run-pytest: $why"
	cat >"$run_xml" <<XML
<?xml version="1.0" encoding="utf-8"?>
<testsuites><testsuite name="integration-run" tests="1" failures="1">
<testcase classname="tests.integration.run-pytest" name="run"><failure message="$why"/></testcase>
</testsuite></testsuites>
XML
	[ "$rc" -ne 0 ] || rc=1
fi
exit $rc
