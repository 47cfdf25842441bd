/*
 * test_sqlsplit: cutting migration files into statements — ';' inside
 * quotes and comments, empty statements, a last statement without ';',
 * line numbers, and unterminated quotes or comments.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "../../ctl/sqlsplit.h"

#define MAX_STMTS 16

/* Splits text; returns the number of statements, or -1 (line in *bad_line). */
static int
split(const char *text, char out[MAX_STMTS][256], unsigned lines[MAX_STMTS],
    unsigned *bad_line)
{
	struct sqlsplit sp;
	struct sqlsplit_stmt s;
	int n = 0, r;

	sqlsplit_init(&sp, text, strlen(text));
	while ((r = sqlsplit_next(&sp, &s)) == 1) {
		assert_true(n < MAX_STMTS);
		assert_true(s.len < 256);
		memcpy(out[n], text + s.start, s.len);
		out[n][s.len] = '\0';
		lines[n++] = s.line;
	}
	if (r < 0) {
		*bad_line = s.line;
		return -1;
	}
	return n;
}

static void
test_plain_statements(void **state)
{
	char out[MAX_STMTS][256];
	unsigned lines[MAX_STMTS], bad;
	(void)state;

	assert_int_equal(split("CREATE TABLE a (x INT);\n\nDROP TABLE b;\n",
	    out, lines, &bad), 2);
	assert_string_equal(out[0], "CREATE TABLE a (x INT)");
	assert_string_equal(out[1], "DROP TABLE b");
	assert_int_equal(lines[0], 1);
	assert_int_equal(lines[1], 3);
}

static void
test_semicolons_in_quotes_do_not_split(void **state)
{
	char out[MAX_STMTS][256];
	unsigned lines[MAX_STMTS], bad;
	(void)state;

	assert_int_equal(split("INSERT INTO t VALUES ('a;b', \"c;d\", 'it''s;',"
	    " 'back\\';slash');\nSELECT `we;ird` FROM t;", out, lines, &bad), 2);
	assert_string_equal(out[0], "INSERT INTO t VALUES ('a;b', \"c;d\", "
	    "'it''s;', 'back\\';slash')");
	assert_string_equal(out[1], "SELECT `we;ird` FROM t");
}

static void
test_comments_are_skipped_between_statements(void **state)
{
	char out[MAX_STMTS][256];
	unsigned lines[MAX_STMTS], bad;
	(void)state;

	assert_int_equal(split("-- 001: users; tokens\n# hash; comment\n"
	    "/* block;\n comment */\nCREATE TABLE a (x INT -- inline; note\n"
	    ");\n-- trailing; comment\n", out, lines, &bad), 1);
	assert_string_equal(out[0], "CREATE TABLE a (x INT -- inline; note\n)");
	assert_int_equal(lines[0], 5);
}

static void
test_double_dash_needs_a_blank(void **state)
{
	char out[MAX_STMTS][256];
	unsigned lines[MAX_STMTS], bad;
	(void)state;

	/* "1--1" is arithmetic, not a comment. */
	assert_int_equal(split("SELECT 1--1;SELECT 2", out, lines, &bad), 2);
	assert_string_equal(out[0], "SELECT 1--1");
	assert_string_equal(out[1], "SELECT 2");
}

static void
test_empty_and_blank_input(void **state)
{
	char out[MAX_STMTS][256];
	unsigned lines[MAX_STMTS], bad;
	(void)state;

	assert_int_equal(split("", out, lines, &bad), 0);
	assert_int_equal(split(" \n\t-- only a comment\n;;\n", out, lines, &bad), 0);
	assert_int_equal(split("SELECT 1;;; SELECT 2 ;\n", out, lines, &bad), 2);
	assert_string_equal(out[1], "SELECT 2 ");
}

static void
test_last_statement_without_semicolon(void **state)
{
	char out[MAX_STMTS][256];
	unsigned lines[MAX_STMTS], bad;
	(void)state;

	assert_int_equal(split("SELECT 1;\nSELECT 2\n\n", out, lines, &bad), 2);
	assert_string_equal(out[1], "SELECT 2");
	assert_int_equal(lines[1], 2);
}

static void
test_unterminated_quote_or_comment(void **state)
{
	char out[MAX_STMTS][256];
	unsigned lines[MAX_STMTS], bad = 0;
	(void)state;

	assert_int_equal(split("SELECT 1;\nSELECT 'open;\n", out, lines, &bad), -1);
	assert_int_equal(bad, 2);
	assert_int_equal(split("\n\n/* never closed", out, lines, &bad), -1);
	assert_int_equal(bad, 3);
	assert_int_equal(split("SELECT 'a\\", out, lines, &bad), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain_statements),
		cmocka_unit_test(test_semicolons_in_quotes_do_not_split),
		cmocka_unit_test(test_comments_are_skipped_between_statements),
		cmocka_unit_test(test_double_dash_needs_a_blank),
		cmocka_unit_test(test_empty_and_blank_input),
		cmocka_unit_test(test_last_statement_without_semicolon),
		cmocka_unit_test(test_unterminated_quote_or_comment),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
