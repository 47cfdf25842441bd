/*
 * json_body: turns a request body into a json-c object only when it is
 * strict JSON by docs/API.md §7.1. json-c 0.16's strict mode lets through
 * things the API refuses (NaN, `1.`, raw control characters, overlong
 * UTF-8, surrogates, lone \u surrogate escapes, duplicate keys, NUL in
 * keys, deep nesting, integers beyond 64 bits), so the raw bytes are
 * scanned as well.
 * It also matches an input string against fixed words, over its whole
 * length (a JSON string may hold NUL).
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

/*
 * The index in words (NULL-terminated) of the word that s, len bytes that
 * may hold NULs, is exactly: same length, same bytes, case-sensitive.
 * -1 when it is none. Every check of an input string against fixed words
 * goes through here, because strcmp stops at an embedded NUL and would
 * read "DELETE\u0000X" as "DELETE".
 */
int json_body_word(const char *s, size_t len, const char *const words[]);

/* json_body_word on v's whole string; -1 when v is not a JSON string. */
int json_body_string_word(struct json_object *v, const char *const words[]);

#endif
