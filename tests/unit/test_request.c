/*
 * test_request: the callback request of docs/API.md §17 — which methods
 * carry a body, every X-Scheduler-* header, extra headers (empty values
 * kept), bad stored headers refused, and a signature equal to one computed
 * independently (Python's hmac, values pasted below).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "job.h"
#include "request.h"

#define SECRET "abababababababababababababababababababababababababababababababab"

static struct job *
make_job(const char *method, const char *headers, const char *body)
{
	struct job *j = job_new("http://example.com/cb", headers, body,
	    strlen(body));
	assert_non_null(j);
	snprintf(j->method, sizeof(j->method), "%s", method);
	snprintf(j->secret, sizeof(j->secret), "%s", SECRET);
	snprintf(j->task_id, sizeof(j->task_id), "%032d", 7);
	snprintf(j->run_id, sizeof(j->run_id), "%032d", 9);
	j->scheduled_for = 1900000000;
	j->attempt = 2;
	return j;
}

/* 1 when the list holds exactly this line. */
static int
has(const struct curl_slist *l, const char *line)
{
	for (; l != NULL; l = l->next)
		if (strcmp(l->data, line) == 0)
			return 1;
	return 0;
}

static int
has_prefix(const struct curl_slist *l, const char *prefix)
{
	for (; l != NULL; l = l->next)
		if (strncmp(l->data, prefix, strlen(prefix)) == 0)
			return 1;
	return 0;
}

static void
test_signature_matches_python_hmac(void **state)
{
	char sig[REQUEST_SIGNATURE_LEN];
	(void)state;
	assert_int_equal(request_signature(SECRET, 1900000000, "{\"a\":1}", 7,
	    sig), 0);
	assert_string_equal(sig, "t=1900000000,v1="
	    "9a81292ed663230d92170ba3294ab641d564be033b01bd4a008874f47f2c23cd");
	assert_int_equal(request_signature(SECRET, 1900000000, NULL, 0, sig), 0);
	assert_string_equal(sig, "t=1900000000,v1="
	    "7a65b45dd3fc675cb4861c43e11e9aa1ba59f61c9c105a0e986d3bf4eea552bc");
}

static void
test_methods(void **state)
{
	(void)state;
	assert_true(request_has_body("POST"));
	assert_true(request_has_body("PUT"));
	assert_true(request_has_body("PATCH"));
	assert_false(request_has_body("GET"));
	assert_false(request_has_body("DELETE"));
}

static void
test_post_headers(void **state)
{
	struct job *j = make_job("POST", "{\"X-Campaign\":\"spring\",\"X-Empty\":\"\"}",
	    "{\"a\":1}");
	struct curl_slist *l = NULL;
	char err[128];
	(void)state;
	assert_int_equal(request_headers(j, 1900000000, &l, err, sizeof(err)), 0);
	assert_true(has(l, "Content-Type: application/json"));
	assert_true(has(l, "X-Campaign: spring"));
	assert_true(has(l, "X-Empty;"));
	assert_true(has(l, "X-Scheduler-Task-Id: 00000000000000000000000000000007"));
	assert_true(has(l, "X-Scheduler-Run-Id: 00000000000000000000000000000009"));
	assert_true(has(l, "X-Scheduler-Scheduled-For: 2030-03-17T17:46:40Z"));
	assert_true(has(l, "X-Scheduler-Attempt: 2"));
	assert_true(has(l, "X-Scheduler-Signature: t=1900000000,v1="
	    "9a81292ed663230d92170ba3294ab641d564be033b01bd4a008874f47f2c23cd"));
	assert_true(has(l, "Expect:"));
	curl_slist_free_all(l);
	job_free(j);
}

static void
test_get_signs_empty_body(void **state)
{
	struct job *j = make_job("GET", "{}", "{\"a\":1}");
	struct curl_slist *l = NULL;
	char err[128];
	(void)state;
	assert_int_equal(request_headers(j, 1900000000, &l, err, sizeof(err)), 0);
	assert_false(has_prefix(l, "Content-Type"));
	assert_true(has(l, "X-Scheduler-Signature: t=1900000000,v1="
	    "7a65b45dd3fc675cb4861c43e11e9aa1ba59f61c9c105a0e986d3bf4eea552bc"));
	curl_slist_free_all(l);
	job_free(j);
}

static void
test_bad_stored_headers(void **state)
{
	static const char *bad[] = {
		"[]", "not json", "{\"X-A\":1}", "{\"X-A\":\"a\\r\\nEvil: 1\"}",
		"{\"Bad Name\":\"v\"}", "{\"X:A\":\"v\"}",
	};
	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct job *j = make_job("POST", bad[i], "{}");
		struct curl_slist *l = NULL;
		char err[128] = "";
		assert_int_equal(request_headers(j, 1, &l, err, sizeof(err)), -1);
		assert_null(l);
		assert_true(strstr(err, "header") != NULL);
		job_free(j);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_signature_matches_python_hmac),
		cmocka_unit_test(test_methods),
		cmocka_unit_test(test_post_headers),
		cmocka_unit_test(test_get_signs_empty_body),
		cmocka_unit_test(test_bad_stored_headers),
	};
	return cmocka_run_group_tests_name("request", tests, NULL, NULL);
}
