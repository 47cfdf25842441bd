/*
 * test_config: the config file parser — defaults, every value type, and
 * file:line in every error.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"

/* Writes text to a temporary file; returns its path (static buffer). */
static const char *
write_conf(const char *text)
{
	static char path[64];
	snprintf(path, sizeof(path), "/tmp/test_config.XXXXXX");
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	return path;
}

static void
test_defaults(void **state)
{
	struct config cfg;
	(void)state;
	config_defaults(&cfg);
	assert_int_equal(cfg.min_frequency, 3600);
	assert_int_equal(cfg.allow_private_targets, 0);
	assert_int_equal(cfg.workers, 4);
	assert_string_equal(cfg.database_name, "scheduler");
	assert_string_equal(cfg.log_level, "info");
}

static void
test_values_of_each_type(void **state)
{
	struct config cfg;
	char err[256];
	const char *p = write_conf(
	    "# comment\n\n"
	    "  min_frequency =  4  \n"
	    "allow_private_targets = true\n"
	    "database_password = \"p#ss word\"\n"
	    "listen = 127.0.0.1:9000\n"
	    "log_level = debug\n");
	(void)state;
	config_defaults(&cfg);
	assert_int_equal(config_load(&cfg, p, err, sizeof(err)), 0);
	assert_int_equal(cfg.min_frequency, 4);
	assert_int_equal(cfg.allow_private_targets, 1);
	assert_string_equal(cfg.database_password, "p#ss word");
	assert_string_equal(cfg.listen, "127.0.0.1:9000");
	assert_string_equal(cfg.log_level, "debug");
	unlink(p);
}

/* Each bad line must be reported with the file name and its line number. */
static void
assert_load_fails(const char *text, const char *expect_in_err)
{
	struct config cfg;
	char err[512];
	const char *p = write_conf(text);
	config_defaults(&cfg);
	assert_int_equal(config_load(&cfg, p, err, sizeof(err)), -1);
	assert_non_null(strstr(err, p));
	assert_non_null(strstr(err, expect_in_err));
	unlink(p);
}

static void
test_errors_cite_file_and_line(void **state)
{
	(void)state;
	assert_load_fails("workers = 2\nnope = 1\n", ":2: unknown key \"nope\"");
	assert_load_fails("workers = two\n", ":1: workers: \"two\" is not an integer");
	assert_load_fails("\n\nworkers = 0\n", ":3: workers: 0 is outside 1..256");
	assert_load_fails("allow_private_targets = maybe\n", ":1: allow_private_targets");
	assert_load_fails("just words\n", ":1: expected key = value");
	assert_load_fails("min_frequency = 10x\n", "not an integer");
	assert_load_fails("log_level = loud\n", "log_level");
}

/* Sets cors_allowed_origins; 0 or -1 as config_set, err holds the reason. */
static int
set_origins(struct config *cfg, const char *value, char *err, size_t errlen)
{
	config_defaults(cfg);
	err[0] = '\0';
	return config_set(cfg, "cors_allowed_origins", value, err, errlen);
}

/*
 * cors_allowed_origins (docs/API.md §1, CORS): off by default; exact
 * origins separated by spaces or commas; anything a browser would never
 * send as Origin is refused, naming the bad one.
 */
static void
test_cors_origins_are_checked(void **state)
{
	static const char *good[] = {
		"", " , ", "https://app.example.com", "http://localhost:8080",
		"https://a.example, http://b.example:81  https://[::1]:8443",
		"http://127.0.0.1",
	};
	static const char *bad[] = {
		"*", "null", "app.example.com", "ftp://a.example", "HTTPS://a.example",
		"https://App.example.com", "https://a.example/", "https://a.example/x",
		"https://a.example?x", "https://user@a.example", "https://",
		"https://a.example:", "https://a.example:0", "https://a.example:65536",
		"https://a.example:08", "https://a.example:443", "http://a.example:80",
		"https://[::1", "https://.a.example", "https://a_b.example",
		"https://ok.example https://bad.example/",
	};
	struct config cfg;
	char err[1024];

	(void)state;
	config_defaults(&cfg);
	assert_string_equal(cfg.cors_allowed_origins, "");
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		if (set_origins(&cfg, good[i], err, sizeof(err)) != 0)
			fail_msg("refused \"%s\": %s", good[i], err);
		assert_string_equal(cfg.cors_allowed_origins, good[i]);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (set_origins(&cfg, bad[i], err, sizeof(err)) != -1)
			fail_msg("accepted \"%s\"", bad[i]);
		assert_non_null(strstr(err, "cors_allowed_origins: "));
		assert_non_null(strstr(err, "is not an origin"));
	}
	/* The message names the bad origin, not only the whole value. */
	assert_int_equal(set_origins(&cfg, "https://ok.example https://bad.example/x",
	    err, sizeof(err)), -1);
	assert_non_null(strstr(err, "\"https://bad.example/x\" is not an origin"));
	assert_load_fails("cors_allowed_origins = https://a.example/\n",
	    ":1: cors_allowed_origins: \"https://a.example/\" is not an origin");
}

/* A listed origin matches byte for byte only; nothing matches an empty list. */
static void
test_cors_origin_listed(void **state)
{
	const char *list = "https://app.example.com, http://localhost:8080";

	(void)state;
	assert_true(config_origin_listed(list, "https://app.example.com"));
	assert_true(config_origin_listed(list, "http://localhost:8080"));
	assert_false(config_origin_listed(list, "http://app.example.com"));
	assert_false(config_origin_listed(list, "https://app.example.co"));
	assert_false(config_origin_listed(list, "https://app.example.com.evil"));
	assert_false(config_origin_listed(list, "http://localhost"));
	assert_false(config_origin_listed(list, "https://APP.example.com"));
	assert_false(config_origin_listed(list, ""));
	assert_false(config_origin_listed(list, NULL));
	assert_false(config_origin_listed(list, ","));
	assert_false(config_origin_listed("", "https://app.example.com"));
	assert_false(config_origin_listed(" , ", ""));
}

static void
test_missing_file(void **state)
{
	struct config cfg;
	char err[256];
	(void)state;
	config_defaults(&cfg);
	assert_int_equal(config_load(&cfg, "/nonexistent/x.conf", err, sizeof(err)), -1);
	assert_non_null(strstr(err, "/nonexistent/x.conf"));
}

static void
test_path_precedence(void **state)
{
	(void)state;
	setenv("SCHEDULER_CONF", "/from/env.conf", 1);
	assert_string_equal(config_path("/from/flag.conf"), "/from/flag.conf");
	assert_string_equal(config_path(NULL), "/from/env.conf");
	unsetenv("SCHEDULER_CONF");
	assert_string_equal(config_path(NULL), CONFIG_DEFAULT_PATH);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_values_of_each_type),
		cmocka_unit_test(test_errors_cite_file_and_line),
		cmocka_unit_test(test_cors_origins_are_checked),
		cmocka_unit_test(test_cors_origin_listed),
		cmocka_unit_test(test_missing_file),
		cmocka_unit_test(test_path_precedence),
	};
	return cmocka_run_group_tests_name("config", tests, NULL, NULL);
}
