/*
 * router: maps a method and a normalized path to a handler through a table
 * of routes. A pattern is literal segments and at most one variable
 * segment, `{id}` or `{name}`, copied into the request's id. `{id}` never
 * matches a reserved word (pause, resume, id, name), so those can never be
 * task ids.
 */
#ifndef SCHED_ROUTER_H
#define SCHED_ROUTER_H

#include <stddef.h>

struct request;
struct response;
typedef void (*route_handler)(struct request *, struct response *);

/*
 * ROUTE_USER_TASK authenticates and fetches the {id} task of that user in
 * the same statement (req->task), saving a round trip on the hottest read.
 */
enum route_auth { ROUTE_PUBLIC, ROUTE_USER, ROUTE_USER_TASK };

struct route {
	const char *method;
	const char *pattern;
	route_handler handler;
	enum route_auth auth;
};

enum router_result { ROUTER_FOUND, ROUTER_NOT_FOUND, ROUTER_BAD_METHOD,
    ROUTER_OPTIONS };

/*
 * Looks up method and path in routes[0..n). FOUND: *found is the route and
 * id holds the {id} segment (empty when none); HEAD finds the path's GET
 * route. BAD_METHOD: allow holds the methods the path does have ("GET,
 * HEAD, DELETE, OPTIONS": HEAD right after GET, OPTIONS last). OPTIONS: the
 * method is OPTIONS, which every known path answers itself (docs/API.md §1,
 * CORS), and allow is as for BAD_METHOD.
 */
enum router_result router_match(const struct route *routes, size_t n,
    const char *method, const char *path, const struct route **found,
    char *id, size_t idlen, char *allow, size_t allowlen);

/*
 * Writes the path of a request URI (up to '?') into out, with one trailing
 * slash removed (but "/" stays). -1 when it does not fit or does not start
 * with '/'.
 */
int router_normalize_path(const char *uri, char *out, size_t outlen);

/* The routes of scheduler-api (routes.c). */
extern const struct route api_routes[];
extern const size_t api_routes_count;

#endif
