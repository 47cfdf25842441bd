/*
 * url_guard: callback URL acceptance. libcurl's URL API checks the syntax
 * (absolute http or https, a host); the host's *addresses* — an IP literal
 * in any form inet_aton or inet_pton reads, else what getaddrinfo returns —
 * must all be globally reachable by the IANA IPv4 and IPv6 special-purpose
 * registries unless private targets are allowed. A *lookup* is one name
 * resolution, run by glibc's getaddrinfo_a in a helper thread so that the
 * caller waits no longer than its timeout; a lookup still running then
 * keeps its *slot* (the memory glibc reads and writes) until it ends.
 */
#include "url_guard.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <curl/curl.h>

#include "log.h"

#define URL_GUARD_MSG_BAD "url must be an absolute http or https URL"
#define URL_GUARD_MSG_LONG "url is longer than 2048 characters"
#define URL_GUARD_MSG_PRIVATE "url points to a private or reserved address"

/*
 * Lookups that may outlive their request, per process. A resolver that
 * never answers holds each for its own timeout (resolv.conf: 5 s times
 * attempts by default); glibc runs at most 20 helper threads, so a bound
 * below that keeps every lookup on a thread of its own.
 */
#define RESOLVE_SLOTS 8
/* The longest name DNS carries (253) and a trailing dot. */
#define RESOLVE_NAME_MAX 254

/*
 * One lookup's memory. glibc keeps pointers to cb, hints and name while
 * the lookup runs, so a slot is reused only once glibc has let go of it.
 */
struct resolve_slot {
	struct gaicb cb;
	struct addrinfo hints;
	char name[RESOLVE_NAME_MAX + 1];
	int busy;
};

static struct resolve_slot resolve_slots[RESOLVE_SLOTS];

/* An IPv4 prefix that is not globally reachable (host byte order). */
struct v4_block {
	uint32_t net;
	int bits;
};

/* IANA IPv4 Special-Purpose Address Registry, plus multicast and 240/4. */
static const struct v4_block v4_special[] = {
	{ 0x00000000, 8 },	/* 0.0.0.0/8 "this network" */
	{ 0x0a000000, 8 },	/* 10.0.0.0/8 private */
	{ 0x64400000, 10 },	/* 100.64.0.0/10 shared (CGNAT) */
	{ 0x7f000000, 8 },	/* 127.0.0.0/8 loopback */
	{ 0xa9fe0000, 16 },	/* 169.254.0.0/16 link-local */
	{ 0xac100000, 12 },	/* 172.16.0.0/12 private */
	{ 0xc0000000, 24 },	/* 192.0.0.0/24 IETF protocol assignments */
	{ 0xc0000200, 24 },	/* 192.0.2.0/24 TEST-NET-1 */
	{ 0xc0586300, 24 },	/* 192.88.99.0/24 6to4 relay anycast (deprecated) */
	{ 0xc0a80000, 16 },	/* 192.168.0.0/16 private */
	{ 0xc6120000, 15 },	/* 198.18.0.0/15 benchmarking */
	{ 0xc6336400, 24 },	/* 198.51.100.0/24 TEST-NET-2 */
	{ 0xcb007100, 24 },	/* 203.0.113.0/24 TEST-NET-3 */
	{ 0xe0000000, 4 },	/* 224.0.0.0/4 multicast */
	{ 0xf0000000, 4 },	/* 240.0.0.0/4 reserved, 255.255.255.255 included */
};

static int
v4_is_global(uint32_t a)
{
	for (size_t i = 0; i < sizeof(v4_special) / sizeof(v4_special[0]); i++) {
		uint32_t mask = 0xffffffffu << (32 - v4_special[i].bits);
		if ((a & mask) == v4_special[i].net)
			return 0;
	}
	return 1;
}

static uint32_t
v4_at(const unsigned char *b)
{
	return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}

/* Does the address start with the first bits of prefix? */
static int
v6_in(const unsigned char *a, const unsigned char *prefix, int bits)
{
	int whole = bits / 8, rest = bits % 8;
	if (memcmp(a, prefix, (size_t)whole) != 0)
		return 0;
	if (rest == 0)
		return 1;
	unsigned char mask = (unsigned char)(0xff << (8 - rest));
	return (a[whole] & mask) == (prefix[whole] & mask);
}

/* A non-global IPv6 block (the registry's "globally reachable: false" rows). */
struct v6_block {
	unsigned char prefix[16];
	int bits;
};

static const struct v6_block v6_special[] = {
	{ { 0x00, 0x64, 0xff, 0x9b, 0x00, 0x01 }, 48 },	/* 64:ff9b:1::/48 local NAT64 */
	{ { 0x01, 0x00 }, 64 },				/* 100::/64 discard-only */
	{ { 0x20, 0x01, 0x00, 0x00 }, 23 },		/* 2001::/23 IETF protocol assignments */
	{ { 0x20, 0x01, 0x0d, 0xb8 }, 32 },		/* 2001:db8::/32 documentation */
	{ { 0x3f, 0xff }, 20 },				/* 3fff::/20 documentation */
	{ { 0x5f, 0x00 }, 16 },				/* 5f00::/16 SRv6 SIDs */
	{ { 0xfc }, 7 },				/* fc00::/7 unique local */
	{ { 0xfe, 0x80 }, 10 },				/* fe80::/10 link-local */
	{ { 0xfe, 0xc0 }, 10 },				/* fec0::/10 site-local (deprecated) */
	{ { 0xff }, 8 },				/* ff00::/8 multicast */
};

static int
v6_is_global(const unsigned char *a)
{
	static const unsigned char mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };
	static const unsigned char nat64[12] = { 0x00, 0x64, 0xff, 0x9b };
	static const unsigned char sixto4[2] = { 0x20, 0x02 };
	static const unsigned char global_unicast[1] = { 0x20 };

	/* Embeddings of an IPv4 address take that address's answer. */
	if (memcmp(a, mapped, 12) == 0 || memcmp(a, nat64, 12) == 0)
		return v4_is_global(v4_at(a + 12));
	if (v6_in(a, sixto4, 16))
		return v4_is_global(v4_at(a + 2));
	for (size_t i = 0; i < sizeof(v6_special) / sizeof(v6_special[0]); i++)
		if (v6_in(a, v6_special[i].prefix, v6_special[i].bits))
			return 0;
	/*
	 * Only 2000::/3 is allocated global unicast; the rest (::/128, ::1,
	 * IPv4-compatible ::/96 and all of ::/8, 4000::/2 ...) is reserved.
	 */
	return v6_in(a, global_unicast, 3);
}

int
url_guard_addr_is_global(const struct sockaddr *sa)
{
	if (sa == NULL)
		return 0;
	if (sa->sa_family == AF_INET) {
		const struct sockaddr_in *in = (const struct sockaddr_in *)(const void *)sa;
		return v4_is_global(ntohl(in->sin_addr.s_addr));
	}
	if (sa->sa_family == AF_INET6) {
		const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)(const void *)sa;
		return v6_is_global(in6->sin6_addr.s6_addr);
	}
	return 0;
}

static enum url_guard_result
bad(char *err, size_t errlen, const char *msg)
{
	snprintf(err, errlen, "%s", msg);
	return URL_GUARD_BAD;
}

/*
 * The host as an IP literal: 1 and *global set, 0 when it is not a
 * literal. host is curl's form: IPv6 in brackets, maybe with "%zone".
 */
static int
literal_is_global(const char *host, int *global)
{
	struct sockaddr_in in;
	struct sockaddr_in6 in6;
	char buf[INET6_ADDRSTRLEN + 64];
	size_t n = strlen(host);

	if (host[0] == '[') {
		if (n < 2 || host[n - 1] != ']' || n - 2 >= sizeof(buf))
			return 0;
		memcpy(buf, host + 1, n - 2);
		buf[n - 2] = '\0';
		buf[strcspn(buf, "%")] = '\0';	/* a zone id */
		memset(&in6, 0, sizeof(in6));
		in6.sin6_family = AF_INET6;
		if (inet_pton(AF_INET6, buf, &in6.sin6_addr) != 1)
			return 0;
		*global = url_guard_addr_is_global((struct sockaddr *)&in6);
		return 1;
	}
	/*
	 * inet_aton reads every legacy form: 2130706433, 127.1, 0x7f.1,
	 * 0177.0.0.1; a trailing dot ("127.0.0.1.") is dropped first.
	 */
	if (n == 0 || n >= sizeof(buf))
		return 0;
	memcpy(buf, host, n + 1);
	if (buf[n - 1] == '.')
		buf[n - 1] = '\0';
	memset(&in, 0, sizeof(in));
	in.sin_family = AF_INET;
	if (inet_aton(buf, &in.sin_addr) == 0)
		return 0;
	*global = url_guard_addr_is_global((struct sockaddr *)&in);
	return 1;
}

/*
 * libcurl (since 7.85) answers "localhost" and any "*.localhost" itself
 * with loopback addresses (RFC 6761), whatever DNS or /etc/hosts say.
 */
static int
is_localhost_name(const char *host)
{
	static const char name[] = "localhost";
	size_t n = strlen(host), ln = sizeof(name) - 1;
	if (n > 0 && host[n - 1] == '.')
		n--;
	if (n < ln || strncasecmp(host + n - ln, name, ln) != 0)
		return 0;
	return n == ln || host[n - ln - 1] == '.';
}

static long long
now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/*
 * Takes a slot back from glibc if its lookup is over: 1 (the slot is free
 * again; *private is set when the name resolved to any non-global
 * address), 0 while glibc still runs it. gai_cancel answers under glibc's
 * queue lock: EAI_ALLDONE only once the helper thread has finished and
 * dropped the request, EAI_CANCELED when none had started it.
 */
static int
slot_reap(struct resolve_slot *s, int *private)
{
	int st = gai_cancel(&s->cb);

	if (st == EAI_NOTCANCELED)
		return 0;
	if (st == EAI_ALLDONE && gai_error(&s->cb) == 0) {
		for (struct addrinfo *ai = s->cb.ar_result; ai; ai = ai->ai_next)
			if (!url_guard_addr_is_global(ai->ai_addr))
				*private = 1;
		freeaddrinfo(s->cb.ar_result);
	}
	s->cb.ar_result = NULL;
	s->busy = 0;
	return 1;
}

/* A free slot, after reaping the lookups earlier calls left; NULL if none. */
static struct resolve_slot *
slot_get(void)
{
	struct resolve_slot *free_slot = NULL;
	int ignored = 0;

	for (size_t i = 0; i < RESOLVE_SLOTS; i++) {
		struct resolve_slot *s = &resolve_slots[i];
		if (s->busy && !slot_reap(s, &ignored))
			continue;
		if (free_slot == NULL)
			free_slot = s;
	}
	return free_slot;
}

/* Starts the lookup of host in s: 0, or -1 when glibc could not queue it. */
static int
slot_start(struct resolve_slot *s, const char *host)
{
	struct gaicb *list[1] = { &s->cb };
	sigset_t all, old;
	int rc;

	memset(s, 0, sizeof(*s));
	memcpy(s->name, host, strlen(host) + 1);
	s->hints.ai_family = AF_UNSPEC;
	s->hints.ai_socktype = SOCK_STREAM;
	s->cb.ar_name = s->name;
	s->cb.ar_request = &s->hints;
	/*
	 * A helper thread inherits this mask: with every signal blocked there,
	 * signals still reach only the caller's thread (the API reads its own
	 * from a signalfd, which needs them blocked in every thread).
	 */
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	rc = getaddrinfo_a(GAI_NOWAIT, list, 1, NULL);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc != 0)
		return -1;
	s->busy = 1;
	return 0;
}

/*
 * Waits up to timeout_ms for the lookup in s: 1 when its slot is free
 * again (*private set as slot_reap says; a lookup no thread had started
 * yet is cancelled), 0 when it is still running: its slot stays busy for
 * a later slot_get to reap.
 */
static int
slot_wait(struct resolve_slot *s, long long timeout_ms, int *private)
{
	static const struct timespec one_ms = { 0, 1000000 };
	const struct gaicb *list[1] = { &s->cb };
	long long deadline = now_ms() + timeout_ms;
	struct timespec ts;

	for (int spins = 0; spins < 1000;) {
		long long left = deadline - now_ms();

		if (gai_error(&s->cb) == EAI_INPROGRESS) {
			if (left <= 0)
				break;
			ts.tv_sec = (time_t)(left / 1000);
			ts.tv_nsec = (long)(left % 1000) * 1000000;
			/* 0, EAI_AGAIN at the timeout, EAI_INTR on a signal: re-checked. */
			(void)gai_suspend(list, 1, &ts);
			continue;
		}
		/*
		 * Finished: the helper thread drops it from glibc's queue as soon
		 * as it has the queue lock; only then may the result be read.
		 */
		if (slot_reap(s, private))
			return 1;
		spins++;
		nanosleep(&one_ms, NULL);
	}
	return slot_reap(s, private);
}

/*
 * What the name host resolves to within timeout_ms: URL_GUARD_PRIVATE if
 * any address is not global, else URL_GUARD_OK, also when it does not
 * resolve, has not resolved in time, or no slot is free (firing checks the
 * addresses again).
 */
static enum url_guard_result
resolve_check(const char *host, long long timeout_ms)
{
	struct resolve_slot *s;
	int private = 0;

	if (timeout_ms <= 0 || strlen(host) > RESOLVE_NAME_MAX)
		return URL_GUARD_OK;
	/* The host is client text (curl decodes %7f in it): not logged. */
	if ((s = slot_get()) == NULL) {
		log_warnx("url_guard: %d lookups still running; a name is "
		    "accepted unresolved", RESOLVE_SLOTS);
		return URL_GUARD_OK;
	}
	if (slot_start(s, host) != 0) {
		log_warnx("url_guard: cannot start a lookup; the name is accepted");
		return URL_GUARD_OK;
	}
	if (!slot_wait(s, timeout_ms, &private)) {
		log_warnx("url_guard: a name did not resolve in %lld ms; accepted",
		    timeout_ms);
		return URL_GUARD_OK;
	}
	return private ? URL_GUARD_PRIVATE : URL_GUARD_OK;
}

/* URL_GUARD_PRIVATE when host is, or resolves to, any non-global address. */
static enum url_guard_result
check_host(const char *host, long long timeout_ms, char *err, size_t errlen)
{
	int global = 0;
	enum url_guard_result r = URL_GUARD_OK;

	if (is_localhost_name(host)) {
		r = URL_GUARD_PRIVATE;
	} else if (literal_is_global(host, &global)) {
		if (!global)
			r = URL_GUARD_PRIVATE;
	} else {
		r = resolve_check(host, timeout_ms);
	}
	if (r == URL_GUARD_PRIVATE)
		snprintf(err, errlen, "%s", URL_GUARD_MSG_PRIVATE);
	return r;
}

/*
 * The number of characters (code points) in the len bytes at s, or -1
 * when they are not UTF-8: overlong forms, surrogates and anything above
 * U+10FFFF are refused, as in a request body.
 */
static long
utf8_chars(const unsigned char *s, size_t len)
{
	long n = 0;

	for (size_t i = 0; i < len; n++) {
		unsigned char c = s[i];
		uint32_t cp, min;
		size_t k;

		if (c < 0x80) {
			i++;
			continue;
		}
		/* 0x80..0xc1 never lead (continuations, overlong 2-byte forms). */
		if (c < 0xc2 || c > 0xf4)
			return -1;
		k = c >= 0xf0 ? 3 : c >= 0xe0 ? 2 : 1;	/* continuation bytes */
		cp = c & (0x3fu >> k);
		min = k == 1 ? 0x80 : k == 2 ? 0x800 : 0x10000;
		if (len - i - 1 < k)
			return -1;
		for (size_t j = 1; j <= k; j++) {
			if ((s[i + j] & 0xc0) != 0x80)
				return -1;
			cp = cp << 6 | (s[i + j] & 0x3f);
		}
		if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return -1;
		i += k + 1;
	}
	return n;
}

/*
 * Raw text checks before libcurl: UTF-8, length in characters, NUL,
 * spaces, controls, "scheme://host". libcurl takes non-ASCII bytes in
 * the host and the path as they are, so bytes are not characters here.
 */
static enum url_guard_result
check_text(const char *url, size_t len, char *err, size_t errlen)
{
	long chars = utf8_chars((const unsigned char *)url, len);
	size_t skip;

	if (chars < 0)
		return bad(err, errlen, URL_GUARD_MSG_BAD);
	if (chars > URL_GUARD_MAX_LEN)
		return bad(err, errlen, URL_GUARD_MSG_LONG);
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)url[i];
		if (c <= 0x20 || c == 0x7f)
			return bad(err, errlen, URL_GUARD_MSG_BAD);
	}
	if (len > 7 && strncasecmp(url, "http://", 7) == 0)
		skip = 7;
	else if (len > 8 && strncasecmp(url, "https://", 8) == 0)
		skip = 8;
	else
		return bad(err, errlen, URL_GUARD_MSG_BAD);
	/* libcurl forgives "http:///host"; an absolute URL has its authority here. */
	if (url[skip] == '/' || url[skip] == '\\')
		return bad(err, errlen, URL_GUARD_MSG_BAD);
	return URL_GUARD_OK;
}

enum url_guard_result
url_guard_check(const char *url, size_t len, int allow_private,
    long long resolve_timeout_ms, char *err, size_t errlen)
{
	CURLU *u = NULL;
	char *copy = NULL, *scheme = NULL, *host = NULL;
	enum url_guard_result r;

	if (errlen > 0)
		err[0] = '\0';
	if ((r = check_text(url, len, err, errlen)) != URL_GUARD_OK)
		return r;
	r = URL_GUARD_BAD;
	if ((copy = malloc(len + 1)) == NULL || (u = curl_url()) == NULL) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	memcpy(copy, url, len);
	copy[len] = '\0';
	/* No CURLU_NON_SUPPORT_SCHEME, no guessing: a real absolute URL only. */
	if (curl_url_set(u, CURLUPART_URL, copy, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
	    (strcasecmp(scheme, "http") != 0 && strcasecmp(scheme, "https") != 0) ||
	    curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK ||
	    host[0] == '\0') {
		bad(err, errlen, URL_GUARD_MSG_BAD);
		goto out;
	}
	r = allow_private ? URL_GUARD_OK :
	    check_host(host, resolve_timeout_ms, err, errlen);
out:
	curl_free(host);
	curl_free(scheme);
	curl_url_cleanup(u);
	free(copy);
	return r;
}
