/*
 * fuzz_router: libFuzzer harness of fcgi/router.c against the real route
 * table (fcgi/routes.c). The input is "METHOD URI" (no space: GET), as
 * worker.c gets REQUEST_METHOD and REQUEST_URI: the URI is normalized,
 * then matched with the buffer sizes worker.c uses, and once more with
 * small id and allow buffers. Property: a found route has the method
 * asked for (a HEAD finds the path's GET route) and an id that fits.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "http.h"
#include "router.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
fuzz_match(const char *method, const char *path, size_t idlen, size_t allowlen)
{
	const struct route *found = NULL;
	char *id = malloc(idlen), *allow = malloc(allowlen);

	if (id == NULL || allow == NULL)
		abort();
	if (router_match(api_routes, api_routes_count, method, path, &found, id,
	    idlen, allow, allowlen) == ROUTER_FOUND &&
	    (found == NULL || (strcmp(found->method, method) != 0 &&
	    !(strcmp(method, "HEAD") == 0 &&
	    strcmp(found->method, "GET") == 0)) ||
	    memchr(id, '\0', idlen) == NULL))
		abort();
	free(id);
	free(allow);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[HTTP_PATH_MAX], tiny[8];
	char *in = malloc(size + 1);

	if (in == NULL)
		return 0;
	memcpy(in, data, size);
	in[size] = '\0';
	const char *method = "GET", *uri = in;
	char *sp = strchr(in, ' ');
	if (sp != NULL) {
		*sp = '\0';
		method = in;
		uri = sp + 1;
	}
	(void)router_normalize_path(uri, tiny, sizeof(tiny));
	if (router_normalize_path(uri, path, sizeof(path)) == 0) {
		if (memchr(path, '\0', sizeof(path)) == NULL)
			abort();
		fuzz_match(method, path, HTTP_PATH_MAX, 64);
		fuzz_match(method, path, 4, 6);
	}
	free(in);
	return 0;
}
