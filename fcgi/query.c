/*
 * query: splits a query string on '&', percent-decodes names and values,
 * and validates the list parameters through a small table.
 */
#include "query.h"

#include <stdio.h>
#include <string.h>

#include "json_body.h"
#include "task_type.h"

#define QUERY_VALUE_MAX (QUERY_USER_MAX * 4 + 1)

static const char *const query_statuses[] = { "active", "paused", "completed", NULL };

static int
query_hex(int c)
{
	if (c >= '0' && c <= '9') return c - '0';
	if (c >= 'a' && c <= 'f') return c - 'a' + 10;
	if (c >= 'A' && c <= 'F') return c - 'A' + 10;
	return -1;
}

/*
 * Decodes src[0..len) into out (outlen > 0 bytes). Returns the decoded
 * length, or -1 when malformed, holding NUL or too long. out is a
 * NUL-terminated string on every return ("" on failure): callers may read
 * it whatever the result.
 */
static long
query_decode(const char *src, size_t len, char *out, size_t outlen)
{
	size_t o = 0;

	out[0] = '\0';
	for (size_t i = 0; i < len; i++) {
		int c = (unsigned char)src[i];
		if (c == '+')
			c = ' ';
		else if (c == '%') {
			if (i + 2 >= len)
				goto bad;
			int hi = query_hex(src[i + 1]);
			int lo = query_hex(src[i + 2]);
			if (hi < 0 || lo < 0)
				goto bad;
			c = hi * 16 + lo;
			i += 2;
		}
		if (c == '\0' || o + 1 >= outlen)
			goto bad;
		out[o++] = (char)c;
	}
	out[o] = '\0';
	return (long)o;
bad:
	out[0] = '\0';
	return -1;
}

/* A positive decimal integer of digits only, at most max; -1 otherwise. */
static long long
query_positive(const char *v, long long max)
{
	long long n = 0;

	if (*v == '\0')
		return -1;
	for (; *v; v++) {
		if (*v < '0' || *v > '9')
			return -1;
		n = n * 10 + (*v - '0');
		if (n > max)
			return max + 1;
	}
	return n;
}

/* Maps v (vlen bytes) through in[] to out[], matching whole words only. */
static int
query_pick(const char *v, size_t vlen, const char *const in[],
    const char *const out[], const char **result)
{
	int i = json_body_word(v, vlen, in);

	if (i < 0)
		return -1;
	*result = out[i];
	return 0;
}

/*
 * Applies one known parameter, v a NUL-terminated string of vlen bytes;
 * -1 with err set when its value is bad.
 */
static int
query_apply(const char *name, const char *v, size_t vlen,
    struct list_query *q, char *err, size_t errlen)
{
	if (strcmp(name, "page") == 0) {
		long long n = query_positive(v, QUERY_PAGE_MAX);
		if (n < 1 || n > QUERY_PAGE_MAX) {
			snprintf(err, errlen, "page must be an integer from 1 to %lld",
			    QUERY_PAGE_MAX);
			return -1;
		}
		q->page = n;
	} else if (strcmp(name, "per_page") == 0) {
		long long n = query_positive(v, QUERY_PER_PAGE_MAX);
		if (n < 1 || n > QUERY_PER_PAGE_MAX) {
			snprintf(err, errlen, "per_page must be an integer from 1 to %d",
			    QUERY_PER_PAGE_MAX);
			return -1;
		}
		q->per_page = n;
	} else if (strcmp(name, "user") == 0) {
		size_t n = vlen, chars = 0;
		/* Characters, not bytes: users.name counts characters. */
		for (size_t i = 0; i < n; i++) {
			if ((unsigned char)v[i] < 0x20 || v[i] == 0x7f)
				chars = QUERY_USER_MAX + 1;
			chars += ((unsigned char)v[i] & 0xc0) != 0x80;
		}
		if (n == 0 || n >= sizeof(q->user) || chars > QUERY_USER_MAX) {
			snprintf(err, errlen, "user must be a user name of 1 to %d "
			    "characters", QUERY_USER_MAX);
			return -1;
		}
		memcpy(q->user, v, n + 1);
	} else if (strcmp(name, "status") == 0) {
		if (query_pick(v, vlen, query_statuses, query_statuses,
		    &q->status) < 0) {
			snprintf(err, errlen, "status must be one of active, paused, completed");
			return -1;
		}
	} else {
		/* Any word task_type accepts; the filter is its stored name. */
		int kind = task_kind_of_word(v, vlen);

		if (kind < 0) {
			snprintf(err, errlen, "task_type must be one of %s",
			    task_type_word_list());
			return -1;
		}
		q->task_type = task_kind_name((enum task_kind)kind);
	}
	return 0;
}

int
query_parse_list(const char *qs, int with_filters, struct list_query *out,
    char *err, size_t errlen, const char **field)
{
	static const char *const names[] = { "page", "per_page", "status",
	    "task_type", "user" };
	/* Which with_filters flag makes each name read (0: always). */
	static const int needs[] = { 0, 0, QUERY_FILTERS, QUERY_FILTERS, QUERY_USER };
	int seen[5] = { 0 };
	const char *p = qs;

	out->page = 1;
	out->per_page = QUERY_PER_PAGE_DEFAULT;
	out->status = NULL;
	out->task_type = NULL;
	out->user[0] = '\0';
	*field = NULL;

	while (*p != '\0') {
		size_t plen = strcspn(p, "&");
		const char *eq = memchr(p, '=', plen);
		size_t nlen = eq ? (size_t)(eq - p) : plen;
		char name[32], value[QUERY_VALUE_MAX];
		int known = -1;

		if (query_decode(p, nlen, name, sizeof(name)) >= 0) {
			for (int i = 0; i < 5; i++)
				if ((needs[i] & ~with_filters) == 0 &&
				    strcmp(name, names[i]) == 0)
					known = i;
		}
		if (known >= 0) {
			*field = names[known];
			if (seen[known]++) {
				snprintf(err, errlen, "%s is given more than once", names[known]);
				return -1;
			}
			const char *v = eq ? eq + 1 : p + plen;
			long vlen = query_decode(v, (size_t)(p + plen - v), value,
			    sizeof(value));
			if (vlen < 0) {
				/* Fails every check in query_apply, so a bad escape
				 * gets the parameter's own message. */
				v = "\x01";
				vlen = 1;
			} else
				v = value;
			if (query_apply(names[known], v, (size_t)vlen, out, err,
			    errlen) < 0)
				return -1;
			*field = NULL;
		}
		p += plen;
		if (*p == '&')
			p++;
	}
	return 0;
}

int
query_parse_count(const char *qs, long long *count, char *err, size_t errlen,
    const char **field)
{
	const char *p = qs;
	int seen = 0;

	*count = QUERY_COUNT_DEFAULT;
	*field = NULL;
	while (*p != '\0') {
		size_t plen = strcspn(p, "&");
		const char *eq = memchr(p, '=', plen);
		size_t nlen = eq ? (size_t)(eq - p) : plen;
		char name[32], value[32];

		if (query_decode(p, nlen, name, sizeof(name)) >= 0 &&
		    strcmp(name, "count") == 0) {
			const char *v = eq ? eq + 1 : p + plen;
			long long n = -1;

			*field = "count";
			if (seen++) {
				snprintf(err, errlen, "count is given more than once");
				return -1;
			}
			/* A bad escape or a long value fails like a bad number. */
			if (query_decode(v, (size_t)(p + plen - v), value,
			    sizeof(value)) >= 0)
				n = query_positive(value, QUERY_COUNT_MAX);
			if (n < 1 || n > QUERY_COUNT_MAX) {
				snprintf(err, errlen, "count must be an integer from "
				    "1 to %d", QUERY_COUNT_MAX);
				return -1;
			}
			*count = n;
			*field = NULL;
		}
		p += plen;
		if (*p == '&')
			p++;
	}
	return 0;
}
