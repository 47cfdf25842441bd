/*
 * cors: the answers to browser pages of other origins (docs/API.md §1,
 * "Browsers on other origins"). Off unless cors_allowed_origins lists the
 * request's Origin; then every answer says that origin may read it, and
 * OPTIONS answers the browser's preflight without a token. An origin not
 * listed gets no Access-Control-* header at all.
 */
#ifndef SCHED_CORS_H
#define SCHED_CORS_H

struct request;
struct response;

/*
 * The answer to OPTIONS on a known path whose methods are allow: 204 with
 * Allow; for a listed Origin whose Access-Control-Request-Method is one of
 * the path's methods, the preflight's Access-Control-Allow-* headers too.
 */
void cors_options(const struct request *req, struct response *res,
    const char *allow);

/*
 * Adds Access-Control-Allow-Origin, Vary and Access-Control-Expose-Headers
 * to any answer (errors included) to a listed Origin; nothing otherwise.
 * Called once per request, just before the answer is written.
 */
void cors_finish(const struct request *req, struct response *res);

#endif
