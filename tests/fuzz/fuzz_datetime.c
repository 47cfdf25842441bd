/*
 * fuzz_datetime: libFuzzer harness of lib/datetime.c. The input is a
 * datetime as a client sends it (datetime_parse, not NUL-terminated) and,
 * NUL-terminated, as DATETIME text (datetime_parse_sql,
 * datetime_sql_to_api). Properties: an accepted instant formats to text
 * that parses back to the same instant, in both output forms.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "datetime.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
fuzz_api_form(const uint8_t *data, size_t size)
{
	char buf[DATETIME_RFC3339_LEN], sql[DATETIME_SQL_LEN];
	int64_t t, back;
	int ms;

	/* A heap copy of exactly size bytes, so ASan sees any over-read. */
	char *copy = malloc(size ? size : 1);
	if (copy == NULL)
		return;
	memcpy(copy, data, size);
	if (datetime_parse(copy, size, &t) == 0) {
		datetime_format(t, buf);
		if (datetime_parse(buf, strlen(buf), &back) != 0 || back != t)
			abort();
		datetime_format_sql(t, sql);
		if (datetime_parse_sql(sql, &back, &ms) != 0 || back != t || ms != 0)
			abort();
	}
	free(copy);
}

static void
fuzz_sql_form(const uint8_t *data, size_t size)
{
	char out[DATETIME_RFC3339_MS_LEN], small[8];
	int64_t t;
	int ms;
	char *s = malloc(size + 1);

	if (s == NULL)
		return;
	memcpy(s, data, size);
	s[size] = '\0';
	(void)datetime_parse_sql(s, &t, &ms);
	(void)datetime_parse_sql(s, &t, NULL);
	(void)datetime_sql_to_api(s, 0, out, sizeof(out));
	(void)datetime_sql_to_api(s, 1, out, sizeof(out));
	(void)datetime_sql_to_api(s, 1, small, sizeof(small));
	free(s);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_api_form(data, size);
	fuzz_sql_form(data, size);
	return 0;
}
