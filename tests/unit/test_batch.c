/*
 * test_batch: batch rows become the JSON array text that JSON_TABLE reads:
 * integers exact over 64 bits, NULL as null, strings escaped, no escaped
 * slashes, and an empty batch as [].
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "batch.h"

static void
test_rows(void **state)
{
	struct batch b;
	size_t len;
	(void)state;
	batch_init(&b);
	batch_row(&b);
	batch_uint(&b, 18446744073709551615ULL);
	batch_int(&b, -5);
	batch_str(&b, "a/\"b\"\n");
	batch_str(&b, NULL);
	batch_row(&b);
	batch_str(&b, "2030-01-01 00:00:00.123");
	assert_int_equal(b.n, 2);
	const char *text = batch_text(&b, &len);
	assert_non_null(text);
	assert_string_equal(text, "[[18446744073709551615,-5,\"a/\\\"b\\\"\\n\",null],"
	    "[\"2030-01-01 00:00:00.123\"]]");
	assert_int_equal(len, strlen(text));
	batch_free(&b);
}

static void
test_empty(void **state)
{
	struct batch b;
	size_t len;
	(void)state;
	batch_init(&b);
	assert_string_equal(batch_text(&b, &len), "[]");
	assert_int_equal(b.n, 0);
	batch_free(&b);
}

static void
test_value_before_row_fails(void **state)
{
	struct batch b;
	size_t len;
	(void)state;
	batch_init(&b);
	batch_uint(&b, 1);	/* no row started */
	assert_null(batch_text(&b, &len));
	batch_free(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rows),
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_value_before_row_fails),
	};
	return cmocka_run_group_tests_name("batch", tests, NULL, NULL);
}
