/*
 * url_guard: decides whether a callback URL is acceptable. Syntax is
 * checked with libcurl's URL API; the host's addresses (an IP literal in
 * any form, or what the name resolves to) must all be globally reachable
 * unless private targets are allowed; a name gets a bounded time to
 * resolve. The dispatcher calls url_guard_addr_is_global again at connect
 * time.
 */
#ifndef SCHED_URL_GUARD_H
#define SCHED_URL_GUARD_H

#include <stddef.h>
#include <sys/socket.h>

/* In characters (Unicode code points), as docs/API.md §7.2 says. */
#define URL_GUARD_MAX_LEN 2048

enum url_guard_result {
	URL_GUARD_OK = 0,
	URL_GUARD_BAD = -1,	/* not UTF-8, too long, or no absolute http(s) URL */
	URL_GUARD_PRIVATE = -2,	/* a host address is not globally reachable */
};

/*
 * 1 when the address is globally reachable by the IANA special-purpose
 * registries (IPv4 and IPv6, IPv4-mapped and other embeddings included),
 * 0 otherwise (loopback, private, link-local, CGNAT, documentation,
 * benchmarking, multicast, reserved, unspecified, ULA, ...).
 */
int url_guard_addr_is_global(const struct sockaddr *sa);

/*
 * Checks url (len bytes of UTF-8; a NUL inside, or bytes that are not
 * UTF-8, are BAD; at most URL_GUARD_MAX_LEN characters, i.e. code
 * points). When allow_private is 0, resolves the host and refuses it if
 * any address is not global. A host that does not resolve, or has not
 * resolved within resolve_timeout_ms (<= 0: names are not looked up at
 * all), is accepted: the dispatcher checks its addresses when it fires.
 * The lookup runs in glibc's getaddrinfo_a helper thread; one still
 * running at the timeout keeps a slot of a small per-process pool until
 * it ends, and with every slot taken a name counts as not resolved in
 * time. Not thread-safe (the pool is per process): one calling thread.
 * err gets a client-facing reason.
 */
enum url_guard_result url_guard_check(const char *url, size_t len,
    int allow_private, long long resolve_timeout_ms, char *err,
    size_t errlen);

#endif
