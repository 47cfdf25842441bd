/*
 * request: the exact HTTP request of docs/API.md §17 for one job — which
 * methods carry a body, the X-Scheduler-* headers, the user's extra
 * headers and the signature "t=UNIX,v1=HEX" over "UNIX." + the body bytes.
 */
#ifndef DISPATCHER_REQUEST_H
#define DISPATCHER_REQUEST_H

#include <stddef.h>
#include <stdint.h>
#include <curl/curl.h>

#include "job.h"

/* "t=" + 20 digits + ",v1=" + 64 hex + NUL */
#define REQUEST_SIGNATURE_LEN 96

/* 1 for POST, PUT and PATCH (the body is post_data), 0 for GET and DELETE. */
int request_has_body(const char *method);

/*
 * Writes the X-Scheduler-Signature value for a request signed at `t` (UNIX
 * seconds) with body (len bytes; empty for GET/DELETE) into out. 0 or -1.
 */
int request_signature(const char *secret, int64_t t, const char *body,
    size_t len, char out[REQUEST_SIGNATURE_LEN]);

/*
 * Builds the header list of job's request signed at `t`: Content-Type for
 * methods with a body, the extra headers of the task, the X-Scheduler-*
 * headers, and an empty Expect (no 100-continue round trip). On success
 * *out gets a list the caller frees with curl_slist_free_all; on failure
 * returns -1 with the reason in err (it becomes the attempt's error text).
 */
int request_headers(const struct job *job, int64_t t, struct curl_slist **out,
    char *err, size_t errlen);

#endif
