/*
 * http: response bodies and their serialization to the FastCGI stream.
 * Every response is uncacheable (docs/API.md §1): a pause or a revocation
 * must be visible to the very next request.
 */
#include "http.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcgiapp.h>

#include "json_body.h"

static const struct {
	int code;
	const char *reason;
} http_reasons[] = {
	{ 200, "OK" }, { 201, "Created" }, { 400, "Bad Request" },
	{ 401, "Unauthorized" }, { 403, "Forbidden" }, { 404, "Not Found" },
	{ 405, "Method Not Allowed" }, { 409, "Conflict" },
	{ 413, "Payload Too Large" }, { 429, "Too Many Requests" },
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

void
http_write(const struct response *res, FCGX_Stream *out)
{
	const char *body = "";
	size_t len = 0;
	char head[1024];
	int n;

	if (res->json != NULL)
		body = json_body_serialize(res->json, &len);
	else if (res->text != NULL) {
		body = res->text;
		len = strlen(res->text);
	}
	/* libfcgi's own printf lacks %zu; the header is formatted here instead. */
	n = snprintf(head, sizeof(head),
	    "Status: %d %s\r\n"
	    "Content-Type: %s\r\n"
	    "Content-Length: %zu\r\n"
	    "Cache-Control: no-store\r\n"
	    "%s%s%s%s%s%s%s\r\n",
	    res->status, http_reason(res->status),
	    res->json != NULL || res->text == NULL ?
	    "application/json; charset=utf-8" : res->content_type, len,
	    res->location[0] ? "Location: " : "", res->location,
	    res->location[0] ? "\r\n" : "",
	    res->allow[0] ? "Allow: " : "", res->allow, res->allow[0] ? "\r\n" : "",
	    res->www_authenticate ? "WWW-Authenticate: Bearer\r\n" : "");
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
