/*
 * test_url_guard: URL syntax (absolute http/https with a host, length,
 * NUL and control characters), and the private-address check over every
 * row of the IANA IPv4 and IPv6 special-purpose registries, with the
 * addresses just outside each block as near misses; IP literals in legacy
 * forms, IPv4-mapped and other embeddings, and localhost; the length in
 * characters, not bytes; the bound on resolving (a timeout of 0 resolves
 * nothing, literals never wait, lookups that end give their slot back).
 * No test needs network access: literals are never resolved, names under
 * .invalid never resolve (RFC 6761), and the one name that must resolve
 * is this machine's own, from /etc/hosts (skipped when it does not).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "url_guard.h"

#define MSG_BAD "url must be an absolute http or https URL"
#define MSG_LONG "url is longer than 2048 characters"
#define MSG_PRIVATE "url points to a private or reserved address"

/* The API's default resolve_timeout_ms. */
#define TIMEOUT_MS 2000

static int
v4_global(const char *text)
{
	struct sockaddr_in in;
	memset(&in, 0, sizeof(in));
	in.sin_family = AF_INET;
	if (inet_pton(AF_INET, text, &in.sin_addr) != 1)
		fail_msg("bad test address %s", text);
	return url_guard_addr_is_global((struct sockaddr *)&in);
}

static int
v6_global(const char *text)
{
	struct sockaddr_in6 in6;
	memset(&in6, 0, sizeof(in6));
	in6.sin6_family = AF_INET6;
	if (inet_pton(AF_INET6, text, &in6.sin6_addr) != 1)
		fail_msg("bad test address %s", text);
	return url_guard_addr_is_global((struct sockaddr *)&in6);
}

static enum url_guard_result
check(const char *url, int allow_private, char *err, size_t errlen)
{
	return url_guard_check(url, strlen(url), allow_private, TIMEOUT_MS, err,
	    errlen);
}

static void
expect(const char *url, int allow_private, enum url_guard_result want,
    const char *want_err)
{
	char err[256] = "untouched";
	enum url_guard_result r = check(url, allow_private, err, sizeof(err));
	if (r != want)
		fail_msg("%s (allow_private=%d): got %d, want %d (%s)", url,
		    allow_private, r, want, err);
	if (want_err != NULL && strcmp(err, want_err) != 0)
		fail_msg("%s: message \"%s\", want \"%s\"", url, err, want_err);
}

/* Private without allow_private; accepted with it. */
static void
expect_private(const char *url)
{
	expect(url, 0, URL_GUARD_PRIVATE, MSG_PRIVATE);
	expect(url, 1, URL_GUARD_OK, NULL);
}

/* Each IPv4 special-purpose block: its edges refused, its neighbours global. */
static void
test_ipv4_registry(void **state)
{
	(void)state;
	static const char *const private[] = {
		"0.0.0.0", "0.255.255.255", "10.0.0.0", "10.255.255.255",
		"100.64.0.0", "100.127.255.255", "127.0.0.1", "127.0.0.0",
		"127.255.255.255", "169.254.0.0", "169.254.169.254",
		"169.254.255.255", "172.16.0.0", "172.31.255.255", "192.0.0.0",
		"192.0.0.9", "192.0.0.255", "192.0.2.0", "192.0.2.255",
		"192.88.99.0", "192.88.99.255", "192.168.0.0", "192.168.255.255",
		"198.18.0.0", "198.19.255.255", "198.51.100.0", "198.51.100.255",
		"203.0.113.0", "203.0.113.255", "224.0.0.0", "224.0.0.1",
		"239.255.255.255", "240.0.0.0", "250.1.2.3", "255.255.255.254",
		"255.255.255.255",
	};
	static const char *const global[] = {
		"1.0.0.0", "1.1.1.1", "8.8.8.8", "9.255.255.255", "11.0.0.0",
		"100.63.255.255", "100.128.0.0", "126.255.255.255", "128.0.0.0",
		"169.253.255.255", "169.255.0.0", "172.15.255.255", "172.32.0.0",
		"191.255.255.255", "192.0.1.0", "192.0.3.0", "192.88.98.255",
		"192.88.100.0", "192.167.255.255", "192.169.0.0", "198.17.255.255",
		"198.20.0.0", "198.51.99.255", "198.51.101.0", "203.0.112.255",
		"203.0.114.0", "223.255.255.255",
	};
	for (size_t i = 0; i < sizeof(private) / sizeof(private[0]); i++)
		if (v4_global(private[i]))
			fail_msg("%s taken as global", private[i]);
	for (size_t i = 0; i < sizeof(global) / sizeof(global[0]); i++)
		if (!v4_global(global[i]))
			fail_msg("%s taken as not global", global[i]);
}

static void
test_ipv6_registry(void **state)
{
	(void)state;
	static const char *const private[] = {
		"::", "::1", "::2", "::127.0.0.1", "::8.8.8.8",	/* ::/8 reserved */
		"::ffff:127.0.0.1", "::ffff:7f00:1", "::ffff:10.0.0.1",
		"::ffff:192.168.1.1", "::ffff:0.0.0.0", "::ffff:169.254.169.254",
		"::ffff:100.64.0.1", "::ffff:255.255.255.255",
		"64:ff9b::7f00:1", "64:ff9b::10.0.0.1", "64:ff9b::c0a8:101",
		"64:ff9b:1::", "64:ff9b:1::8.8.8.8", "64:ff9b:1:ffff::1",
		"100::", "100::1", "100::ffff:ffff:ffff:ffff",
		"2001::", "2001::1", "2001:0:4136:e378:8000:63bf:3fff:fdd2",
		"2001:1::1", "2001:2::1", "2001:10::1", "2001:20::1", "2001:1ff::1",
		"2001:1ff:ffff:ffff:ffff:ffff:ffff:ffff",
		"2001:db8::", "2001:db8::1", "2001:db8:ffff:ffff:ffff:ffff:ffff:ffff",
		"2002:7f00:1::", "2002:0a00:1::1", "2002:c0a8:101::1", "2002::",
		"2002:e000:1::1",
		"3fff::", "3fff::1", "3fff:fff:ffff:ffff:ffff:ffff:ffff:ffff",
		"5f00::", "5f00::1", "5f00:ffff::1",
		"fc00::", "fc00::1", "fd12:3456:789a::1", "fdff:ffff::1",
		"fe80::", "fe80::1", "febf:ffff::1",
		"fec0::", "fec0::1", "feff::1",
		"ff00::", "ff02::1", "ff05::2", "ff0e::1", "ffff:ffff::1",
		/* Outside 2000::/3 nothing is allocated global unicast. */
		"400::1", "1fff:ffff::1", "4000::1", "8000::1", "fbff::1", "fe00::1",
	};
	static const char *const global[] = {
		"2606:4700::1", "2606:4700:4700::1111", "2001:4860:4860::8888",
		"2001:200::1", "2001:db7:ffff::1", "2001:db9::1", "2000::1",
		"2003::1", "2a00:1450:4001::1", "3ffe::1", "3fff:1000::1",
		"::ffff:8.8.8.8", "::ffff:1.1.1.1", "::ffff:100.128.0.0",
		"64:ff9b::8.8.8.8", "64:ff9b::101:101", "2002:808:808::1",
		"2002:0101:0101::", "3ffe:ffff::1",
	};
	for (size_t i = 0; i < sizeof(private) / sizeof(private[0]); i++)
		if (v6_global(private[i]))
			fail_msg("%s taken as global", private[i]);
	for (size_t i = 0; i < sizeof(global) / sizeof(global[0]); i++)
		if (!v6_global(global[i]))
			fail_msg("%s taken as not global", global[i]);
}

static void
test_other_families(void **state)
{
	struct sockaddr_un un;
	(void)state;
	memset(&un, 0, sizeof(un));
	un.sun_family = AF_UNIX;
	assert_int_equal(url_guard_addr_is_global((struct sockaddr *)&un), 0);
	assert_int_equal(url_guard_addr_is_global(NULL), 0);
}

static void
test_ipv4_literals_in_urls(void **state)
{
	(void)state;
	static const char *const private[] = {
		"http://127.0.0.1/", "http://127.0.0.1:8080/x", "https://10.0.0.1/",
		"http://100.64.0.1/", "http://169.254.169.254/latest/meta-data/",
		"http://172.16.0.1/", "http://192.0.0.1/", "http://192.0.2.1/",
		"http://192.88.99.1/", "http://192.168.1.1/", "http://198.18.0.1/",
		"http://198.51.100.1/", "http://203.0.113.1/", "http://224.0.0.1/",
		"http://240.0.0.1/", "http://255.255.255.255/", "http://0.0.0.0/",
		/* Every legacy form inet_aton reads. */
		"http://2130706433/", "http://127.1/", "http://127.0.1/",
		"http://0x7f.1/", "http://0x7f000001/", "http://0X7F.0.0.1/",
		"http://0177.0.0.1/", "http://017700000001/", "http://0/",
		"http://10.1/", "http://3232235777/", "http://0xa9fea9fe/",
		"http://127.0.0.1./", "http://%31%32%37.0.0.1/",
		/* userinfo must not fool the host check */
		"http://8.8.8.8@127.0.0.1/", "http://user:8.8.8.8@127.0.0.1:80/",
		"http://127.0.0.1#@8.8.8.8/", "http://127.0.0.1?@8.8.8.8/",
	};
	for (size_t i = 0; i < sizeof(private) / sizeof(private[0]); i++)
		expect_private(private[i]);
	expect("http://8.8.8.8/", 0, URL_GUARD_OK, "");
	expect("https://1.1.1.1:443/path?q=1#f", 0, URL_GUARD_OK, "");
	expect("http://134744072/", 0, URL_GUARD_OK, "");	/* 8.8.8.8 */
	expect("http://8.8.2056/", 0, URL_GUARD_OK, "");	/* 8.8.8.8 */
	expect("http://127.0.0.1@8.8.8.8/", 0, URL_GUARD_OK, "");
}

static void
test_ipv6_literals_in_urls(void **state)
{
	(void)state;
	static const char *const private[] = {
		"http://[::]/", "http://[::1]/", "http://[::1]:8080/x",
		"http://[0:0:0:0:0:0:0:1]/", "http://[::ffff:127.0.0.1]/",
		"http://[::ffff:7f00:1]/", "http://[::FFFF:10.0.0.1]/",
		"http://[::ffff:192.168.0.1]:80/", "http://[::127.0.0.1]/",
		"http://[64:ff9b::127.0.0.1]/", "http://[64:ff9b:1::1]/",
		"http://[100::1]/", "http://[2001::1]/", "http://[2001:db8::1]/",
		"http://[2002:7f00:1::1]/", "http://[fc00::1]/", "http://[fd00::1]/",
		"http://[fe80::1]/", "http://[fe80::1%25eth0]/", "http://[fe80::1%25lo]:81/",
		"http://[fec0::1]/", "http://[ff02::1]/", "http://[3fff::1]/",
		"http://[5f00::1]/", "https://[::1]/",
	};
	for (size_t i = 0; i < sizeof(private) / sizeof(private[0]); i++)
		expect_private(private[i]);
	expect("http://[2606:4700::1]/", 0, URL_GUARD_OK, "");
	expect("https://[2001:4860:4860::8888]:443/x", 0, URL_GUARD_OK, "");
	expect("http://[::ffff:8.8.8.8]/", 0, URL_GUARD_OK, "");
	expect("http://[2002:808:808::1]/", 0, URL_GUARD_OK, "");
}

/* libcurl resolves "localhost" and "*.localhost" itself, so do we. */
static void
test_localhost(void **state)
{
	(void)state;
	expect_private("http://localhost/");
	expect_private("http://localhost:8080/callback");
	expect_private("http://LOCALHOST/");
	expect_private("http://LocalHost./");
	expect_private("http://localhost./");
	expect_private("http://foo.localhost/");
	expect_private("http://a.b.localhost:9/");
	expect_private("https://user:pw@localhost/");
}

/* A name that does not resolve is accepted; firing checks it again. */
static void
test_unresolvable_accepted(void **state)
{
	(void)state;
	expect("http://nonexistent.invalid/", 0, URL_GUARD_OK, "");
	expect("https://notlocalhost.invalid/x", 0, URL_GUARD_OK, "");
	expect("http://localhost.invalid/", 0, URL_GUARD_OK, "");
	expect("http://xlocalhost.invalid/", 0, URL_GUARD_OK, "");
}

static void
test_syntax(void **state)
{
	(void)state;
	static const char *const bad[] = {
		"", "example.com", "example.com/path", "//example.com/",
		"/path", "ftp://example.com/", "file:///etc/passwd",
		"gopher://example.com/", "mailto:a@example.com", "javascript:alert(1)",
		"data:text/plain,x", "ws://example.com/", "http://", "https://",
		"http:///example.com", "http:/example.com", "http:example.com",
		"http:\\\\example.com", "http://\\example.com", "http://:80/",
		"http://user@/", "http://[::1/", "http://[zz::1]/",
		"http://example.com:99999/", "http://example.com:-1/",
		"http://exa mple.com/", "http://example.com/a b",
		" http://example.com/", "http://example.com/ ", "http://example.com/\t",
		"http://example.com/\n", "http://example.com/\r\n", "http://ex\x01.com/",
		"http://example.com/\x7f", "htp://example.com/", "http//example.com/",
		"https//example.com/", "httpx://example.com/", "http:",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		expect(bad[i], 0, URL_GUARD_BAD, MSG_BAD);
		expect(bad[i], 1, URL_GUARD_BAD, MSG_BAD);
	}
	/* Scheme and host are case-insensitive; a port, path, query are fine. */
	expect("HTTP://8.8.8.8/", 0, URL_GUARD_OK, "");
	expect("HtTpS://8.8.8.8:8443/a/b?c=d&e=f#g", 0, URL_GUARD_OK, "");
	expect("http://nonexistent.invalid:1/", 0, URL_GUARD_OK, "");
	expect("https://user:pw@nonexistent.invalid/x", 1, URL_GUARD_OK, "");
}

static void
test_nul_inside(void **state)
{
	char err[256];
	static const char url[] = "http://8.8.8.8/\0@127.0.0.1/";
	static const char url2[] = "http://127.0.0.1\0.example.com/";
	(void)state;
	assert_int_equal(url_guard_check(url, sizeof(url) - 1, 1, TIMEOUT_MS, err,
	    sizeof(err)), URL_GUARD_BAD);
	assert_string_equal(err, MSG_BAD);
	assert_int_equal(url_guard_check(url2, sizeof(url2) - 1, 0, TIMEOUT_MS,
	    err, sizeof(err)), URL_GUARD_BAD);
	/* len bounds the URL: bytes after it are not read. */
	assert_int_equal(url_guard_check("http://8.8.8.8/ junk", 15, 0,
	    TIMEOUT_MS, err, sizeof(err)), URL_GUARD_OK);
}

/*
 * A URL of n characters: scheme and literal host, then a path of copies
 * of unit (one character, of any byte length); *len gets its bytes.
 */
static char *
url_of(size_t n, const char *unit, size_t *len)
{
	static const char head[] = "http://8.8.8.8/";
	size_t hl = sizeof(head) - 1, ul = strlen(unit);
	char *url = malloc(hl + (n - hl) * ul + 1);

	assert_non_null(url);
	memcpy(url, head, hl);
	*len = hl;
	for (size_t i = hl; i < n; i++, *len += ul)
		memcpy(url + *len, unit, ul);
	url[*len] = '\0';
	return url;
}

static enum url_guard_result
check_n(size_t n, const char *unit, int allow_private, char *err)
{
	size_t len;
	char *url = url_of(n, unit, &len);
	enum url_guard_result r = url_guard_check(url, len, allow_private,
	    TIMEOUT_MS, err, 256);
	free(url);
	return r;
}

/* docs/API.md §7.2: at most 2048 characters, whatever their UTF-8 length. */
static void
test_length(void **state)
{
	/* 1, 2, 3 and 4 bytes a character: a, e-acute, euro sign, U+1F600. */
	static const char *const units[] = { "a", "\xc3\xa9", "\xe2\x82\xac",
	    "\xf0\x9f\x98\x80" };
	char err[256];
	(void)state;
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		if (check_n(URL_GUARD_MAX_LEN, units[i], 0, err) != URL_GUARD_OK)
			fail_msg("2048 characters of %zu bytes refused: %s", i + 1, err);
		assert_string_equal(err, "");
		assert_int_equal(check_n(URL_GUARD_MAX_LEN + 1, units[i], 0, err),
		    URL_GUARD_BAD);
		assert_string_equal(err, MSG_LONG);
		assert_int_equal(check_n(URL_GUARD_MAX_LEN + 1, units[i], 1, err),
		    URL_GUARD_BAD);
		assert_string_equal(err, MSG_LONG);
	}
}

/* libcurl takes non-ASCII hosts and paths; what is not UTF-8 is BAD. */
static void
test_utf8(void **state)
{
	static const char *const bad[] = {
		"http://8.8.8.8/\xff", "http://8.8.8.8/\x80", "http://8.8.8.8/\xc3",
		"http://8.8.8.8/\xc0\xaf", "http://8.8.8.8/\xc1\xbf",	/* overlong */
		"http://8.8.8.8/\xe0\x80\xaf", "http://8.8.8.8/\xf0\x80\x80\xaf",
		"http://8.8.8.8/\xed\xa0\x80",			/* U+D800 */
		"http://8.8.8.8/\xf4\x90\x80\x80",		/* U+110000 */
		"http://8.8.8.8/\xf5\x80\x80\x80", "http://8.8.8.8/\xe2\x82",
		"http://8.8.8.8/\xe2\x82" "a", "http://b\xfc" "cher.invalid/",
	};
	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		expect(bad[i], 0, URL_GUARD_BAD, MSG_BAD);
		expect(bad[i], 1, URL_GUARD_BAD, MSG_BAD);
	}
	expect("http://8.8.8.8/caf\xc3\xa9", 0, URL_GUARD_OK, "");
	expect("http://8.8.8.8/\xef\xbf\xbf\xf4\x8f\xbf\xbf", 0, URL_GUARD_OK, "");
	expect("http://b\xc3\xbc" "cher.invalid/x", 1, URL_GUARD_OK, "");
	expect("http://[::1]/caf\xc3\xa9", 0, URL_GUARD_PRIVATE, MSG_PRIVATE);
}

static long long
elapsed_ms(const struct timespec *t0)
{
	struct timespec t1;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (long long)(t1.tv_sec - t0->tv_sec) * 1000 +
	    (t1.tv_nsec - t0->tv_nsec) / 1000000;
}

/*
 * This machine's own name into host, when /etc/hosts (or another source)
 * maps it to a non-global address: a name that resolves with no network.
 * 0 when it does not (the tests using it are skipped).
 */
static int
own_private_name(char *host, size_t size)
{
	struct addrinfo hints, *res = NULL;
	int private = 0;

	if (gethostname(host, size) != 0)
		return 0;
	host[size - 1] = '\0';
	memset(&hints, 0, sizeof(hints));
	hints.ai_socktype = SOCK_STREAM;
	if (host[0] == '\0' || strchr(host, '%') != NULL ||
	    getaddrinfo(host, NULL, &hints, &res) != 0)
		return 0;
	for (struct addrinfo *ai = res; ai != NULL; ai = ai->ai_next)
		private |= !url_guard_addr_is_global(ai->ai_addr);
	freeaddrinfo(res);
	return private;
}

/*
 * A timeout of 0 (or less) resolves no name: each is accepted as one that
 * does not resolve, even one that resolves to loopback; literals and
 * localhost are still refused, at once.
 */
static void
test_timeout_zero(void **state)
{
	char err[256], host[256], url[300];
	struct timespec t0;
	(void)state;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (long long t = -1; t <= 0; t++) {
		assert_int_equal(url_guard_check("http://127.0.0.1/", 17, 0, t, err,
		    sizeof(err)), URL_GUARD_PRIVATE);
		assert_string_equal(err, MSG_PRIVATE);
		assert_int_equal(url_guard_check("http://[::1]/", 13, 0, t, err,
		    sizeof(err)), URL_GUARD_PRIVATE);
		assert_int_equal(url_guard_check("http://localhost/", 17, 0, t, err,
		    sizeof(err)), URL_GUARD_PRIVATE);
		assert_int_equal(url_guard_check("http://8.8.8.8/", 15, 0, t, err,
		    sizeof(err)), URL_GUARD_OK);
		assert_string_equal(err, "");
	}
	if (elapsed_ms(&t0) > 200)
		fail_msg("literals took %lld ms", elapsed_ms(&t0));
	if (!own_private_name(host, sizeof(host)))
		skip();
	snprintf(url, sizeof(url), "http://%s/", host);
	assert_int_equal(check(url, 0, err, sizeof(err)), URL_GUARD_PRIVATE);
	assert_int_equal(url_guard_check(url, strlen(url), 0, 0, err,
	    sizeof(err)), URL_GUARD_OK);
	assert_string_equal(err, "");
}

/*
 * A name that resolves to a non-global address is looked up through the
 * guard's pool and refused; more lookups than it keeps slots for, one
 * after another, are all refused too: each that ends gives its slot back.
 */
static void
test_resolved_name_refused(void **state)
{
	char host[256], url[300], err[256];
	(void)state;
	if (!own_private_name(host, sizeof(host)))
		skip();
	snprintf(url, sizeof(url), "http://%s:8080/callback", host);
	for (int i = 0; i < 40; i++) {
		enum url_guard_result r = url_guard_check(url, strlen(url), 0,
		    TIMEOUT_MS, err, sizeof(err));
		if (r != URL_GUARD_PRIVATE)
			fail_msg("lookup %d of %s: got %d (%s)", i + 1, host, r, err);
		assert_string_equal(err, MSG_PRIVATE);
	}
	expect(url, 1, URL_GUARD_OK, "");
}

/* A name longer than DNS carries cannot resolve: accepted unlooked-up. */
static void
test_overlong_name(void **state)
{
	char url[400];
	(void)state;
	memcpy(url, "http://", 7);
	for (size_t i = 0; i < 5; i++) {
		memset(url + 7 + i * 60, 'a', 59);
		url[7 + i * 60 + 59] = '.';
	}
	memcpy(url + 7 + 300, "invalid/", 9);
	expect(url, 0, URL_GUARD_OK, "");
}

/* With allow_private every literal and name form passes; syntax still counts. */
static void
test_allow_private_accepts_all(void **state)
{
	(void)state;
	expect("http://127.0.0.1/", 1, URL_GUARD_OK, "");
	expect("http://localhost:8080/", 1, URL_GUARD_OK, "");
	expect("http://[::1]/", 1, URL_GUARD_OK, "");
	expect("http://2130706433/", 1, URL_GUARD_OK, "");
	expect("http://[fe80::1%25eth0]/", 1, URL_GUARD_OK, "");
	expect("ftp://127.0.0.1/", 1, URL_GUARD_BAD, MSG_BAD);
}

static void
test_small_error_buffer(void **state)
{
	char err[8];
	(void)state;
	assert_int_equal(check("http://127.0.0.1/", 0, err, sizeof(err)), URL_GUARD_PRIVATE);
	assert_int_equal(strlen(err), sizeof(err) - 1);
	assert_int_equal(check("nope", 0, err, sizeof(err)), URL_GUARD_BAD);
	assert_int_equal(strlen(err), sizeof(err) - 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ipv4_registry),
		cmocka_unit_test(test_ipv6_registry),
		cmocka_unit_test(test_other_families),
		cmocka_unit_test(test_ipv4_literals_in_urls),
		cmocka_unit_test(test_ipv6_literals_in_urls),
		cmocka_unit_test(test_localhost),
		cmocka_unit_test(test_unresolvable_accepted),
		cmocka_unit_test(test_syntax),
		cmocka_unit_test(test_nul_inside),
		cmocka_unit_test(test_length),
		cmocka_unit_test(test_utf8),
		cmocka_unit_test(test_timeout_zero),
		cmocka_unit_test(test_resolved_name_refused),
		cmocka_unit_test(test_overlong_name),
		cmocka_unit_test(test_allow_private_accepts_all),
		cmocka_unit_test(test_small_error_buffer),
	};
	return cmocka_run_group_tests_name("url_guard", tests, NULL, NULL);
}
