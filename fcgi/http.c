/*
 * http: response bodies and their serialization to the FastCGI stream.
 * Every response is uncacheable (docs/API.md §1): a pause or a revocation
 * must be visible to the very next request.
 */
#include "http.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcgiapp.h>

#include "json_body.h"

static const struct {
	int code;
	const char *reason;
} http_reasons[] = {
	{ 200, "OK" }, { 201, "Created" }, { 202, "Accepted" },
	{ 204, "No Content" },
	{ 400, "Bad Request" },
	{ 401, "Unauthorized" }, { 403, "Forbidden" }, { 404, "Not Found" },
	{ 405, "Method Not Allowed" }, { 409, "Conflict" },
	{ 412, "Precondition Failed" }, { 413, "Payload Too Large" },
	{ 422, "Unprocessable Content" }, { 429, "Too Many Requests" },
	{ 500, "Internal Server Error" },
	{ 503, "Service Unavailable" },
};

static const char *
http_reason(int code)
{
	for (size_t i = 0; i < sizeof(http_reasons) / sizeof(http_reasons[0]); i++)
		if (http_reasons[i].code == code)
			return http_reasons[i].reason;
	return "Unknown";
}

void
http_reply(struct response *res, int status, struct json_object *body)
{
	json_object_put(res->json);
	res->status = status;
	res->json = body;
}

void
http_reply_message(struct response *res, int status, const char *msg)
{
	struct json_object *o = json_object_new_object();
	json_object_object_add(o, "message", json_object_new_string(msg));
	http_reply(res, status, o);
}

void
http_error(struct response *res, int status, const char *msg, const char *field)
{
	struct json_object *o = json_object_new_object();
	struct json_object *e = json_object_new_object();

	json_object_object_add(e, "message", json_object_new_string(msg));
	if (field != NULL)
		json_object_object_add(e, "field", json_object_new_string(field));
	json_object_object_add(o, "error", e);
	http_reply(res, status, o);
}

int
http_add_header(struct response *res, const char *name, const char *fmt, ...)
{
	struct http_header *h;
	va_list ap;
	int n;

	if (res->nextra >= HTTP_EXTRA_HEADERS ||
	    strlen(name) >= sizeof(h->name) || strpbrk(name, "\r\n:") != NULL)
		return -1;
	h = &res->extra[res->nextra];
	va_start(ap, fmt);
	n = vsnprintf(h->value, sizeof(h->value), fmt, ap);
	va_end(ap);
	/* A header split by CR or LF would let a value write headers. */
	if (n < 0 || (size_t)n >= sizeof(h->value) ||
	    strpbrk(h->value, "\r\n") != NULL)
		return -1;
	memcpy(h->name, name, strlen(name) + 1);
	res->nextra++;
	return 0;
}

/* Appends the extra headers and the blank line to head (n bytes so far). */
static int
http_write_extra(const struct response *res, char *head, size_t cap, int n)
{
	for (int i = 0; i < res->nextra && n >= 0 && (size_t)n < cap; i++)
		n += snprintf(head + n, cap - (size_t)n, "%s: %s\r\n",
		    res->extra[i].name, res->extra[i].value);
	if (n >= 0 && (size_t)n < cap)
		n += snprintf(head + n, cap - (size_t)n, "\r\n");
	return n;
}

void
http_write(const struct response *res, FCGX_Stream *out)
{
	const char *body = "";
	size_t len = 0;
	char head[1024 + HTTP_EXTRA_HEADERS * sizeof(struct http_header)];
	char entity[256] = "";
	int n;

	if (res->json != NULL)
		body = json_body_serialize(res->json, &len);
	else if (res->text != NULL) {
		body = res->text;
		len = strlen(res->text);
	}
	/* A 204 has no body, so neither its type nor a length (RFC 9110 §8.6). */
	if (res->status != 204)
		(void)snprintf(entity, sizeof(entity),
		    "Content-Type: %s\r\nContent-Length: %zu\r\n",
		    res->json != NULL || res->text == NULL ?
		    "application/json; charset=utf-8" : res->content_type, len);
	/* libfcgi's own printf lacks %zu; the header is formatted here instead. */
	n = snprintf(head, sizeof(head),
	    "Status: %d %s\r\n"
	    "%s"
	    "Cache-Control: no-store\r\n"
	    "%s%s%s%s%s%s%s",
	    res->status, http_reason(res->status), entity,
	    res->location[0] ? "Location: " : "", res->location,
	    res->location[0] ? "\r\n" : "",
	    res->allow[0] ? "Allow: " : "", res->allow, res->allow[0] ? "\r\n" : "",
	    res->www_authenticate ? "WWW-Authenticate: Bearer\r\n" : "");
	n = http_write_extra(res, head, sizeof(head), n);
	if (n < 0 || (size_t)n >= sizeof(head))
		return;
	FCGX_PutStr(head, n, out);
	FCGX_PutStr(body, (int)len, out);
}

void
http_response_free(struct response *res)
{
	json_object_put(res->json);
	free(res->text);
	res->json = NULL;
	res->text = NULL;
}
