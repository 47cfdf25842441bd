# fcgi/: scheduler-api, the pre-forked FastCGI workers behind nginx. All
# but main.c form fcgi/libapi.a so the unit tests link the same objects.
noinst_LIBRARIES += fcgi/libapi.a
fcgi_libapi_a_SOURCES = \
	fcgi/listener.c fcgi/listener.h \
	fcgi/worker.c fcgi/worker.h \
	fcgi/http.c fcgi/http.h \
	fcgi/db_answer.c fcgi/db_answer.h \
	fcgi/router.c fcgi/router.h fcgi/routes.c \
	fcgi/cors.c fcgi/cors.h \
	fcgi/auth.c fcgi/auth.h \
	fcgi/query.c fcgi/query.h \
	fcgi/task_input.c fcgi/task_input.h \
	fcgi/task_options.c fcgi/task_options.h \
	fcgi/task_store.c fcgi/task_store.h \
	fcgi/idempotency.c fcgi/idempotency.h \
	fcgi/task_state.c fcgi/task_state.h \
	fcgi/task_view.c fcgi/task_view.h \
	fcgi/task_patch.c fcgi/task_patch.h \
	fcgi/tasks_api.c fcgi/ops_api.c fcgi/handlers.h \
	fcgi/task_run.c \
	fcgi/metrics.c fcgi/metrics.h \
	fcgi/admin_api.c fcgi/admin_store.c fcgi/admin_store.h
API_LIBS = fcgi/libapi.a $(SCHED_LIBS) $(FCGI_LIBS)

sbin_PROGRAMS += scheduler-api
scheduler_api_SOURCES = fcgi/main.c
scheduler_api_LDADD = $(API_LIBS)

# Unit tests of the API's pure modules (tests/unit/test_<module>.c).
API_UNIT_TESTS = tests/unit/test_router tests/unit/test_query tests/unit/test_task_input
check_PROGRAMS += $(API_UNIT_TESTS)
TESTS += $(API_UNIT_TESTS)
tests_unit_test_router_SOURCES = tests/unit/test_router.c
tests_unit_test_router_LDADD = $(API_LIBS) $(CMOCKA_LIBS)
tests_unit_test_router_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) -I$(top_srcdir)/fcgi
tests_unit_test_query_SOURCES = tests/unit/test_query.c
tests_unit_test_query_LDADD = $(API_LIBS) $(CMOCKA_LIBS)
tests_unit_test_query_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) -I$(top_srcdir)/fcgi
tests_unit_test_task_input_SOURCES = tests/unit/test_task_input.c
tests_unit_test_task_input_LDADD = $(API_LIBS) $(CMOCKA_LIBS)
tests_unit_test_task_input_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) -I$(top_srcdir)/fcgi
dist_man_MANS += man/scheduler-api.8
