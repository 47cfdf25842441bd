/*
 * cors: CORS headers (the Fetch standard's CORS protocol). Credentials are
 * bearer tokens a page sets in Authorization itself, never cookies, so no
 * Access-Control-Allow-Credentials: a page of a listed origin can only use
 * a token it already holds.
 */
#include "cors.h"

#include <stdio.h>
#include <string.h>

#include "http.h"
#include "router.h"

/* The request headers a page may send beyond the safelisted ones. */
#define CORS_ALLOW_HEADERS "Authorization, Content-Type, If-Match, Idempotency-Key"
/* The answer headers a page may read beyond the safelisted ones. */
#define CORS_EXPOSE_HEADERS "ETag, Location, Idempotent-Replayed, WWW-Authenticate"
/*
 * Seconds a browser may keep a preflight's answer: short, so that an
 * origin removed on SIGHUP stops working within minutes.
 */
#define CORS_MAX_AGE 600

static int
cors_listed(const struct request *req)
{
	return config_origin_listed(req->ctx->cfg->cors_allowed_origins,
	    req->origin);
}

/*
 * 1 when the path has the method the preflight asks about (HEAD wherever
 * GET is), by the same table the request itself will be routed with.
 */
static int
cors_path_has(const struct request *req, const char *method)
{
	const struct route *route;
	char id[HTTP_PATH_MAX], allow[64];

	return method != NULL && router_match(api_routes, api_routes_count,
	    method, req->path, &route, id, sizeof(id), allow,
	    sizeof(allow)) == ROUTER_FOUND;
}

void
cors_options(const struct request *req, struct response *res,
    const char *allow)
{
	http_reply(res, 204, NULL);
	snprintf(res->allow, sizeof(res->allow), "%s", allow);
	if (!cors_listed(req) || !cors_path_has(req, req->cors_method))
		return;
	(void)http_add_header(res, "Access-Control-Allow-Methods", "%s", allow);
	(void)http_add_header(res, "Access-Control-Allow-Headers", "%s",
	    CORS_ALLOW_HEADERS);
	(void)http_add_header(res, "Access-Control-Max-Age", "%d", CORS_MAX_AGE);
}

void
cors_finish(const struct request *req, struct response *res)
{
	if (!cors_listed(req))
		return;
	/* The origin is one of the config's, so it fits and holds no CR or LF. */
	(void)http_add_header(res, "Access-Control-Allow-Origin", "%s", req->origin);
	(void)http_add_header(res, "Vary", "Origin");
	(void)http_add_header(res, "Access-Control-Expose-Headers", "%s",
	    CORS_EXPOSE_HEADERS);
}
