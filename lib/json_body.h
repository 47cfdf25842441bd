/*
 * json_body: turns a request body into a json-c object only when it is
 * strict JSON by SPEC §8. json-c 0.16's strict mode lets through things the
 * contract refuses (NaN, `1.`, raw control characters, overlong UTF-8,
 * surrogates, lone \u surrogate escapes, duplicate keys, NUL in keys, deep
 * nesting, integers beyond 64 bits), so the raw bytes are scanned as well.
 */
#ifndef SCHED_JSON_BODY_H
#define SCHED_JSON_BODY_H

#include <stddef.h>
#include <json-c/json.h>

#define JSON_BODY_MAX_DEPTH 32
#define JSON_BODY_MAX_BYTES (64 * 1024)

/*
 * Parses body (len bytes, may contain NULs) that must be exactly one JSON
 * object. Returns a new reference the caller puts, or NULL with a message
 * for the client in err ("request body is not valid JSON: duplicate key
 * \"a\"" and the like).
 */
struct json_object *json_body_parse(const char *body, size_t len, char *err,
    size_t errlen);

/* Serializes v compactly without escaping '/', as stored and sent. */
const char *json_body_serialize(struct json_object *v, size_t *len);

#endif
