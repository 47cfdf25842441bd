/*
 * fuzz_query: libFuzzer harness of fcgi/query.c. The input is a query
 * string (QUERY_STRING, NUL-terminated as FastCGI gives it), read with
 * each set of filters a list endpoint uses. Property: an accepted query
 * is within the documented bounds.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "query.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const int fuzz_flags[] = { 0, QUERY_FILTERS, QUERY_USER,
	QUERY_FILTERS | QUERY_USER };

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct list_query q;
	char err[256];
	const char *field;
	char *qs = malloc(size + 1);

	if (qs == NULL)
		return 0;
	memcpy(qs, data, size);
	qs[size] = '\0';
	for (size_t i = 0; i < sizeof(fuzz_flags) / sizeof(fuzz_flags[0]); i++) {
		memset(&q, 0, sizeof(q));
		field = NULL;
		if (query_parse_list(qs, fuzz_flags[i], &q, err, sizeof(err), &field) < 0)
			continue;
		if (q.page < 1 || q.page > QUERY_PAGE_MAX || q.per_page < 1 ||
		    q.per_page > QUERY_PER_PAGE_MAX ||
		    memchr(q.user, '\0', sizeof(q.user)) == NULL)
			abort();
	}
	free(qs);
	return 0;
}
