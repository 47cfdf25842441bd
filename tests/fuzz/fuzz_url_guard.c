/*
 * fuzz_url_guard: libFuzzer harness of lib/url_guard.c. The input is a
 * callback URL (len bytes, may hold NULs), checked with private targets
 * refused and allowed, with resolve_timeout_ms 0 so no name is ever
 * looked up (IP literals in every form are still classified). The first
 * 16 bytes also go to url_guard_addr_is_global as an IPv6 and an IPv4
 * address.
 */
#include <netinet/in.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "url_guard.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
fuzz_addr(const uint8_t *data, size_t size)
{
	struct sockaddr_in6 a6;
	struct sockaddr_in a4;

	memset(&a6, 0, sizeof(a6));
	a6.sin6_family = AF_INET6;
	memcpy(&a6.sin6_addr, data, size < 16 ? size : 16);
	(void)url_guard_addr_is_global((const struct sockaddr *)&a6);
	memset(&a4, 0, sizeof(a4));
	a4.sin_family = AF_INET;
	memcpy(&a4.sin_addr, data, size < 4 ? size : 4);
	(void)url_guard_addr_is_global((const struct sockaddr *)&a4);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[256];
	char *url = malloc(size ? size : 1);	/* exact size: over-reads show */

	if (url == NULL)
		return 0;
	memcpy(url, data, size);
	enum url_guard_result strict = url_guard_check(url, size, 0, 0, err, sizeof(err));
	enum url_guard_result open = url_guard_check(url, size, 1, 0, err, sizeof(err));
	/* Allowing private targets can only turn PRIVATE into OK. */
	if (open == URL_GUARD_PRIVATE || (strict == URL_GUARD_OK && open != URL_GUARD_OK) ||
	    (strict == URL_GUARD_BAD) != (open == URL_GUARD_BAD))
		abort();
	free(url);
	fuzz_addr(data, size);
	return 0;
}
