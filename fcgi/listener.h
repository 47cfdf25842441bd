/*
 * listener: opens the FastCGI listening socket with socket/bind/listen
 * (FCGX_OpenSocket would exit() on a bind error). A `listen` value with a
 * '/' is a unix socket path; otherwise it is host:port.
 */
#ifndef SCHED_LISTENER_H
#define SCHED_LISTENER_H

#include <stddef.h>

/* Returns a non-blocking listening fd, or -1 with the reason in err. */
int listener_open(const char *listen_spec, int backlog, char *err, size_t errlen);
/* Removes a unix socket file (no-op for TCP). */
void listener_cleanup(const char *listen_spec);

#endif
