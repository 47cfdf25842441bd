/*
 * http: the request and response of one FastCGI exchange as handlers see
 * them. A *request* is read whole (body included) before any handler runs;
 * a *response* is a status, a few headers and a JSON or text body, written
 * in one place (http_write) so every answer has the same shape.
 */
#ifndef SCHED_HTTP_H
#define SCHED_HTTP_H

#include <stddef.h>
#include <json-c/json.h>

#include "config.h"
#include "dbconn.h"

#define HTTP_PATH_MAX 1024
#define HTTP_BODY_MAX (64 * 1024)

/* What a worker owns for its whole life: config and database connections. */
struct worker_ctx {
	struct config *cfg;
	struct dbconn db;	/* the request connection (worker_db_get) */
	struct dbconn health;	/* /health's own, 1 s timeouts (fcgi/worker.c) */
};

struct request {
	const char *method;
	char path[HTTP_PATH_MAX];	/* without the query; one trailing slash removed */
	const char *query;		/* raw query string, never NULL */
	const char *authorization;	/* raw header or NULL */
	const char *idempotency_key;	/* raw Idempotency-Key header or NULL */
	const char *if_match;		/* raw If-Match header or NULL (PATCH) */
	const char *origin;		/* raw Origin header or NULL (CORS, fcgi/cors.h) */
	const char *cors_method;	/* raw Access-Control-Request-Method or NULL */
	char *body;			/* NUL-terminated copy (may hold NULs); owned */
	size_t body_len;
	int body_too_large;
	char id[HTTP_PATH_MAX];		/* the {id} path segment, when the route has one */
	long long user_id;		/* set by authentication */
	int user_is_admin;
	/* The {id} task, when the route asked authentication to fetch it. */
	struct json_object *task;
	struct worker_ctx *ctx;
};

/*
 * A header a handler adds to its answer (ETag, Idempotent-Replayed, CORS),
 * written after the fixed ones; http_add_header fills the next slot.
 */
/*
 * Room for the most one answer carries at once: ETag, Idempotent-Replayed
 * and the six of a CORS preflight (fcgi/cors.c). A value holds a whole
 * config string, so Access-Control-Allow-Origin fits any listed origin.
 */
#define HTTP_EXTRA_HEADERS 10
struct http_header {
	char name[48];
	char value[CONFIG_STR_MAX];
};

struct response {
	int status;
	struct json_object *json;	/* owned; NULL when text is used */
	char *text;			/* owned; Prometheus text */
	const char *content_type;	/* for text */
	char location[256];
	char allow[64];
	int www_authenticate;
	struct http_header extra[HTTP_EXTRA_HEADERS];
	int nextra;
};

/* Sets a JSON body (takes ownership of body). */
void http_reply(struct response *res, int status, struct json_object *body);
/* {"message": msg} with a status. */
void http_reply_message(struct response *res, int status, const char *msg);
/* {"error": {"message": msg[, "field": field]}}; field may be NULL. */
void http_error(struct response *res, int status, const char *msg,
    const char *field);
/*
 * Adds the header "name: value" (value from fmt) to the answer. -1, and
 * nothing added, when the slots are full, or name or value does not fit
 * or holds CR or LF: a handler's bug, never a client's.
 */
int http_add_header(struct response *res, const char *name, const char *fmt,
    ...) __attribute__((format(printf, 3, 4)));
/* Writes status line, headers and body to the FastCGI output stream. */
struct FCGX_Stream;
void http_write(const struct response *res, struct FCGX_Stream *out);
void http_response_free(struct response *res);

/* The messages of docs/API.md §5, written once. */
#define MSG_UNAUTHORIZED "User not authorized"
#define MSG_FORBIDDEN_TASK "Forbidden: Task does not belong to this user"
#define MSG_FORBIDDEN_ADMIN "Forbidden: admin only"
#define MSG_TASK_NOT_FOUND "Task not found"
#define MSG_NOT_FOUND "Not found"
#define MSG_METHOD "Method not allowed"
#define MSG_COMPLETED "Task has already completed"
#define MSG_NAME_TAKEN "A task with this name already exists"
#define MSG_TOO_LARGE "Request body too large"
#define MSG_UNAVAILABLE "Service unavailable"
#define MSG_INTERNAL "Internal server error"
#define MSG_CHANGED "Task has been changed by another request"

#endif
