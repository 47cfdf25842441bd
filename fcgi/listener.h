/*
 * listener: opens the FastCGI listening socket with socket/bind/listen
 * (FCGX_OpenSocket would exit() on a bind error) and accepts on it. A
 * `listen` value with a '/' is a unix socket path; otherwise host:port.
 */
#ifndef SCHED_LISTENER_H
#define SCHED_LISTENER_H

#include <stddef.h>

/*
 * Returns a non-blocking listening fd, or -1 with the reason in err. A unix
 * socket file is created mode 0660 and given group (a name or gid; empty:
 * the process's group).
 */
int listener_open(const char *listen_spec, int backlog, const char *group,
    char *err, size_t errlen);
/*
 * Accepts one connection on the non-blocking listen_fd; the new fd blocks
 * (libfcgi reads it with plain read()). -1 with errno when there is none
 * (EAGAIN: a sibling worker took it).
 */
int listener_accept(int listen_fd);
/* Removes a unix socket file (no-op for TCP). */
void listener_cleanup(const char *listen_spec);

#endif
