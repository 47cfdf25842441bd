/*
 * auth: bearer-token authentication. The token's SHA-256 is looked up;
 * revoked, expired, unknown tokens and disabled users all answer the same
 * 401 with WWW-Authenticate: Bearer.
 */
#ifndef SCHED_AUTH_H
#define SCHED_AUTH_H

#include <stddef.h>

#include "http.h"

/*
 * Extracts the token of an Authorization header value: scheme "Bearer"
 * (any case), one or more spaces, then the token (trailing blanks ignored).
 * Returns a pointer into header and its length in *len, or NULL.
 */
const char *auth_parse_bearer(const char *header, size_t *len);

/* Fills res with the 401 of a failed authentication; returns -1. */
int auth_deny(struct response *res);

/*
 * Sets req->user_id and req->user_is_admin; with with_task, also req->task
 * (the user's task req->id, or NULL when the user has none by that id). On
 * failure fills res (401, or 503 when the database is away) and returns -1.
 */
int auth_request(struct request *req, struct db *db, struct response *res,
    int with_task);

#endif
