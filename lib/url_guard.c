/*
 * url_guard: callback URL acceptance. libcurl's URL API checks the syntax
 * (absolute http or https, a host); the host's *addresses* — an IP literal
 * in any form inet_aton or inet_pton reads, else what getaddrinfo returns —
 * must all be globally reachable by the IANA IPv4 and IPv6 special-purpose
 * registries unless private targets are allowed.
 */
#include "url_guard.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>

#define URL_GUARD_MSG_BAD "url must be an absolute http or https URL"
#define URL_GUARD_MSG_LONG "url is longer than 2048 characters"
#define URL_GUARD_MSG_PRIVATE "url points to a private or reserved address"

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

/* URL_GUARD_PRIVATE when host is, or resolves to, any non-global address. */
static enum url_guard_result
check_host(const char *host, char *err, size_t errlen)
{
	struct addrinfo hints, *res = NULL;
	int global = 0;
	enum url_guard_result r = URL_GUARD_OK;

	if (is_localhost_name(host)) {
		r = URL_GUARD_PRIVATE;
	} else if (literal_is_global(host, &global)) {
		if (!global)
			r = URL_GUARD_PRIVATE;
	} else {
		memset(&hints, 0, sizeof(hints));
		hints.ai_family = AF_UNSPEC;
		hints.ai_socktype = SOCK_STREAM;
		/* A name that does not resolve now is accepted; firing checks again. */
		if (getaddrinfo(host, NULL, &hints, &res) == 0) {
			for (struct addrinfo *ai = res; ai != NULL; ai = ai->ai_next)
				if (!url_guard_addr_is_global(ai->ai_addr))
					r = URL_GUARD_PRIVATE;
			freeaddrinfo(res);
		}
	}
	if (r == URL_GUARD_PRIVATE)
		snprintf(err, errlen, "%s", URL_GUARD_MSG_PRIVATE);
	return r;
}

/* Raw text checks before libcurl: length, NUL, spaces, controls, "scheme://host". */
static enum url_guard_result
check_text(const char *url, size_t len, char *err, size_t errlen)
{
	size_t skip;

	if (len > URL_GUARD_MAX_LEN)
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
url_guard_check(const char *url, size_t len, int allow_private, char *err,
    size_t errlen)
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
	r = allow_private ? URL_GUARD_OK : check_host(host, err, errlen);
out:
	curl_free(host);
	curl_free(scheme);
	curl_url_cleanup(u);
	free(copy);
	return r;
}
