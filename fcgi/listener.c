/*
 * listener: unix or TCP listening socket for the pre-forked workers, and
 * the accept of one connection. The socket is non-blocking so a worker
 * that loses the accept race to a sibling goes back to poll() instead of
 * blocking in accept(). A unix socket file is mode 0660: only its owner
 * and its group (`listen_group`, the web server's) may connect.
 */
#include "listener.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

/* Mode of the unix socket file: owner and group read and write. */
#define LISTENER_UNIX_MODE 0660

static int
listener_is_unix(const char *spec)
{
	return strchr(spec, '/') != NULL;
}

/*
 * The gid of group (a name, or a number), or (gid_t)-1 when group is
 * empty: the socket keeps the group it was created with. 0 or -1.
 */
static int
listener_group(const char *group, gid_t *gid, char *err, size_t errlen)
{
	struct group gr, *found = NULL;
	char buf[16384], *end;	/* a group entry lists its members */
	unsigned long n;
	int rc;

	*gid = (gid_t)-1;
	if (group[0] == '\0')
		return 0;
	rc = getgrnam_r(group, &gr, buf, sizeof(buf), &found);
	if (rc == 0 && found != NULL) {
		*gid = found->gr_gid;
		return 0;
	}
	errno = 0;
	n = strtoul(group, &end, 10);
	if (group[0] >= '0' && group[0] <= '9' && *end == '\0' && errno == 0 &&
	    n < (unsigned long)(gid_t)-1) {
		*gid = (gid_t)n;
		return 0;
	}
	if (rc != 0 && rc != ENOENT && rc != ESRCH)
		snprintf(err, errlen, "listen_group: looking up %s: %s", group,
		    strerror(rc));
	else
		snprintf(err, errlen, "listen_group: no such group: %s", group);
	return -1;
}

/*
 * Binds fd to path with the file created as LISTENER_UNIX_MODE: the umask
 * applies to bind(), so the socket never exists with a wider mode, not
 * even for a moment before a chmod. Then gives it the group gid.
 */
static int
listener_bind_unix(int fd, const struct sockaddr_un *sa, gid_t gid,
    char *err, size_t errlen)
{
	struct stat st;
	mode_t old = umask(0777 & ~LISTENER_UNIX_MODE);
	int rc = bind(fd, (const struct sockaddr *)sa, sizeof(*sa));
	int saved = errno;

	umask(old);
	if (rc < 0) {
		snprintf(err, errlen, "bind %s: %s", sa->sun_path, strerror(saved));
		return -1;
	}
	/* lchown: never follow a link someone put in the socket's place. */
	if (gid != (gid_t)-1 && lchown(sa->sun_path, (uid_t)-1, gid) < 0) {
		snprintf(err, errlen, "listen_group: chown %s: %s (the service "
		    "must be a member of the group)", sa->sun_path, strerror(errno));
		return -1;
	}
	if (lstat(sa->sun_path, &st) < 0 || !S_ISSOCK(st.st_mode) ||
	    (st.st_mode & 07777) != LISTENER_UNIX_MODE) {
		snprintf(err, errlen, "listen: %s is not a socket of mode %o",
		    sa->sun_path, LISTENER_UNIX_MODE);
		return -1;
	}
	return 0;
}

static int
listener_unix(const char *path, const char *group, char *err, size_t errlen)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	gid_t gid;
	int fd;

	if (strlen(path) >= sizeof(sa.sun_path)) {
		snprintf(err, errlen, "listen: socket path too long: %s", path);
		return -1;
	}
	if (listener_group(group, &gid, err, errlen) < 0)
		return -1;
	memcpy(sa.sun_path, path, strlen(path) + 1);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		snprintf(err, errlen, "socket: %s", strerror(errno));
		return -1;
	}
	/* A stale socket file from a crash would make bind fail. */
	(void)unlink(path);
	if (listener_bind_unix(fd, &sa, gid, err, errlen) < 0) {
		close(fd);
		(void)unlink(path);
		return -1;
	}
	return fd;
}

static int
listener_tcp(const char *spec, char *err, size_t errlen)
{
	char host[256];
	const char *colon = strrchr(spec, ':');
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM, .ai_flags = AI_PASSIVE };
	struct addrinfo *res;
	int fd, one = 1, rc;

	if (colon == NULL || (size_t)(colon - spec) >= sizeof(host)) {
		snprintf(err, errlen, "listen: expected a socket path or host:port, "
		    "got \"%s\"", spec);
		return -1;
	}
	memcpy(host, spec, (size_t)(colon - spec));
	host[colon - spec] = '\0';
	/* [::1]:9000 names an IPv6 host in brackets. */
	char *h = host;
	if (h[0] == '[' && h[strlen(h) - 1] == ']') {
		h[strlen(h) - 1] = '\0';
		h++;
	}
	rc = getaddrinfo(*h ? h : NULL, colon + 1, &hints, &res);
	if (rc != 0) {
		snprintf(err, errlen, "listen %s: %s", spec, gai_strerror(rc));
		return -1;
	}
	fd = socket(res->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0 ||
	    bind(fd, res->ai_addr, res->ai_addrlen) < 0) {
		snprintf(err, errlen, "bind %s: %s", spec, strerror(errno));
		if (fd >= 0)
			close(fd);
		fd = -1;
	}
	freeaddrinfo(res);
	return fd;
}

int
listener_open(const char *spec, int backlog, const char *group, char *err,
    size_t errlen)
{
	int fd = listener_is_unix(spec) ? listener_unix(spec, group, err, errlen) :
	    listener_tcp(spec, err, errlen);

	if (fd < 0)
		return -1;
	if (listen(fd, backlog) < 0) {
		snprintf(err, errlen, "listen %s: %s", spec, strerror(errno));
		close(fd);
		return -1;
	}
	if (fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) < 0) {
		snprintf(err, errlen, "fcntl %s: %s", spec, strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

int
listener_accept(int listen_fd)
{
	int one = 1;
	int fd = accept4(listen_fd, NULL, NULL, SOCK_CLOEXEC);

	if (fd < 0)
		return -1;
	/* Answers go out whole: no Nagle delay on TCP (fails harmlessly on unix). */
	(void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	return fd;
}

void
listener_cleanup(const char *spec)
{
	if (listener_is_unix(spec))
		(void)unlink(spec);
}
