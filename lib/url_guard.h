/*
 * url_guard: decides whether a callback URL is acceptable. Syntax is
 * checked with libcurl's URL API; the host's addresses (an IP literal in
 * any form, or what the name resolves to) must all be globally reachable
 * unless private targets are allowed. The dispatcher calls
 * url_guard_addr_is_global again at connect time.
 */
#ifndef SCHED_URL_GUARD_H
#define SCHED_URL_GUARD_H

#include <stddef.h>
#include <sys/socket.h>

#define URL_GUARD_MAX_LEN 2048

enum url_guard_result {
	URL_GUARD_OK = 0,
	URL_GUARD_BAD = -1,	/* not an absolute http(s) URL with a host, or too long */
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
 * Checks url (len bytes; a NUL inside is BAD). When allow_private is 0,
 * resolves the host and refuses it if any address is not global; a host
 * that does not resolve is accepted. err gets a client-facing reason.
 */
enum url_guard_result url_guard_check(const char *url, size_t len,
    int allow_private, char *err, size_t errlen);

#endif
