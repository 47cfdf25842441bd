# tests/integration/: pytest tests that start their own MariaDB, nginx,
# scheduler-api and dispatchers (stack.py) and talk HTTP through nginx.
# run-pytest.sh runs them all as one automake test and writes JUnit XML
# into $SCHED_RESULTS_DIR for tools/test to count.
#
# The tier needs root, mariadbd and nginx; `configure --disable-service-tests`
# skips it, and make distcheck does so (AM_DISTCHECK_CONFIGURE_FLAGS).
TEST_EXTENSIONS = .sh
SH_LOG_COMPILER = env SCHED_SRCDIR='$(abs_top_srcdir)' \
	SCHED_BUILDDIR='$(abs_top_builddir)' $(SHELL)
if SERVICE_TESTS
TESTS += tests/integration/run-pytest.sh
endif
AM_DISTCHECK_CONFIGURE_FLAGS = --disable-service-tests

# The whole folder ships (every test_*.py, whoever adds it), minus caches;
# so do the scripts that run the stack and the tests.
EXTRA_DIST += tests/integration tools/devstack tools/test tools/packages.sh \
	tools/summarize-tests.py
dist-hook: dist-hook-integration
dist-hook-integration:
	rm -rf $(distdir)/tests/integration/__pycache__ \
	    $(distdir)/tests/integration/.pytest_cache
.PHONY: dist-hook-integration
