/*
 * json_body: strict request-body JSON. A single pass *scan* over the raw
 * bytes enforces the RFC 8259 grammar plus docs/API.md §7.1's extra rules
 * (valid UTF-8, no lone surrogate escapes, no NUL in keys, no duplicate
 * keys, nesting, 64-bit integer range, finite floats) with a precise
 * message; only then does json-c 0.16 build the object tree from the same
 * bytes.
 */
#include "json_body.h"

#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define JSON_BODY_PREFIX "request body is not valid JSON: "
/* Keys quoted in a message are cut to this many bytes. */
#define JSON_BODY_KEY_QUOTE 64
/* Float tokens up to this length are converted without a heap copy. */
#define JSON_BODY_NUM_STACK 128

/* A key seen in an object: its object's number and its decoded bytes in the arena. */
struct key_slot {
	uint32_t obj;	/* 0 = empty slot */
	uint32_t hash;
	uint32_t off, len;
};

struct scan {
	const unsigned char *p;
	size_t len, pos;
	int depth;
	uint32_t nobj;		/* objects opened so far; numbers them */
	unsigned char *arena;	/* decoded keys; never longer than the body */
	size_t arena_used;
	struct key_slot *keys;	/* open-addressing set of (object, key) */
	size_t nkeys, cap;
	char *err;
	size_t errlen;
	int failed;
};

static int scan_value(struct scan *s);
static int fail(struct scan *s, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static int
fail(struct scan *s, const char *fmt, ...)
{
	va_list ap;
	int n;
	if (s->failed)
		return -1;
	s->failed = 1;
	n = snprintf(s->err, s->errlen, "%s", JSON_BODY_PREFIX);
	if (n >= 0 && (size_t)n < s->errlen) {
		va_start(ap, fmt);
		vsnprintf(s->err + n, s->errlen - (size_t)n, fmt, ap);
		va_end(ap);
	}
	return -1;
}

static void
skip_ws(struct scan *s)
{
	while (s->pos < s->len) {
		unsigned char c = s->p[s->pos];
		if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
			break;
		s->pos++;
	}
}

static int
unexpected(struct scan *s)
{
	if (s->pos >= s->len)
		return fail(s, "unexpected end of input");
	return fail(s, "unexpected character at byte %zu", s->pos);
}

/*
 * Length of the valid UTF-8 sequence at s->p[s->pos] whose first byte is
 * >= 0x80, or 0: no overlong forms, no surrogates, nothing above U+10FFFF,
 * no truncation (RFC 3629's table).
 */
static size_t
utf8_seq(const struct scan *s)
{
	const unsigned char *c = s->p + s->pos;
	size_t left = s->len - s->pos, n;
	unsigned char lo = 0x80, hi = 0xbf;

	if (c[0] >= 0xc2 && c[0] <= 0xdf)
		n = 2;
	else if (c[0] >= 0xe0 && c[0] <= 0xef) {
		n = 3;
		if (c[0] == 0xe0)
			lo = 0xa0;	/* overlong */
		else if (c[0] == 0xed)
			hi = 0x9f;	/* UTF-16 surrogates */
	} else if (c[0] >= 0xf0 && c[0] <= 0xf4) {
		n = 4;
		if (c[0] == 0xf0)
			lo = 0x90;	/* overlong */
		else if (c[0] == 0xf4)
			hi = 0x8f;	/* above U+10FFFF */
	} else
		return 0;
	if (left < n || c[1] < lo || c[1] > hi)
		return 0;
	for (size_t i = 2; i < n; i++)
		if (c[i] < 0x80 || c[i] > 0xbf)
			return 0;
	return n;
}

static int
hex4(const struct scan *s, size_t at, unsigned *out)
{
	unsigned v = 0;
	if (at > s->len || s->len - at < 4)
		return -1;
	for (size_t i = at; i < at + 4; i++) {
		unsigned char c = s->p[i];
		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= (unsigned)(c - '0');
		else if (c >= 'a' && c <= 'f')
			v |= (unsigned)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			v |= (unsigned)(c - 'A' + 10);
		else
			return -1;
	}
	*out = v;
	return 0;
}

static void
arena_put_cp(struct scan *s, unsigned cp)
{
	unsigned char *o = s->arena + s->arena_used;
	if (cp < 0x80) {
		o[0] = (unsigned char)cp;
		s->arena_used += 1;
	} else if (cp < 0x800) {
		o[0] = (unsigned char)(0xc0 | cp >> 6);
		o[1] = (unsigned char)(0x80 | (cp & 0x3f));
		s->arena_used += 2;
	} else if (cp < 0x10000) {
		o[0] = (unsigned char)(0xe0 | cp >> 12);
		o[1] = (unsigned char)(0x80 | (cp >> 6 & 0x3f));
		o[2] = (unsigned char)(0x80 | (cp & 0x3f));
		s->arena_used += 3;
	} else {
		o[0] = (unsigned char)(0xf0 | cp >> 18);
		o[1] = (unsigned char)(0x80 | (cp >> 12 & 0x3f));
		o[2] = (unsigned char)(0x80 | (cp >> 6 & 0x3f));
		o[3] = (unsigned char)(0x80 | (cp & 0x3f));
		s->arena_used += 4;
	}
}

/*
 * The escape after a backslash at s->pos (which points at the character
 * after '\'). Returns the code point (a surrogate pair combined), or -1.
 */
static long
scan_escape(struct scan *s, int is_key)
{
	static const char simple[] = "\"\\/bfnrt";
	static const char value[] = "\"\\/\b\f\n\r\t";
	unsigned cp, lo;
	const char *e;

	if (s->pos >= s->len)
		return unexpected(s);
	if (s->p[s->pos] != 'u') {
		e = s->p[s->pos] != '\0' ? strchr(simple, s->p[s->pos]) : NULL;
		if (e == NULL)
			return fail(s, "invalid escape in string at byte %zu", s->pos - 1);
		s->pos++;
		return (unsigned char)value[e - simple];
	}
	if (hex4(s, s->pos + 1, &cp) < 0)
		return fail(s, "invalid \\u escape at byte %zu", s->pos - 1);
	s->pos += 5;
	if (cp >= 0xdc00 && cp <= 0xdfff)
		return fail(s, "lone surrogate escape at byte %zu", s->pos - 6);
	if (cp >= 0xd800 && cp <= 0xdbff) {
		if (s->len - s->pos < 6 || s->p[s->pos] != '\\' ||
		    s->p[s->pos + 1] != 'u' || hex4(s, s->pos + 2, &lo) < 0 ||
		    lo < 0xdc00 || lo > 0xdfff)
			return fail(s, "lone surrogate escape at byte %zu", s->pos - 6);
		s->pos += 6;
		cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
	}
	if (cp == 0 && is_key)
		return fail(s, "NUL character in object key");
	return (long)cp;
}

/* A string starting at the '"' at s->pos; keys are decoded into the arena. */
static int
scan_string(struct scan *s, int is_key)
{
	s->pos++;
	for (;;) {
		if (s->pos >= s->len)
			return fail(s, "unterminated string");
		unsigned char c = s->p[s->pos];
		if (c == '"') {
			s->pos++;
			return 0;
		} else if (c < 0x20) {
			return fail(s, "control character in string at byte %zu", s->pos);
		} else if (c == '\\') {
			s->pos++;
			long cp = scan_escape(s, is_key);
			if (cp < 0)
				return -1;
			if (is_key)
				arena_put_cp(s, (unsigned)cp);
		} else if (c >= 0x80) {
			size_t n = utf8_seq(s);
			if (n == 0)
				return fail(s, "invalid UTF-8 at byte %zu", s->pos);
			if (is_key) {
				memcpy(s->arena + s->arena_used, s->p + s->pos, n);
				s->arena_used += n;
			}
			s->pos += n;
		} else {
			if (is_key)
				s->arena[s->arena_used++] = c;
			s->pos++;
		}
	}
}

/* Integer text (digits only, no sign) within [0, limit] (limit as digits)? */
static int
digits_within(const unsigned char *d, size_t n, const char *limit)
{
	size_t ln = strlen(limit);
	if (n != ln)
		return n < ln;
	return memcmp(d, limit, n) <= 0;
}

/* A float token must be finite as a double. */
static int
float_is_finite(const unsigned char *tok, size_t n)
{
	char stackbuf[JSON_BODY_NUM_STACK], *buf = stackbuf;
	double d;
	if (n >= sizeof(stackbuf) && (buf = malloc(n + 1)) == NULL)
		return -1;
	memcpy(buf, tok, n);
	buf[n] = '\0';
	d = strtod(buf, NULL);
	if (buf != stackbuf)
		free(buf);
	return isfinite(d) ? 1 : 0;
}

static int
scan_number(struct scan *s)
{
	size_t start = s->pos, int_start;
	int is_float = 0, neg = 0;

	if (s->p[s->pos] == '-') {
		neg = 1;
		s->pos++;
	}
	int_start = s->pos;
	if (s->pos < s->len && s->p[s->pos] == '0')
		s->pos++;
	else if (s->pos < s->len && s->p[s->pos] >= '1' && s->p[s->pos] <= '9')
		while (s->pos < s->len && s->p[s->pos] >= '0' && s->p[s->pos] <= '9')
			s->pos++;
	else
		return fail(s, "invalid number at byte %zu", start);
	size_t int_end = s->pos;
	if (s->pos < s->len && s->p[s->pos] == '.') {
		is_float = 1;
		s->pos++;
		if (s->pos >= s->len || s->p[s->pos] < '0' || s->p[s->pos] > '9')
			return fail(s, "invalid number at byte %zu", start);
		while (s->pos < s->len && s->p[s->pos] >= '0' && s->p[s->pos] <= '9')
			s->pos++;
	}
	if (s->pos < s->len && (s->p[s->pos] == 'e' || s->p[s->pos] == 'E')) {
		is_float = 1;
		s->pos++;
		if (s->pos < s->len && (s->p[s->pos] == '+' || s->p[s->pos] == '-'))
			s->pos++;
		if (s->pos >= s->len || s->p[s->pos] < '0' || s->p[s->pos] > '9')
			return fail(s, "invalid number at byte %zu", start);
		while (s->pos < s->len && s->p[s->pos] >= '0' && s->p[s->pos] <= '9')
			s->pos++;
	}
	/* "01", "1.2.3", "1x": the token must end at a delimiter. */
	if (s->pos < s->len) {
		unsigned char c = s->p[s->pos];
		if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
		    (c >= 'A' && c <= 'Z') || c == '.' || c == '+' || c == '-')
			return fail(s, "invalid number at byte %zu", start);
	}
	if (!is_float) {
		if (!digits_within(s->p + int_start, int_end - int_start,
		    neg ? "9223372036854775808" : "18446744073709551615"))
			return fail(s, "number out of range");
		return 0;
	}
	int fin = float_is_finite(s->p + start, s->pos - start);
	if (fin < 0)
		return fail(s, "out of memory");
	if (!fin)
		return fail(s, "number out of range");
	return 0;
}

static int
scan_literal(struct scan *s)
{
	static const char *const words[] = { "true", "false", "null" };
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
		size_t n = strlen(words[i]);
		if (s->len - s->pos >= n && memcmp(s->p + s->pos, words[i], n) == 0) {
			s->pos += n;
			if (s->pos < s->len && ((s->p[s->pos] >= 'a' && s->p[s->pos] <= 'z') ||
			    (s->p[s->pos] >= 'A' && s->p[s->pos] <= 'Z') ||
			    (s->p[s->pos] >= '0' && s->p[s->pos] <= '9')))
				return fail(s, "unexpected character at byte %zu", s->pos);
			return 0;
		}
	}
	if (s->p[s->pos] == 'N' || s->p[s->pos] == 'I')
		return fail(s, "invalid number at byte %zu", s->pos);
	return unexpected(s);
}

static uint32_t
key_hash(uint32_t obj, const unsigned char *k, size_t n)
{
	uint32_t h = 2166136261u ^ obj * 2654435761u;
	for (size_t i = 0; i < n; i++)
		h = (h ^ k[i]) * 16777619u;
	return h;
}

static int
keys_grow(struct scan *s)
{
	size_t ncap = s->cap ? s->cap * 2 : 64;
	struct key_slot *nk = calloc(ncap, sizeof(*nk));
	if (nk == NULL)
		return -1;
	for (size_t i = 0; i < s->cap; i++) {
		if (s->keys[i].obj == 0)
			continue;
		size_t j = s->keys[i].hash & (ncap - 1);
		while (nk[j].obj != 0)
			j = (j + 1) & (ncap - 1);
		nk[j] = s->keys[i];
	}
	free(s->keys);
	s->keys = nk;
	s->cap = ncap;
	return 0;
}

/* Appends ", quoted" key for a message: printable, cut to a bounded length. */
static void
quote_key(const unsigned char *k, size_t n, char *out, size_t outlen)
{
	size_t o = 0;
	for (size_t i = 0; i < n && o + 8 < outlen; i++) {
		if (i >= JSON_BODY_KEY_QUOTE) {
			/* Do not cut inside a UTF-8 sequence. */
			if ((k[i] & 0xc0) == 0x80) {
				out[o++] = (char)k[i];
				continue;
			}
			memcpy(out + o, "...", 3);
			o += 3;
			break;
		}
		if (k[i] == '"' || k[i] == '\\') {
			out[o++] = '\\';
			out[o++] = (char)k[i];
		} else if (k[i] < 0x20 || k[i] == 0x7f) {
			o += (size_t)snprintf(out + o, outlen - o, "\\u%04x", k[i]);
		} else
			out[o++] = (char)k[i];
	}
	out[o] = '\0';
}

/* Records the key just decoded at arena[off..]; refuses a repeat within obj. */
static int
key_add(struct scan *s, uint32_t obj, size_t off)
{
	size_t n = s->arena_used - off;
	const unsigned char *k = s->arena + off;
	uint32_t h = key_hash(obj, k, n);
	size_t j;

	if ((s->nkeys + 1) * 2 > s->cap && keys_grow(s) < 0)
		return fail(s, "out of memory");
	for (j = h & (s->cap - 1); s->keys[j].obj != 0; j = (j + 1) & (s->cap - 1)) {
		struct key_slot *e = &s->keys[j];
		if (e->obj == obj && e->hash == h && e->len == n &&
		    memcmp(s->arena + e->off, k, n) == 0) {
			char q[JSON_BODY_KEY_QUOTE * 6 + 8];
			quote_key(k, n, q, sizeof(q));
			return fail(s, "duplicate key \"%s\"", q);
		}
	}
	s->keys[j] = (struct key_slot){ obj, h, (uint32_t)off, (uint32_t)n };
	s->nkeys++;
	return 0;
}

/*
 * After a member or an element: 1 when a ',' follows (another comes), 0
 * when `close` ends the object or array, else -1 with the error.
 */
static int
scan_after_item(struct scan *s, char close)
{
	skip_ws(s);
	if (s->pos < s->len && s->p[s->pos] == ',') {
		s->pos++;
		return 1;
	}
	if (s->pos < s->len && s->p[s->pos] == close) {
		s->pos++;
		return 0;
	}
	return unexpected(s);
}

static int
scan_object(struct scan *s)
{
	uint32_t obj = ++s->nobj;
	int more;

	s->pos++;
	skip_ws(s);
	if (s->pos < s->len && s->p[s->pos] == '}') {
		s->pos++;
		return 0;
	}
	for (;;) {
		skip_ws(s);
		if (s->pos >= s->len || s->p[s->pos] != '"')
			return unexpected(s);
		size_t off = s->arena_used;
		if (scan_string(s, 1) < 0 || key_add(s, obj, off) < 0)
			return -1;
		skip_ws(s);
		if (s->pos >= s->len || s->p[s->pos] != ':')
			return unexpected(s);
		s->pos++;
		if (scan_value(s) < 0)
			return -1;
		if ((more = scan_after_item(s, '}')) <= 0)
			return more;
	}
}

static int
scan_array(struct scan *s)
{
	int more;

	s->pos++;
	skip_ws(s);
	if (s->pos < s->len && s->p[s->pos] == ']') {
		s->pos++;
		return 0;
	}
	for (;;) {
		if (scan_value(s) < 0)
			return -1;
		if ((more = scan_after_item(s, ']')) <= 0)
			return more;
	}
}

/*
 * One value. Its depth is 1 + the objects and arrays open around it (as
 * json-c and MariaDB's JSON_DEPTH count): 32 nested empty arrays are
 * fine, a value inside the 32nd is at depth 33.
 */
static int
scan_value(struct scan *s)
{
	int r;
	skip_ws(s);
	if (s->pos >= s->len)
		return unexpected(s);
	if (s->depth >= JSON_BODY_MAX_DEPTH)
		return fail(s, "nesting deeper than %d", JSON_BODY_MAX_DEPTH);
	switch (s->p[s->pos]) {
	case '{':
	case '[':
		s->depth++;
		r = s->p[s->pos] == '{' ? scan_object(s) : scan_array(s);
		s->depth--;
		return r;
	case '"':
		return scan_string(s, 0);
	case '-': case '0': case '1': case '2': case '3': case '4':
	case '5': case '6': case '7': case '8': case '9':
		return scan_number(s);
	case '+': case '.':
		return fail(s, "invalid number at byte %zu", s->pos);
	default:
		return scan_literal(s);
	}
}

/* The scan; 0 when body is one strict JSON value with nothing after it. */
static int
scan_body(struct scan *s)
{
	if (scan_value(s) < 0)
		return -1;
	skip_ws(s);
	if (s->pos != s->len)
		return fail(s, "trailing bytes after the JSON value at byte %zu", s->pos);
	return 0;
}

struct json_object *
json_body_parse(const char *body, size_t len, char *err, size_t errlen)
{
	struct scan s;
	struct json_tokener *tok = NULL;
	struct json_object *v = NULL;
	size_t first;

	memset(&s, 0, sizeof(s));
	s.p = (const unsigned char *)body;
	s.len = len;
	s.err = err;
	s.errlen = errlen;
	if (errlen > 0)
		err[0] = '\0';
	if (len > JSON_BODY_MAX_BYTES) {
		snprintf(err, errlen, "request body too large");
		return NULL;
	}
	skip_ws(&s);
	if (s.pos == len) {
		snprintf(err, errlen, "request body must be a JSON object");
		return NULL;
	}
	first = s.pos;
	if ((s.arena = malloc(len)) == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	if (scan_body(&s) < 0)
		goto out;
	if (s.p[first] != '{') {
		snprintf(err, errlen, "request body must be a JSON object");
		goto out;
	}
	/* The scan accepted it; json-c must agree, and consume every byte. */
	if ((tok = json_tokener_new_ex(JSON_BODY_MAX_DEPTH)) == NULL) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT | JSON_TOKENER_VALIDATE_UTF8);
	v = json_tokener_parse_ex(tok, body, (int)len);
	if (v == NULL || json_tokener_get_error(tok) != json_tokener_success ||
	    json_tokener_get_parse_end(tok) != len ||
	    !json_object_is_type(v, json_type_object)) {
		snprintf(err, errlen, JSON_BODY_PREFIX "%s",
		    json_tokener_error_desc(json_tokener_get_error(tok)));
		json_object_put(v);
		v = NULL;
	}
out:
	if (tok != NULL)
		json_tokener_free(tok);
	free(s.keys);
	free(s.arena);
	return v;
}

const char *
json_body_serialize(struct json_object *v, size_t *len)
{
	return json_object_to_json_string_length(v,
	    JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE, len);
}

int
json_body_word(const char *s, size_t len, const char *const words[])
{
	for (int i = 0; words[i] != NULL; i++)
		if (strlen(words[i]) == len && memcmp(s, words[i], len) == 0)
			return i;
	return -1;
}

int
json_body_string_word(struct json_object *v, const char *const words[])
{
	if (!json_object_is_type(v, json_type_string))
		return -1;
	return json_body_word(json_object_get_string(v),
	    (size_t)json_object_get_string_len(v), words);
}
