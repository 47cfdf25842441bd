/*
 * test_json_body: every docs/API.md §7.1 body rule, refused and its
 * accepted near miss — numbers, control characters, UTF-8, surrogate
 * escapes, NUL in keys, duplicate keys, nesting, trailing bytes, top-level
 * type — the parse → serialize round trip that post_data relies on, and
 * the whole-length word match every enum field uses.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "json_body.h"

#define PREFIX "request body is not valid JSON: "

static void
refuse_len(const char *body, size_t len, const char *reason)
{
	char err[512];
	struct json_object *v = json_body_parse(body, len, err, sizeof(err));
	if (v != NULL) {
		json_object_put(v);
		fail_msg("accepted %.*s", (int)len, body);
	}
	if (strstr(err, reason) == NULL)
		fail_msg("%.*s: error \"%s\" lacks \"%s\"", (int)len, body, err, reason);
}

#define refuse(lit, reason) refuse_len(lit, sizeof(lit) - 1, reason)

/* Parses, serializes and compares with want (compact, key order kept). */
static void
round_trip_len(const char *body, size_t len, const char *want, size_t wantlen)
{
	char err[512];
	size_t n = 0;
	struct json_object *v = json_body_parse(body, len, err, sizeof(err));
	if (v == NULL)
		fail_msg("refused %.*s: %s", (int)len, body, err);
	const char *out = json_body_serialize(v, &n);
	if (n != wantlen || memcmp(out, want, n) != 0)
		fail_msg("%.*s serialized as %.*s, want %.*s", (int)len, body, (int)n,
		    out, (int)wantlen, want);
	json_object_put(v);
}

#define accept_as(lit, want) round_trip_len(lit, sizeof(lit) - 1, want, sizeof(want) - 1)
#define accept_same(lit) accept_as(lit, lit)

static void
test_non_json_numbers(void **state)
{
	(void)state;
	refuse("{\"a\":NaN}", "invalid number");
	refuse("{\"a\":nan}", "unexpected character");
	refuse("{\"a\":Infinity}", "invalid number");
	refuse("{\"a\":-Infinity}", "invalid number");
	refuse("{\"a\":+Infinity}", "invalid number");
	refuse("{\"a\":[NaN]}", "invalid number");
	refuse("{\"a\":1.}", "invalid number");
	refuse("{\"a\":1.,\"b\":2}", "invalid number");
	refuse("{\"a\":-1.}", "invalid number");
	refuse("{\"a\":.5}", "invalid number");
	refuse("{\"a\":-.5}", "invalid number");
	refuse("{\"a\":01}", "invalid number");
	refuse("{\"a\":00}", "invalid number");
	refuse("{\"a\":-01}", "invalid number");
	refuse("{\"a\":012.5}", "invalid number");
	refuse("{\"a\":+1}", "invalid number");
	refuse("{\"a\":1e}", "invalid number");
	refuse("{\"a\":1E}", "invalid number");
	refuse("{\"a\":1e+}", "invalid number");
	refuse("{\"a\":1e-}", "invalid number");
	refuse("{\"a\":1.e5}", "invalid number");
	refuse("{\"a\":-}", "invalid number");
	refuse("{\"a\":--1}", "invalid number");
	refuse("{\"a\":0x10}", "invalid number");
	refuse("{\"a\":1.2.3}", "invalid number");
	refuse("{\"a\":1_000}", "unexpected character");
	refuse("{\"a\":1e5.5}", "invalid number");
	refuse("{\"a\":- 1}", "invalid number");
}

static void
test_json_numbers_accepted(void **state)
{
	(void)state;
	accept_same("{\"a\":0}");
	accept_as("{\"a\":-0}", "{\"a\":0}");
	accept_same("{\"a\":0.5}");
	accept_same("{\"a\":-0.5}");
	accept_same("{\"a\":1.50}");
	accept_same("{\"a\":1e-7}");
	accept_same("{\"a\":1E+2}");
	accept_same("{\"a\":-2.5E+3}");
	accept_same("{\"a\":0e0}");
	accept_same("{\"a\":10}");
	accept_same("{\"a\":0.1}");
	accept_same("{\"a\":[1,-1,0,1e5]}");
	accept_same("{\"a\":1.7976931348623157e308}");
	/* Underflow to zero is finite: accepted, the text kept. */
	accept_same("{\"a\":1e-400}");
	accept_same("{\"a\":123456789012345678901234567890.5}");
}

static void
test_integer_range(void **state)
{
	char err[256];
	struct json_object *v, *x;
	(void)state;
	static const char body[] = "{\"min\":-9223372036854775808,"
	    "\"max\":9223372036854775807,\"umax\":18446744073709551615,"
	    "\"above\":9223372036854775808}";
	accept_same(body);
	v = json_body_parse(body, sizeof(body) - 1, err, sizeof(err));
	assert_non_null(v);
	assert_true(json_object_object_get_ex(v, "min", &x));
	assert_true(json_object_is_type(x, json_type_int));
	assert_true(json_object_get_int64(x) == INT64_MIN);
	assert_true(json_object_object_get_ex(v, "max", &x));
	assert_true(json_object_get_int64(x) == INT64_MAX);
	assert_true(json_object_object_get_ex(v, "umax", &x));
	assert_true(json_object_is_type(x, json_type_int));
	assert_true(json_object_get_uint64(x) == UINT64_MAX);
	assert_true(json_object_object_get_ex(v, "above", &x));
	assert_true(json_object_get_uint64(x) == (uint64_t)INT64_MAX + 1);
	json_object_put(v);

	refuse("{\"a\":18446744073709551616}", "number out of range");
	refuse("{\"a\":-9223372036854775809}", "number out of range");
	refuse("{\"a\":-18446744073709551615}", "number out of range");
	refuse("{\"a\":99999999999999999999}", "number out of range");
	refuse("{\"a\":100000000000000000000}", "number out of range");
	refuse("{\"a\":123456789012345678901234567890}", "number out of range");
	/* json-c's errno trap: an out-of-range integer followed by another number. */
	refuse("{\"a\":18446744073709551616,\"b\":1}", "number out of range");
	refuse("{\"a\":[1,18446744073709551616,2]}", "number out of range");
	/* With a fraction or exponent it is a float, so a big value is fine. */
	accept_same("{\"a\":18446744073709551616.0}");
	accept_same("{\"a\":1e19}");
}

static void
test_float_overflow(void **state)
{
	(void)state;
	refuse("{\"a\":1e400}", "number out of range");
	refuse("{\"a\":-1e400}", "number out of range");
	refuse("{\"a\":1.8e308}", "number out of range");
	refuse("{\"a\":1E309,\"b\":2}", "number out of range");
	refuse("{\"a\":[0.1,1e99999]}", "number out of range");
}

/* A float token longer than the stack buffer goes through the heap path. */
static void
test_long_number_tokens(void **state)
{
	char body[2100];
	size_t n = 0;
	(void)state;
	n += (size_t)snprintf(body, sizeof(body), "{\"a\":0.");
	memset(body + n, '1', 2000);
	n += 2000;
	memcpy(body + n, "}", 2);
	round_trip_len(body, n + 1, body, n + 1);
	/* 2000 integer digits then ".0" is about 1e2000: infinite as a double. */
	n = (size_t)snprintf(body, sizeof(body), "{\"a\":");
	memset(body + n, '9', 2000);
	n += 2000;
	memcpy(body + n, ".0}", 4);
	refuse_len(body, n + 3, "number out of range");
	/* And as an integer: far beyond 64 bits. */
	memcpy(body + n, "}", 2);
	refuse_len(body, n + 1, "number out of range");
}

static void
test_control_characters(void **state)
{
	(void)state;
	refuse("{\"a\":\"x\ty\"}", "control character in string");
	refuse("{\"a\":\"x\ny\"}", "control character in string");
	refuse("{\"a\":\"x\ry\"}", "control character in string");
	refuse("{\"a\":\"\x01\"}", "control character in string");
	refuse("{\"a\":\"\x1f\"}", "control character in string");
	refuse("{\"a\":\"x\0y\"}", "control character in string");
	refuse("{\"a\tb\":1}", "control character in string");
	refuse("{\"a\0\":1}", "control character in string");
	/* Escaped, they are fine; DEL is not a JSON control character. */
	accept_same("{\"a\":\"x\\ty\\n\\r\\b\\f\\u0001\\u001f\"}");
	accept_same("{\"a\":\"\x7f\"}");
	/* Tabs and newlines between tokens are whitespace. */
	accept_as("{\t\"a\"\n:\r1 }", "{\"a\":1}");
}

static void
test_invalid_utf8(void **state)
{
	(void)state;
	refuse("{\"a\":\"\xc0\xaf\"}", "invalid UTF-8");		/* overlong '/' */
	refuse("{\"a\":\"\xc1\xbf\"}", "invalid UTF-8");		/* overlong */
	refuse("{\"a\":\"\xe0\x80\xaf\"}", "invalid UTF-8");	/* overlong, 3 bytes */
	refuse("{\"a\":\"\xe0\x9f\xbf\"}", "invalid UTF-8");	/* overlong U+07FF */
	refuse("{\"a\":\"\xf0\x80\x80\xaf\"}", "invalid UTF-8");	/* overlong, 4 bytes */
	refuse("{\"a\":\"\xf0\x8f\xbf\xbf\"}", "invalid UTF-8");	/* overlong U+FFFF */
	refuse("{\"a\":\"\xed\xa0\x80\"}", "invalid UTF-8");	/* U+D800 */
	refuse("{\"a\":\"\xed\xbf\xbf\"}", "invalid UTF-8");	/* U+DFFF */
	refuse("{\"a\":\"\xed\xa0\xbd\xed\xb8\x80\"}", "invalid UTF-8");	/* CESU-8 pair */
	refuse("{\"a\":\"\xf4\x90\x80\x80\"}", "invalid UTF-8");	/* U+110000 */
	refuse("{\"a\":\"\xf5\x80\x80\x80\"}", "invalid UTF-8");
	refuse("{\"a\":\"\xf7\xbf\xbf\xbf\"}", "invalid UTF-8");
	refuse("{\"a\":\"\xf8\x88\x80\x80\x80\"}", "invalid UTF-8");	/* 5 bytes */
	refuse("{\"a\":\"\xfe\"}", "invalid UTF-8");
	refuse("{\"a\":\"\xff\"}", "invalid UTF-8");
	refuse("{\"a\":\"\x80\"}", "invalid UTF-8");		/* lone continuation */
	refuse("{\"a\":\"\xbf\"}", "invalid UTF-8");
	refuse("{\"a\":\"\xc3\"}", "invalid UTF-8");		/* truncated */
	refuse("{\"a\":\"\xc3x\"}", "invalid UTF-8");
	refuse("{\"a\":\"\xe2\x82\"}", "invalid UTF-8");
	refuse("{\"a\":\"\xf0\x9f\x98\"}", "invalid UTF-8");
	refuse("{\"a\":\"\xe2\x82\xc3\xa9\"}", "invalid UTF-8");
	refuse_len("{\"a\":\"\xf0\x9f\x98", 9, "");			/* at end of body */
	refuse("{\"\xc0\xaf\":1}", "invalid UTF-8");			/* in a key */
	refuse("{\"a\":1}\xc3\xa9", "trailing bytes");
	refuse("{\"a\":\xc3\xa9}", "unexpected character");
}

static void
test_valid_utf8_boundaries(void **state)
{
	(void)state;
	accept_same("{\"a\":\"\xc2\x80\"}");			/* U+0080 */
	accept_same("{\"a\":\"\xdf\xbf\"}");			/* U+07FF */
	accept_same("{\"a\":\"\xe0\xa0\x80\"}");			/* U+0800 */
	accept_same("{\"a\":\"\xed\x9f\xbf\"}");			/* U+D7FF */
	accept_same("{\"a\":\"\xee\x80\x80\"}");			/* U+E000 */
	accept_same("{\"a\":\"\xef\xbf\xbf\"}");			/* U+FFFF */
	accept_same("{\"a\":\"\xf0\x90\x80\x80\"}");		/* U+10000 */
	accept_same("{\"a\":\"\xf4\x8f\xbf\xbf\"}");		/* U+10FFFF */
	accept_same("{\"\xc3\xa9t\xc3\xa9\":\"\xe4\xb8\xad\xf0\x9f\x98\x80\"}");
}

static void
test_surrogate_escapes(void **state)
{
	(void)state;
	refuse("{\"a\":\"\\ud800\"}", "lone surrogate escape");
	refuse("{\"a\":\"\\udbff\"}", "lone surrogate escape");
	refuse("{\"a\":\"\\uDBFF\"}", "lone surrogate escape");
	refuse("{\"a\":\"\\udc00\"}", "lone surrogate escape");
	refuse("{\"a\":\"\\udfff\"}", "lone surrogate escape");
	refuse("{\"a\":\"\\ud800x\"}", "lone surrogate escape");
	refuse("{\"a\":\"\\ud800\\u0041\"}", "lone surrogate escape");
	refuse("{\"a\":\"\\ud800\\ud800\"}", "lone surrogate escape");
	refuse("{\"a\":\"\\ud800\\n\"}", "lone surrogate escape");
	refuse("{\"a\":\"\\udc00\\ud800\"}", "lone surrogate escape");	/* reversed */
	refuse("{\"a\":\"x\\ude00\"}", "lone surrogate escape");
	refuse("{\"\\ud800\":1}", "lone surrogate escape");
	refuse("{\"a\":\"\\ud83d\\ude0\"}", "");
	accept_as("{\"a\":\"\\ud83d\\ude00\"}", "{\"a\":\"\xf0\x9f\x98\x80\"}");
	accept_as("{\"a\":\"\\uD83D\\uDE00\"}", "{\"a\":\"\xf0\x9f\x98\x80\"}");
	accept_as("{\"a\":\"\\udbff\\udfff\"}", "{\"a\":\"\xf4\x8f\xbf\xbf\"}");
	accept_as("{\"a\":\"\\ud7ff\\ue000\"}", "{\"a\":\"\xed\x9f\xbf\xee\x80\x80\"}");
	accept_as("{\"\\ud83d\\ude00\":1}", "{\"\xf0\x9f\x98\x80\":1}");
}

static void
test_escapes(void **state)
{
	(void)state;
	refuse("{\"a\":\"\\x41\"}", "invalid escape");
	refuse("{\"a\":\"\\'\"}", "invalid escape");
	refuse("{\"a\":\"\\0\"}", "invalid escape");
	refuse("{\"a\":\"\\U0041\"}", "invalid escape");
	refuse("{\"a\":\"\\u12\"}", "invalid \\u escape");
	refuse("{\"a\":\"\\u12G4\"}", "invalid \\u escape");
	refuse("{\"a\":\"\\u\"}", "invalid \\u escape");
	refuse_len("{\"a\":\"\\", 7, "");
	refuse("{\"a\":\"\\\0\"}", "invalid escape");
	accept_as("{\"a\":\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"}",
	    "{\"a\":\"\\\"\\\\/\\b\\f\\n\\r\\t\"}");
	accept_as("{\"a\":\"\\u0041\\u00e9\\u4e2d\"}", "{\"a\":\"A\xc3\xa9\xe4\xb8\xad\"}");
}

static void
test_nul_in_keys_and_values(void **state)
{
	char err[256];
	struct json_object *v, *s;
	(void)state;
	refuse("{\"\\u0000\":1}", "NUL character in object key");
	refuse("{\"a\\u0000\":1}", "NUL character in object key");
	refuse("{\"a\\u0000b\":1}", "NUL character in object key");
	refuse("{\"o\":{\"x\\u0000\":1}}", "NUL character in object key");
	/* Inside values a NUL is data and survives the round trip. */
	static const char body[] = "{\"a\":\"x\\u0000y\",\"b\":[\"\\u0000\"]}";
	accept_same(body);
	v = json_body_parse(body, sizeof(body) - 1, err, sizeof(err));
	assert_non_null(v);
	assert_true(json_object_object_get_ex(v, "a", &s));
	assert_int_equal(json_object_get_string_len(s), 3);
	assert_memory_equal(json_object_get_string(s), "x\0y", 3);
	json_object_put(v);
	/* Other escaped control characters are allowed in keys. */
	accept_same("{\"a\\u0001\":1}");
}

static void
test_duplicate_keys(void **state)
{
	char err[256];
	(void)state;
	assert_null(json_body_parse("{\"a\":1,\"a\":2}", 13, err, sizeof(err)));
	assert_string_equal(err, PREFIX "duplicate key \"a\"");
	refuse("{\"a\":1,\"b\":2,\"a\":3}", "duplicate key \"a\"");
	refuse("{\"a\":1,\"a\":1}", "duplicate key \"a\"");
	refuse("{\"a\":1,\"\\u0061\":2}", "duplicate key \"a\"");
	refuse("{\"\xc3\xa9\":1,\"\\u00e9\":2}", "duplicate key \"\xc3\xa9\"");
	refuse("{\"\xf0\x9f\x98\x80\":1,\"\\ud83d\\ude00\":2}", "duplicate key");
	refuse("{\"\":1,\"\":2}", "duplicate key \"\"");
	refuse("{\"o\":{\"x\":1,\"y\":2,\"x\":3}}", "duplicate key \"x\"");
	refuse("{\"a\":[{\"x\":1},{\"x\":1,\"x\":2}]}", "duplicate key \"x\"");
	refuse("{\"a\\\"b\":1,\"a\\\"b\":2}", "duplicate key \"a\\\"b\"");
	refuse("{\"a\\nb\":1,\"a\\nb\":2}", "duplicate key \"a\\u000ab\"");
	/* Same name in different objects, or differing in case: fine. */
	accept_same("{\"a\":1,\"A\":2}");
	accept_same("{\"x\":{\"x\":{\"x\":1}}}");
	accept_same("{\"a\":{\"k\":1},\"b\":{\"k\":1},\"c\":[{\"k\":1},{\"k\":2}]}");
	accept_same("{\"a\":1,\"a \":2,\" a\":3}");
	accept_same("{\"ab\":1,\"ba\":2}");
}

/* A very long duplicate key is quoted cut short, the message stays bounded. */
static void
test_duplicate_long_key_message(void **state)
{
	char body[2200], err[512];
	size_t n = 0;
	(void)state;
	for (int rep = 0; rep < 2; rep++) {
		body[n++] = rep ? ',' : '{';
		body[n++] = '"';
		memset(body + n, 'k', 1000);
		n += 1000;
		memcpy(body + n, "\":1", 3);
		n += 3;
	}
	body[n++] = '}';
	assert_null(json_body_parse(body, n, err, sizeof(err)));
	assert_non_null(strstr(err, "duplicate key \"kkkk"));
	assert_non_null(strstr(err, "...\""));
	assert_true(strlen(err) < 200);
	/* A tiny error buffer is filled, NUL-terminated, never overrun. */
	char small[8];
	memset(small, 'Z', sizeof(small));
	assert_null(json_body_parse(body, n, small, sizeof(small)));
	assert_int_equal(strlen(small), sizeof(small) - 1);
}

/* {"k0":0,...} near 64 KiB: accepted, and a repeat at the very end caught, quickly. */
static void
test_many_keys_fast(void **state)
{
	char *body = malloc(JSON_BODY_MAX_BYTES + 64), err[256];
	size_t n = 0;
	int keys = 0;
	struct json_object *v;
	(void)state;
	assert_non_null(body);
	body[n++] = '{';
	while (n < JSON_BODY_MAX_BYTES - 40) {
		n += (size_t)snprintf(body + n, 32, "%s\"k%d\":0", keys ? "," : "", keys);
		keys++;
	}
	body[n] = '}';
	clock_t t0 = clock();
	v = json_body_parse(body, n + 1, err, sizeof(err));
	assert_non_null(v);
	assert_int_equal(json_object_object_length(v), keys);
	json_object_put(v);
	n += (size_t)snprintf(body + n, 32, ",\"k%d\":1}", keys / 2);
	assert_true(n <= JSON_BODY_MAX_BYTES);
	assert_null(json_body_parse(body, n, err, sizeof(err)));
	char want[64];
	snprintf(want, sizeof(want), PREFIX "duplicate key \"k%d\"", keys / 2);
	assert_string_equal(err, want);
	double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
	assert_true(keys > 5000);
	assert_true(secs < 0.5);	/* O(n^2) takes far longer */
	free(body);
}

/* Thousands of small objects, each with the same keys: no false duplicates. */
static void
test_many_objects_same_keys(void **state)
{
	char *body = malloc(JSON_BODY_MAX_BYTES), err[256];
	size_t n = 0;
	struct json_object *v, *a;
	int count = 0;
	(void)state;
	assert_non_null(body);
	n += (size_t)snprintf(body, 16, "{\"a\":[");
	while (n < JSON_BODY_MAX_BYTES - 64) {
		n += (size_t)snprintf(body + n, 64, "%s{\"x\":1,\"y\":2}", count ? "," : "");
		count++;
	}
	memcpy(body + n, "]}", 2);
	n += 2;
	v = json_body_parse(body, n, err, sizeof(err));
	if (v == NULL)
		fail_msg("%s", err);
	assert_true(json_object_object_get_ex(v, "a", &a));
	assert_int_equal(json_object_array_length(a), count);
	json_object_put(v);
	free(body);
}

/*
 * A body with depth containers in all, the top-level object included:
 * {"k":[[...]]} with arrays, or {"k":{"k":...{}}} with objects.
 */
static size_t
nested(char *buf, int depth, int objects)
{
	size_t n = 0;
	if (objects) {
		for (int i = 0; i < depth - 1; i++) {
			memcpy(buf + n, "{\"k\":", 5);
			n += 5;
		}
		buf[n++] = '{';
		buf[n++] = '}';
		for (int i = 0; i < depth - 1; i++)
			buf[n++] = '}';
		return n;
	}
	memcpy(buf, "{\"k\":", 5);
	n = 5;
	for (int i = 0; i < depth - 1; i++)
		buf[n++] = '[';
	for (int i = 0; i < depth - 1; i++)
		buf[n++] = ']';
	buf[n++] = '}';
	return n;
}

/*
 * A value's depth is 1 + the containers around it, the top-level object
 * included (json-c's and MariaDB's JSON_DEPTH count): 32 nested empty
 * containers are fine, anything inside the 32nd is at depth 33.
 */
static void
test_nesting(void **state)
{
	char buf[2048];
	size_t n;
	(void)state;
	n = nested(buf, 32, 0);		/* the object + 31 arrays */
	round_trip_len(buf, n, buf, n);
	n = nested(buf, 33, 0);
	refuse_len(buf, n, "nesting deeper than 32");
	n = nested(buf, 32, 1);		/* 32 objects */
	round_trip_len(buf, n, buf, n);
	n = nested(buf, 33, 1);
	refuse_len(buf, n, "nesting deeper than 32");
	n = nested(buf, 300, 0);
	refuse_len(buf, n, "nesting deeper than 32");
	/* A scalar inside the 32nd container is at depth 33. */
	n = (size_t)snprintf(buf, sizeof(buf), "{\"k\":%s1%s}",
	    "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[", "]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]");
	refuse_len(buf, n, "nesting deeper than 32");
	n = (size_t)snprintf(buf, sizeof(buf), "{\"k\":%s\"s\"%s}",
	    "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[", "]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]");
	round_trip_len(buf, n, buf, n);
	n = nested(buf, 31, 1);
	memcpy(buf + n - 32, "{\"x\":1}", 7);	/* innermost {} -> {"x":1} */
	memcpy(buf + n - 25, "}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}", 30);
	n += 5;
	round_trip_len(buf, n, buf, n);
	n = nested(buf, 32, 1);
	memcpy(buf + n - 33, "{\"x\":1}", 7);
	memcpy(buf + n - 26, "}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}", 31);
	n += 5;
	refuse_len(buf, n, "nesting deeper than 32");
	/* Depth is about open containers at once, not their number. */
	accept_same("{\"a\":[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]],"
	    "\"b\":[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]}");
}

static void
test_top_level_must_be_object(void **state)
{
	char err[256];
	(void)state;
	static const char *const bodies[] = { "[]", "[1]", "1", "\"s\"", "true",
		"false", "null", " [ ] ", "0", "-1.5", "", " ", "\n\t" };
	for (size_t i = 0; i < sizeof(bodies) / sizeof(bodies[0]); i++) {
		assert_null(json_body_parse(bodies[i], strlen(bodies[i]), err, sizeof(err)));
		assert_string_equal(err, "request body must be a JSON object");
	}
	/* Invalid JSON that is also not an object says it is invalid. */
	refuse("NaN", PREFIX);
	refuse("[1,]", PREFIX);
	refuse("[1] x", "trailing bytes");
	accept_same("{}");
	accept_as("  {}  \n", "{}");
}

static void
test_trailing_bytes(void **state)
{
	(void)state;
	refuse("{}{}", "trailing bytes");
	refuse("{} {}", "trailing bytes");
	refuse("{}x", "trailing bytes");
	refuse("{},", "trailing bytes");
	refuse("{}]", "trailing bytes");
	refuse("{}}", "trailing bytes");
	refuse("{}\0", "trailing bytes");
	refuse("{\"a\":1}\0{\"b\":2}", "trailing bytes");
	refuse("{} // comment", "trailing bytes");
	refuse("{}\v", "trailing bytes");
	refuse("{}\xc2\xa0", "trailing bytes");		/* NBSP is not JSON whitespace */
	accept_as("{}\n", "{}");
	accept_as("{} \t\r\n", "{}");
}

static void
test_structure_errors(void **state)
{
	(void)state;
	static const char *const bad[] = {
		"{", "{\"a\"", "{\"a\":", "{\"a\":}", "{\"a\":1,}", "{,}", "{\"a\":[1,]}",
		"{\"a\":[,1]}", "{\"a\" 1}", "{\"a\"::1}", "{'a':1}", "{a:1}",
		"{\"a\":1 \"b\":2}", "{\"a\":1;\"b\":2}", "{/*c*/}", "{\"a\":tru}",
		"{\"a\":True}", "{\"a\":nulls}", "{\"a\":nul}", "{\"a\":undefined}",
		"{\"a\":\"x}", "{\"a\":1 2}", "{\"a\":[1 2]}", "{\"a\":'x'}",
		"\xef\xbb\xbf{}", "{\"a\":\v1}", "{\"a\":\f1}", "{\"a\":[}", "{\"a\":{]}",
		"{1:2}", "{null:1}", "{\"a\":1]", "{\"a\":[1}", "}", "]", "{]",
		"{\"a\":truefalse}", "{\"a\":\"\xc2\xa0\"\xc2\xa0}",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		refuse_len(bad[i], strlen(bad[i]), PREFIX);
	refuse("{\"a\":1", "unexpected end of input");
	refuse("{\"a\":\"x", "unterminated string");
}

static void
test_size_limit(void **state)
{
	char *body = malloc(JSON_BODY_MAX_BYTES + 2), err[256];
	struct json_object *v;
	(void)state;
	assert_non_null(body);
	/* {"a":"xxx...x"} of exactly 64 KiB */
	memcpy(body, "{\"a\":\"", 6);
	memset(body + 6, 'x', JSON_BODY_MAX_BYTES - 8);
	memcpy(body + JSON_BODY_MAX_BYTES - 2, "\"}", 2);
	v = json_body_parse(body, JSON_BODY_MAX_BYTES, err, sizeof(err));
	assert_non_null(v);
	json_object_put(v);
	memcpy(body + JSON_BODY_MAX_BYTES - 2, "x\"}", 3);
	assert_null(json_body_parse(body, JSON_BODY_MAX_BYTES + 1, err, sizeof(err)));
	assert_string_equal(err, "request body too large");
	free(body);
}

/*
 * docs/API.md §10: post_data comes back equal as a JSON value, key order
 * kept.
 */
static void
test_round_trip(void **state)
{
	(void)state;
	accept_same("{\"campaign_name\":\"SMS Campaign\",\"smart_list_id\":123456}");
	accept_same("{\"z\":1,\"a\":2,\"m\":{\"y\":[],\"b\":{}},\"c\":[{}]}");
	accept_same("{\"t\":true,\"f\":false,\"n\":null}");
	accept_as("{ \"a\" : [ 1 , 2 , { \"b\" : null } ] }", "{\"a\":[1,2,{\"b\":null}]}");
	accept_same("{\"url\":\"https://example.com/a/b?c=d\"}");	/* no \/ */
	accept_as("{\"s\":\"a\\/b\"}", "{\"s\":\"a/b\"}");
	accept_same("{\"u\":\"\xc3\xa9\xe4\xb8\xad\xf0\x9f\x98\x80\"}");
	accept_as("{\"u\":\"\\u00e9\"}", "{\"u\":\"\xc3\xa9\"}");
	accept_same("{\"s\":\"\\u0000\"}");
	accept_same("{\"s\":\"\\\"quoted\\\" \\\\ back\"}");
	accept_same("{\"d\":[1.50,1e-7,0.1,-2.5E+3,3.14159265358979323846]}");
	accept_same("{\"i\":[-9223372036854775808,9223372036854775807,18446744073709551615]}");
	accept_same("{\"deep\":{\"a\":{\"b\":{\"c\":[[[\"x\"]]]}}}}");
	accept_same("{\"k with spaces\":\"v\",\"\":\"empty key\"}");
}

/* A word matches only over its whole length: a NUL inside does not cut it. */
static void
test_word_match_is_length_exact(void **state)
{
	static const char *const words[] = { "DELETE", "one_time", "", NULL };
	static const char *const none[] = { NULL };
	static const struct { const char *body; int want; } cases[] = {
		{ "{\"v\": \"DELETE\"}", 0 },
		{ "{\"v\": \"one_time\"}", 1 },
		{ "{\"v\": \"\"}", 2 },
		{ "{\"v\": \"DELETE\\u0000X\"}", -1 },
		{ "{\"v\": \"DELETE\\u0000\"}", -1 },
		{ "{\"v\": \"one_time\\u0000garbage\"}", -1 },
		{ "{\"v\": \"\\u0000\"}", -1 },
		{ "{\"v\": \"DELET\"}", -1 },
		{ "{\"v\": \"DELETEX\"}", -1 },
		{ "{\"v\": \"delete\"}", -1 },
		{ "{\"v\": 1}", -1 },
		{ "{\"v\": [\"DELETE\"]}", -1 },
	};
	char err[256];
	(void)state;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct json_object *body = json_body_parse(cases[i].body,
		    strlen(cases[i].body), err, sizeof(err));
		struct json_object *v = NULL;
		assert_non_null(body);
		assert_true(json_object_object_get_ex(body, "v", &v));
		if (json_body_string_word(v, words) != cases[i].want)
			fail_msg("%s: not %d", cases[i].body, cases[i].want);
		json_object_put(body);
	}
	assert_int_equal(json_body_word("DELETE\0X", 8, words), -1);
	assert_int_equal(json_body_word("DELETE\0X", 6, words), 0);
	assert_int_equal(json_body_word("one_time", 8, words), 1);
	assert_int_equal(json_body_word("", 0, none), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_non_json_numbers),
		cmocka_unit_test(test_json_numbers_accepted),
		cmocka_unit_test(test_integer_range),
		cmocka_unit_test(test_float_overflow),
		cmocka_unit_test(test_long_number_tokens),
		cmocka_unit_test(test_control_characters),
		cmocka_unit_test(test_invalid_utf8),
		cmocka_unit_test(test_valid_utf8_boundaries),
		cmocka_unit_test(test_surrogate_escapes),
		cmocka_unit_test(test_escapes),
		cmocka_unit_test(test_nul_in_keys_and_values),
		cmocka_unit_test(test_duplicate_keys),
		cmocka_unit_test(test_duplicate_long_key_message),
		cmocka_unit_test(test_many_keys_fast),
		cmocka_unit_test(test_many_objects_same_keys),
		cmocka_unit_test(test_nesting),
		cmocka_unit_test(test_top_level_must_be_object),
		cmocka_unit_test(test_trailing_bytes),
		cmocka_unit_test(test_structure_errors),
		cmocka_unit_test(test_size_limit),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_word_match_is_length_exact),
	};
	return cmocka_run_group_tests_name("json_body", tests, NULL, NULL);
}
