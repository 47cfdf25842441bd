# lib/: the convenience library shared by scheduler-api,
# scheduler-dispatcher, schedulerctl and the tests.
noinst_LIBRARIES += lib/libscheduler.a
lib_libscheduler_a_SOURCES = \
	lib/log.c lib/log.h \
	lib/config.c lib/config.h \
	lib/db.c lib/db.h \
	lib/dbconn.c lib/dbconn.h \
	lib/datetime.c lib/datetime.h \
	lib/json_body.c lib/json_body.h \
	lib/url_guard.c lib/url_guard.h \
	lib/crypto.c lib/crypto.h \
	lib/schedule.c lib/schedule.h \
	lib/cron.c lib/cron.h \
	lib/occurrence.c lib/occurrence.h \
	lib/task_type.c lib/task_type.h lib/lifecycle.h \
	lib/type_one_time.c lib/type_periodic.c lib/type_cron.c
