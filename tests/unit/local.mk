# tests/unit/: cmocka tests of the pure modules, one file per module.
# Each runs through tests/unit/run-cmocka, which writes JUnit XML into
# tests/results/ for tools/test to count.
UNIT_TESTS = tests/unit/test_config
check_PROGRAMS += $(UNIT_TESTS)
TESTS += $(UNIT_TESTS)
LOG_COMPILER = $(top_srcdir)/tests/unit/run-cmocka
EXTRA_DIST += tests/unit/run-cmocka
UNIT_LDADD = $(SCHED_LIBS) $(CMOCKA_LIBS)
UNIT_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) -DTEST_SRCDIR='"$(abs_top_srcdir)"'

tests_unit_test_config_SOURCES = tests/unit/test_config.c
tests_unit_test_config_LDADD = $(UNIT_LDADD)
tests_unit_test_config_CFLAGS = $(UNIT_CFLAGS)
