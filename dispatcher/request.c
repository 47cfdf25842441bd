/*
 * request: builds and signs the callback request. The extra headers come
 * from the task's JSON object text, validated by the API at creation; they
 * are checked again here so a bad row becomes a failed attempt, never a
 * malformed request.
 */
#include "request.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <json-c/json.h>

#include "datetime.h"

#define REQUEST_LINE_MAX 2048

int
request_has_body(const char *method)
{
	return strcmp(method, "POST") == 0 || strcmp(method, "PUT") == 0 ||
	    strcmp(method, "PATCH") == 0;
}

int
request_signature(const char *secret, int64_t t, const char *body, size_t len,
    char out[REQUEST_SIGNATURE_LEN])
{
	char prefix[24], hex[65];
	int plen = snprintf(prefix, sizeof(prefix), "%" PRId64 ".", t);
	char *msg = malloc((size_t)plen + len + 1);
	int rc;

	if (msg == NULL)
		return -1;
	memcpy(msg, prefix, (size_t)plen);
	if (len > 0)
		memcpy(msg + plen, body, len);
	rc = crypto_hmac_sha256_hex(secret, strlen(secret), msg,
	    (size_t)plen + len, hex);
	free(msg);
	if (rc < 0)
		return -1;
	snprintf(out, REQUEST_SIGNATURE_LEN, "t=%" PRId64 ",v1=%s", t, hex);
	return 0;
}

/* Appends one formatted header line; -1 when out of memory. */
static int request_add(struct curl_slist **list, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static int
request_add(struct curl_slist **list, const char *fmt, ...)
{
	char line[REQUEST_LINE_MAX + 128];
	struct curl_slist *grown;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	grown = curl_slist_append(*list, line);
	if (grown == NULL)
		return -1;
	*list = grown;
	return 0;
}

/* Adds the task's extra headers; err says why a stored header is unusable. */
static int
request_add_extra(struct curl_slist **list, const char *json, char *err,
    size_t errlen)
{
	struct json_object *obj = json_tokener_parse(json);
	int rc = -1;

	if (obj == NULL || !json_object_is_type(obj, json_type_object)) {
		snprintf(err, errlen, "stored headers are not a JSON object");
		goto out;
	}
	json_object_object_foreach(obj, name, val) {
		const char *v = json_object_get_string(val);
		if (!json_object_is_type(val, json_type_string) ||
		    strlen(name) + strlen(v) > REQUEST_LINE_MAX ||
		    strpbrk(name, ":\r\n ") != NULL || strpbrk(v, "\r\n") != NULL) {
			snprintf(err, errlen, "stored header \"%.64s\" is invalid",
			    name);
			goto out;
		}
		/* libcurl reads "Name:" as "remove Name"; "Name;" sends it empty. */
		if (request_add(list, *v ? "%s: %s" : "%s;%s", name, v) < 0) {
			snprintf(err, errlen, "out of memory");
			goto out;
		}
	}
	rc = 0;
out:
	json_object_put(obj);
	return rc;
}

int
request_headers(const struct job *job, int64_t t, struct curl_slist **out,
    char *err, size_t errlen)
{
	struct curl_slist *list = NULL;
	char sig[REQUEST_SIGNATURE_LEN], when[DATETIME_RFC3339_LEN], num[24];
	int has_body = request_has_body(job->method);

	*out = NULL;
	if (request_signature(job->secret, t, job->body,
	    has_body ? job->body_len : 0, sig) < 0) {
		snprintf(err, errlen, "cannot compute the signature");
		return -1;
	}
	datetime_format(job->scheduled_for, when);
	snprintf(num, sizeof(num), "%u", job->attempt);
	if (request_add_extra(&list, job->headers_json, err, errlen) < 0)
		goto fail;
	if ((has_body && request_add(&list, "%s%s",
	    "Content-Type: application/json", "") < 0) ||
	    request_add(&list, "%s%s", "Expect:", "") < 0 ||
	    request_add(&list, "X-Scheduler-Task-Id: %s%s", job->task_id, "") < 0 ||
	    request_add(&list, "X-Scheduler-Run-Id: %s%s", job->run_id, "") < 0 ||
	    request_add(&list, "X-Scheduler-Scheduled-For: %s%s", when, "") < 0 ||
	    request_add(&list, "X-Scheduler-Attempt: %s%s", num, "") < 0 ||
	    request_add(&list, "X-Scheduler-Signature: %s%s", sig, "") < 0) {
		snprintf(err, errlen, "out of memory");
		goto fail;
	}
	*out = list;
	return 0;
fail:
	curl_slist_free_all(list);
	return -1;
}
