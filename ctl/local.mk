# ctl/: schedulerctl, the admin CLI (migrations, users, tokens, secrets),
# with its man page, the config file's man page and the example config.
bin_PROGRAMS += schedulerctl
schedulerctl_SOURCES = \
	ctl/main.c \
	ctl/ctl.c ctl/ctl.h \
	ctl/migrate.c ctl/migrate.h \
	ctl/sqlsplit.c ctl/sqlsplit.h \
	ctl/users.c ctl/users.h \
	ctl/tokens.c ctl/tokens.h \
	ctl/secrets.c ctl/secrets.h \
	ctl/table.c ctl/table.h
schedulerctl_LDADD = $(SCHED_LIBS)

dist_man_MANS += man/schedulerctl.1 man/scheduler.conf.5
# Installed next to the other docs, never over a live /etc config.
ctldocdir = $(docdir)
dist_ctldoc_DATA = dist/scheduler.conf.example

# Unit test of the migration splitter (pure).
check_PROGRAMS += tests/unit/test_sqlsplit
TESTS += tests/unit/test_sqlsplit
tests_unit_test_sqlsplit_SOURCES = tests/unit/test_sqlsplit.c ctl/sqlsplit.c ctl/sqlsplit.h
tests_unit_test_sqlsplit_LDADD = $(UNIT_LDADD)
tests_unit_test_sqlsplit_CFLAGS = $(UNIT_CFLAGS) -I$(top_srcdir)/ctl
