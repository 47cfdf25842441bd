# dispatcher/: scheduler-dispatcher, the daemon that claims due work and
# fires callbacks (libcurl multi). Read loop.c first: it calls the rest.
sbin_PROGRAMS += scheduler-dispatcher
scheduler_dispatcher_SOURCES = \
	dispatcher/main.c \
	dispatcher/loop.c dispatcher/loop.h \
	dispatcher/heartbeat.c dispatcher/heartbeat.h \
	dispatcher/housekeeping.c dispatcher/housekeeping.h \
	dispatcher/dbclock.c dispatcher/dbclock.h \
	dispatcher/fault.c dispatcher/fault.h \
	dispatcher/claim.c dispatcher/claim.h \
	dispatcher/fire.c dispatcher/fire.h \
	dispatcher/request.c dispatcher/request.h \
	dispatcher/outcome.c dispatcher/outcome.h \
	dispatcher/backoff.c dispatcher/backoff.h \
	dispatcher/batch.c dispatcher/batch.h \
	dispatcher/job.c dispatcher/job.h
scheduler_dispatcher_LDADD = $(SCHED_LIBS)

dist_man_MANS += man/scheduler-dispatcher.8
