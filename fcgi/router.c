/*
 * router: segment-by-segment matching of a path against the route table;
 * pure, so it is unit-tested without a server.
 */
#include "router.h"

#include <stdio.h>
#include <string.h>

static const char *const router_reserved[] = { "pause", "resume", "id", "name" };

static int
router_is_reserved(const char *seg, size_t len)
{
	for (size_t i = 0; i < sizeof(router_reserved) / sizeof(router_reserved[0]); i++)
		if (strlen(router_reserved[i]) == len &&
		    memcmp(router_reserved[i], seg, len) == 0)
			return 1;
	return 0;
}

/*
 * 1 when a request's method is served by a route of route_method: its own,
 * or GET for HEAD, which runs the GET handler (nginx sends the status and
 * headers of that answer and drops the body, RFC 9110 §9.3.2).
 */
static int
router_method_serves(const char *route_method, const char *method)
{
	return strcmp(route_method, method) == 0 ||
	    (strcmp(method, "HEAD") == 0 && strcmp(route_method, "GET") == 0);
}

/* 1 when path matches pattern; the {id} segment is copied into id. */
static int
router_path_matches(const char *pattern, const char *path, char *id, size_t idlen)
{
	const char *p = pattern, *s = path;

	while (*p == '/' && *s == '/') {
		p++;
		s++;
		size_t plen = strcspn(p, "/"), slen = strcspn(s, "/");
		int is_id = plen == 4 && memcmp(p, "{id}", 4) == 0;
		int is_name = plen == 6 && memcmp(p, "{name}", 6) == 0;
		if (is_id || is_name) {
			/* A name may be any word, reserved ones included. */
			if (slen == 0 || slen >= idlen ||
			    (is_id && router_is_reserved(s, slen)))
				return 0;
			memcpy(id, s, slen);
			id[slen] = '\0';
		} else if (plen != slen || memcmp(p, s, plen) != 0)
			return 0;
		p += plen;
		s += slen;
	}
	return *p == '\0' && *s == '\0';
}

enum router_result
router_match(const struct route *routes, size_t n, const char *method,
    const char *path, const struct route **found, char *id, size_t idlen,
    char *allow, size_t allowlen)
{
	int path_known = 0;
	size_t used = 0;

	allow[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		id[0] = '\0';
		if (!router_path_matches(routes[i].pattern, path, id, idlen))
			continue;
		if (router_method_serves(routes[i].method, method)) {
			*found = &routes[i];
			return ROUTER_FOUND;
		}
		path_known = 1;
		/* A method listed twice for one path would be a table bug; list it once. */
		if (strstr(allow, routes[i].method) == NULL) {
			/* HEAD goes wherever GET does. */
			int is_get = strcmp(routes[i].method, "GET") == 0;
			int w = snprintf(allow + used, allowlen - used, "%s%s%s",
			    used ? ", " : "", routes[i].method,
			    is_get ? ", HEAD" : "");
			if (w > 0 && (size_t)w < allowlen - used)
				used += (size_t)w;
		}
	}
	id[0] = '\0';
	if (!path_known)
		return ROUTER_NOT_FOUND;
	/* No route has OPTIONS: the worker answers it on every known path. */
	(void)snprintf(allow + used, allowlen - used, "%sOPTIONS", used ? ", " : "");
	return strcmp(method, "OPTIONS") == 0 ? ROUTER_OPTIONS : ROUTER_BAD_METHOD;
}

int
router_normalize_path(const char *uri, char *out, size_t outlen)
{
	size_t len = strcspn(uri, "?");

	if (len == 0 || uri[0] != '/' || len >= outlen)
		return -1;
	memcpy(out, uri, len);
	out[len] = '\0';
	if (len > 1 && out[len - 1] == '/')
		out[len - 1] = '\0';
	return 0;
}
