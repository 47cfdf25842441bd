/*
 * test_router: path normalization, the reserved words, 404 versus 405 with
 * its Allow list — against the real route table of scheduler-api.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "handlers.h"
#include "router.h"

struct match {
	enum router_result result;
	const struct route *route;
	char id[64];
	char allow[64];
};

static struct match
match(const char *method, const char *uri)
{
	struct match m = { 0 };
	char path[256];

	assert_int_equal(router_normalize_path(uri, path, sizeof(path)), 0);
	m.result = router_match(api_routes, api_routes_count, method, path,
	    &m.route, m.id, sizeof(m.id), m.allow, sizeof(m.allow));
	return m;
}

static void
assert_routes_to(const char *method, const char *uri, route_handler h,
    const char *id)
{
	struct match m = match(method, uri);
	assert_int_equal(m.result, ROUTER_FOUND);
	assert_ptr_equal(m.route->handler, h);
	assert_string_equal(m.id, id);
}

static void
test_every_endpoint(void **state)
{
	(void)state;
	assert_routes_to("GET", "/tasks", handle_tasks_list, "");
	assert_routes_to("POST", "/tasks", handle_tasks_create, "");
	assert_routes_to("GET", "/tasks/abc", handle_task_get, "abc");
	assert_routes_to("GET", "/tasks/id/abc", handle_task_get, "abc");
	assert_routes_to("DELETE", "/tasks/abc", handle_task_delete, "abc");
	assert_routes_to("DELETE", "/tasks/id/abc", handle_task_delete, "abc");
	assert_routes_to("POST", "/tasks/abc/pause", handle_task_pause, "abc");
	assert_routes_to("POST", "/tasks/abc/resume", handle_task_resume, "abc");
	assert_routes_to("GET", "/tasks/abc/runs", handle_task_runs, "abc");
	assert_routes_to("POST", "/tasks/pause", handle_tasks_pause, "");
	assert_routes_to("POST", "/tasks/resume", handle_tasks_resume, "");
	assert_routes_to("GET", "/health", handle_health, "");
	assert_routes_to("GET", "/metrics", handle_metrics, "");
	assert_routes_to("GET", "/admin/tasks", handle_admin_tasks, "");
	assert_routes_to("GET", "/admin/dispatchers", handle_admin_dispatchers, "");
	assert_routes_to("GET", "/admin/stats", handle_admin_stats, "");
	assert_routes_to("DELETE", "/tasks", handle_tasks_delete, "");
	assert_routes_to("GET", "/tasks/name/daily-sms", handle_task_get_by_name,
	    "daily-sms");
	assert_routes_to("DELETE", "/tasks/name/daily-sms/", handle_task_delete_by_name,
	    "daily-sms");
	/* Reserved words are fine as names. */
	assert_routes_to("GET", "/tasks/name/pause", handle_task_get_by_name, "pause");
}

static void
test_trailing_slash_and_query(void **state)
{
	(void)state;
	assert_routes_to("GET", "/tasks/", handle_tasks_list, "");
	assert_routes_to("GET", "/tasks/?page=2", handle_tasks_list, "");
	assert_routes_to("GET", "/tasks/abc/runs/?per_page=1", handle_task_runs, "abc");
	assert_routes_to("POST", "/tasks/pause/", handle_tasks_pause, "");
	assert_routes_to("GET", "/health/", handle_health, "");
	/* Only one slash is forgiven. */
	assert_int_equal(match("GET", "/tasks//").result, ROUTER_NOT_FOUND);
}

static void
test_reserved_words_are_never_ids(void **state)
{
	(void)state;
	struct match m = match("GET", "/tasks/pause");
	assert_int_equal(m.result, ROUTER_BAD_METHOD);
	assert_string_equal(m.allow, "POST, OPTIONS");
	assert_int_equal(match("GET", "/tasks/resume").result, ROUTER_BAD_METHOD);
	assert_int_equal(match("GET", "/tasks/id").result, ROUTER_NOT_FOUND);
	assert_int_equal(match("GET", "/tasks/name").result, ROUTER_NOT_FOUND);
	assert_int_equal(match("GET", "/tasks/name/x/runs").result, ROUTER_NOT_FOUND);
	assert_int_equal(match("GET", "/tasks/id/pause").result, ROUTER_NOT_FOUND);
	assert_int_equal(match("POST", "/tasks/pause/pause").result, ROUTER_NOT_FOUND);
	assert_routes_to("GET", "/tasks/name/runs", handle_task_get_by_name, "runs");
}

static void
test_wrong_method_lists_allow(void **state)
{
	(void)state;
	struct match m = match("PUT", "/tasks/abc");
	assert_int_equal(m.result, ROUTER_BAD_METHOD);
	assert_string_equal(m.allow, "GET, HEAD, DELETE, PATCH, OPTIONS");
	m = match("PUT", "/tasks");
	assert_int_equal(m.result, ROUTER_BAD_METHOD);
	assert_string_equal(m.allow, "GET, HEAD, POST, DELETE, OPTIONS");
	m = match("POST", "/tasks/name/x");
	assert_string_equal(m.allow, "GET, HEAD, DELETE, PATCH, OPTIONS");
	m = match("POST", "/tasks/id/abc");
	assert_string_equal(m.allow, "GET, HEAD, DELETE, PATCH, OPTIONS");
	m = match("GET", "/tasks/abc/pause");
	assert_string_equal(m.allow, "POST, OPTIONS");
	m = match("POST", "/metrics");
	assert_string_equal(m.allow, "GET, HEAD, OPTIONS");
}

/* HEAD runs the GET route of a path; a path without GET has no HEAD. */
static void
test_head_is_get_without_body(void **state)
{
	(void)state;
	assert_routes_to("HEAD", "/tasks", handle_tasks_list, "");
	assert_routes_to("HEAD", "/tasks/abc", handle_task_get, "abc");
	assert_routes_to("HEAD", "/tasks/id/abc", handle_task_get, "abc");
	assert_routes_to("HEAD", "/tasks/name/x", handle_task_get_by_name, "x");
	assert_routes_to("HEAD", "/tasks/abc/runs", handle_task_runs, "abc");
	assert_routes_to("HEAD", "/health", handle_health, "");
	assert_routes_to("HEAD", "/metrics/", handle_metrics, "");
	assert_routes_to("HEAD", "/admin/stats", handle_admin_stats, "");
	assert_routes_to("HEAD", "/tasks/abc/next", handle_task_next, "abc");
	struct match m = match("HEAD", "/admin/tasks/abc");
	assert_int_equal(m.result, ROUTER_BAD_METHOD);
	assert_string_equal(m.allow, "DELETE, OPTIONS");
	m = match("HEAD", "/tasks/pause");
	assert_int_equal(m.result, ROUTER_BAD_METHOD);
	assert_string_equal(m.allow, "POST, OPTIONS");
	assert_int_equal(match("HEAD", "/nope").result, ROUTER_NOT_FOUND);
	/* Only the exact word HEAD borrows the GET route. */
	assert_int_equal(match("GETX", "/tasks").result, ROUTER_BAD_METHOD);
	assert_int_equal(match("HEA", "/tasks").result, ROUTER_BAD_METHOD);
}

/*
 * OPTIONS is answered on every known path, before auth (docs/API.md §1,
 * CORS), with the same Allow as a 405; an unknown path stays 404.
 */
static void
test_options_on_every_known_path(void **state)
{
	(void)state;
	struct match m = match("OPTIONS", "/tasks");
	assert_int_equal(m.result, ROUTER_OPTIONS);
	assert_string_equal(m.allow, "GET, HEAD, POST, DELETE, OPTIONS");
	m = match("OPTIONS", "/tasks/abc/");
	assert_int_equal(m.result, ROUTER_OPTIONS);
	assert_string_equal(m.allow, "GET, HEAD, DELETE, PATCH, OPTIONS");
	m = match("OPTIONS", "/tasks/abc/run");
	assert_int_equal(m.result, ROUTER_OPTIONS);
	assert_string_equal(m.allow, "POST, OPTIONS");
	m = match("OPTIONS", "/health");
	assert_int_equal(m.result, ROUTER_OPTIONS);
	assert_string_equal(m.allow, "GET, HEAD, OPTIONS");
	assert_int_equal(match("OPTIONS", "/nope").result, ROUTER_NOT_FOUND);
	assert_int_equal(match("OPTIONS", "/tasks/id").result, ROUTER_NOT_FOUND);
	/* Only the exact word. */
	assert_int_equal(match("OPTION", "/tasks").result, ROUTER_BAD_METHOD);
	assert_int_equal(match("options", "/tasks").result, ROUTER_BAD_METHOD);
}

static void
test_unknown_paths(void **state)
{
	char path[16];
	(void)state;
	assert_int_equal(match("GET", "/").result, ROUTER_NOT_FOUND);
	assert_int_equal(match("GET", "/task").result, ROUTER_NOT_FOUND);
	assert_int_equal(match("GET", "/tasks/abc/other").result, ROUTER_NOT_FOUND);
	assert_int_equal(match("GET", "/tasks/abc/runs/x").result, ROUTER_NOT_FOUND);
	assert_int_equal(match("GET", "/admin/task").result, ROUTER_NOT_FOUND);
	assert_int_equal(match("GET", "/admin").result, ROUTER_NOT_FOUND);
	assert_int_equal(router_normalize_path("tasks", path, sizeof(path)), -1);
	assert_int_equal(router_normalize_path("/a-very-long-path", path, sizeof(path)), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_endpoint),
		cmocka_unit_test(test_trailing_slash_and_query),
		cmocka_unit_test(test_reserved_words_are_never_ids),
		cmocka_unit_test(test_wrong_method_lists_allow),
		cmocka_unit_test(test_head_is_get_without_body),
		cmocka_unit_test(test_options_on_every_known_path),
		cmocka_unit_test(test_unknown_paths),
	};
	return cmocka_run_group_tests_name("router", tests, NULL, NULL);
}
