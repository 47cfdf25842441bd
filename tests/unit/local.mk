# tests/unit/: cmocka tests of the pure modules, one file per module.
# Each runs through tests/unit/run-cmocka, which writes JUnit XML into
# tests/results/ for tools/test to count.
UNIT_TESTS = tests/unit/test_config \
	tests/unit/test_datetime \
	tests/unit/test_json_body \
	tests/unit/test_url_guard \
	tests/unit/test_crypto \
	tests/unit/test_schedule \
	tests/unit/test_task_type
check_PROGRAMS += $(UNIT_TESTS)
TESTS += $(UNIT_TESTS)
LOG_COMPILER = $(top_srcdir)/tests/unit/run-cmocka
EXTRA_DIST += tests/unit/run-cmocka
UNIT_LDADD = $(SCHED_LIBS) $(CMOCKA_LIBS)
UNIT_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) -DTEST_SRCDIR='"$(abs_top_srcdir)"'

tests_unit_test_config_SOURCES = tests/unit/test_config.c
tests_unit_test_config_LDADD = $(UNIT_LDADD)
tests_unit_test_config_CFLAGS = $(UNIT_CFLAGS)

tests_unit_test_datetime_SOURCES = tests/unit/test_datetime.c
tests_unit_test_datetime_LDADD = $(UNIT_LDADD)
tests_unit_test_datetime_CFLAGS = $(UNIT_CFLAGS)

tests_unit_test_json_body_SOURCES = tests/unit/test_json_body.c
tests_unit_test_json_body_LDADD = $(UNIT_LDADD)
tests_unit_test_json_body_CFLAGS = $(UNIT_CFLAGS)

tests_unit_test_url_guard_SOURCES = tests/unit/test_url_guard.c
tests_unit_test_url_guard_LDADD = $(UNIT_LDADD)
tests_unit_test_url_guard_CFLAGS = $(UNIT_CFLAGS)

tests_unit_test_crypto_SOURCES = tests/unit/test_crypto.c
tests_unit_test_crypto_LDADD = $(UNIT_LDADD)
tests_unit_test_crypto_CFLAGS = $(UNIT_CFLAGS)

tests_unit_test_schedule_SOURCES = tests/unit/test_schedule.c
tests_unit_test_schedule_LDADD = $(UNIT_LDADD)
tests_unit_test_schedule_CFLAGS = $(UNIT_CFLAGS)

tests_unit_test_task_type_SOURCES = tests/unit/test_task_type.c
tests_unit_test_task_type_LDADD = $(UNIT_LDADD)
tests_unit_test_task_type_CFLAGS = $(UNIT_CFLAGS)

# run-cmocka writes here when SCHED_RESULTS_DIR is not set.
clean-local: clean-local-unit-results
clean-local-unit-results:
	rm -rf tests/results
.PHONY: clean-local-unit-results

# dispatcher/'s pure modules (their sources are compiled into each test).
DISPATCH_UNIT_TESTS = tests/unit/test_backoff tests/unit/test_occurrence \
	tests/unit/test_request tests/unit/test_batch
check_PROGRAMS += $(DISPATCH_UNIT_TESTS)
TESTS += $(DISPATCH_UNIT_TESTS)
DISPATCH_UNIT_CFLAGS = $(UNIT_CFLAGS) -I$(top_srcdir)/dispatcher

tests_unit_test_backoff_SOURCES = tests/unit/test_backoff.c dispatcher/backoff.c
tests_unit_test_backoff_LDADD = $(UNIT_LDADD)
tests_unit_test_backoff_CFLAGS = $(DISPATCH_UNIT_CFLAGS)

tests_unit_test_occurrence_SOURCES = tests/unit/test_occurrence.c
tests_unit_test_occurrence_LDADD = $(UNIT_LDADD)
tests_unit_test_occurrence_CFLAGS = $(DISPATCH_UNIT_CFLAGS)

tests_unit_test_request_SOURCES = tests/unit/test_request.c \
	dispatcher/request.c dispatcher/job.c
tests_unit_test_request_LDADD = $(UNIT_LDADD)
tests_unit_test_request_CFLAGS = $(DISPATCH_UNIT_CFLAGS)

tests_unit_test_batch_SOURCES = tests/unit/test_batch.c dispatcher/batch.c
tests_unit_test_batch_LDADD = $(UNIT_LDADD)
tests_unit_test_batch_CFLAGS = $(DISPATCH_UNIT_CFLAGS)

# lib/cron: unit test, and the driver of the property test against
# tests/unit/cron_reference.py (run by tests/integration/
# test_cron_matches_reference.py).
check_PROGRAMS += tests/unit/test_cron tests/unit/cron_next_cli
TESTS += tests/unit/test_cron
EXTRA_DIST += tests/unit/cron_reference.py
tests_unit_test_cron_SOURCES = tests/unit/test_cron.c
tests_unit_test_cron_LDADD = $(UNIT_LDADD)
tests_unit_test_cron_CFLAGS = $(UNIT_CFLAGS)
tests_unit_cron_next_cli_SOURCES = tests/unit/cron_next_cli.c
tests_unit_cron_next_cli_LDADD = $(SCHED_LIBS)
tests_unit_cron_next_cli_CFLAGS = $(AM_CFLAGS)
