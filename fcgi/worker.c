/*
 * worker: the request loop. Signals are blocked for the whole life of the
 * process and read from a signalfd next to the listening socket, so a
 * signal can never interrupt a request half-way (the database client never
 * sees EINTR) and SIGTERM lets the request in progress finish. The one
 * exception is the *deadline*: while a worker reads a request from the web
 * server, or writes the answer back, SIGALRM after request_read_timeout
 * seconds shuts that connection down, so a peer that sends part of a
 * request (or reads nothing) cannot hold the worker.
 */
#include "worker.h"

#include <errno.h>
#include <fcgiapp.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include "auth.h"
#include "cors.h"
#include "cron.h"
#include "db_answer.h"
#include "handlers.h"
#include "listener.h"
#include "log.h"
#include "metrics.h"
#include "router.h"

/*
 * The request connection: it waits 5 s on the database before giving up;
 * after a failed connect, requests answer 503 at once for 0.5 s; a lost
 * connection is replaced by the next request. A kept connection that died
 * while idle fails at once; one that fails slower than 0.5 s timed out on
 * a hung database, and retrying on a new connection would only double the
 * wait. Each connect and failure is logged: each is a request's answer.
 */
static const struct dbconn_rules worker_db_rules = {
	.timeout_s = 5,
	.pause_min_ms = 500,
	.pause_max_ms = 500,
	.stale_ms = 500,
	.log = DBCONN_LOG_EACH,
};

/*
 * /health's own connection, with 1 s timeouts: /health never waits longer
 * on the database (docs/API.md §21). Every check may connect (no pause);
 * ops_api.c logs its failures. A kept one gets one more try as above.
 */
static const struct dbconn_rules worker_health_rules = {
	.timeout_s = 1,
	.stale_ms = 500,
	.log = DBCONN_LOG_NONE,
};

static struct worker_ctx worker;

/*
 * The connection under the deadline (-1: none), and whether the deadline
 * ended it. Written by the loop, read by the SIGALRM handler.
 */
static volatile sig_atomic_t worker_deadline_fd = -1;
static volatile sig_atomic_t worker_deadline_hit;

/*
 * shutdown() is async-signal-safe. A read() blocked on the connection then
 * sees end of file and a write() fails (SA_RESTART restarts them into
 * that), so libfcgi gives up on the request and closes the connection; its
 * close, which reads until the peer stops sending, ends at once too.
 */
static void
worker_deadline_expired(int sig)
{
	int fd = worker_deadline_fd;

	(void)sig;
	if (fd >= 0) {
		worker_deadline_hit = 1;
		(void)shutdown(fd, SHUT_RDWR);
	}
}

/* fd is shut down unless worker_deadline_stop() comes first. */
static void
worker_deadline_start(int fd)
{
	worker_deadline_hit = 0;
	worker_deadline_fd = fd;
	alarm((unsigned)worker.cfg->request_read_timeout);
}

static void
worker_deadline_stop(void)
{
	alarm(0);
	worker_deadline_fd = -1;
}

/*
 * A whole total, not a pause between reads: a peer trickling one byte a
 * second is cut off as surely as one that stopped.
 */
static void
worker_deadline_install(void)
{
	struct sigaction sa = { .sa_handler = worker_deadline_expired,
	    .sa_flags = SA_RESTART };
	sigset_t set;

	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGALRM, &sa, NULL) < 0)
		fatal("sigaction SIGALRM");
	sigemptyset(&set);
	sigaddset(&set, SIGALRM);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
}

struct db *
worker_db_get(struct request *req)
{
	struct worker_ctx *ctx = req->ctx;

	if (!dbconn_ensure(&ctx->db, ctx->cfg, dbconn_now_ms()))
		return NULL;
	return &ctx->db.db;
}

int
worker_db_check(struct request *req, int rc)
{
	struct dbconn *c = &req->ctx->db;
	int64_t now = dbconn_now_ms();

	(void)dbconn_check(c, rc, "a request", now);
	return dbconn_retry(c, rc, now);
}

/* Reads the body; more than HTTP_BODY_MAX bytes marks it too large. */
static int
worker_read_body(FCGX_Request *fr, struct request *req)
{
	size_t cap = HTTP_BODY_MAX + 1;
	int n;

	req->body = malloc(cap + 1);
	if (req->body == NULL)
		return -1;
	while (req->body_len < cap &&
	    (n = FCGX_GetStr(req->body + req->body_len, (int)(cap - req->body_len),
	    fr->in)) > 0)
		req->body_len += (size_t)n;
	if (req->body_len > HTTP_BODY_MAX) {
		req->body_too_large = 1;
		/* Drain the rest so the connection can finish cleanly. */
		char sink[4096];
		while (FCGX_GetStr(sink, sizeof(sink), fr->in) > 0)
			;
	}
	req->body[req->body_len] = '\0';
	return 0;
}

/*
 * Authenticates on the worker's connection. A missing or malformed header
 * is refused without the database, so it is 401 even while the database is
 * away. A connection kept from earlier requests may have died while idle
 * (the database restarted): the token lookup is a read, so it is tried once
 * more on a new connection rather than answering 503 while the database is
 * back.
 */
static int
worker_auth(struct request *req, struct response *res, int with_task)
{
	size_t len;

	if (auth_parse_bearer(req->authorization, &len) == NULL)
		return auth_deny(res);
	for (int attempt = 0; attempt < 2; attempt++) {
		struct db *db = db_answer_open(req, res);

		if (db == NULL)
			return -1;
		if (auth_request(req, db, res, with_task) == 0)
			return 0;
		if (!db_answer_is_away(res) || !worker_db_check(req, DB_AWAY))
			return -1;
		http_response_free(res);
		res->status = 0;
	}
	return -1;
}

/*
 * The order of checks of docs/API.md §4: size, route, method, auth; then
 * the handler.
 */
static void
worker_dispatch(struct request *req, struct response *res)
{
	const struct route *route;
	char allow[64];

	if (req->body_too_large) {
		http_error(res, 413, MSG_TOO_LARGE, NULL);
		return;
	}
	switch (router_match(api_routes, api_routes_count, req->method, req->path,
	    &route, req->id, sizeof(req->id), allow, sizeof(allow))) {
	case ROUTER_NOT_FOUND:
		http_error(res, 404, MSG_NOT_FOUND, NULL);
		return;
	case ROUTER_BAD_METHOD:
		http_error(res, 405, MSG_METHOD, NULL);
		snprintf(res->allow, sizeof(res->allow), "%s", allow);
		return;
	case ROUTER_OPTIONS:
		/* Before auth: a browser's preflight never carries a token. */
		cors_options(req, res, allow);
		return;
	case ROUTER_FOUND:
		break;
	}
	if (route->auth != ROUTE_PUBLIC &&
	    worker_auth(req, res, route->auth == ROUTE_USER_TASK) < 0)
		return;
	route->handler(req, res);
}

/*
 * Logs why the request on the connection was dropped: what of it had not
 * arrived, and whether the deadline or the peer ended it.
 */
static void
worker_log_dropped(const char *what)
{
	if (worker_deadline_hit)
		log_warnx("%s not received whole within request_read_timeout "
		    "(%llds): connection dropped", what,
		    worker.cfg->request_read_timeout);
	else	/* a health probe that connects and closes, say */
		log_debug("%s not received whole: the connection failed", what);
}

/*
 * One request whose parameters FCGX_Accept_r has read under the deadline
 * started on conn: reads the body (still under it), answers without it
 * (the database has its own timeouts), writes the answer under a new one,
 * which it leaves running for the close. A body that did not arrive whole
 * is not acted on: -1, nothing written.
 */
static int
worker_handle(FCGX_Request *fr, int conn)
{
	struct request req = { 0 };
	struct response res = { 0 };
	const char *uri = FCGX_GetParam("REQUEST_URI", fr->envp);
	const char *query = FCGX_GetParam("QUERY_STRING", fr->envp);
	int rc = 0;

	req.ctx = &worker;
	req.method = FCGX_GetParam("REQUEST_METHOD", fr->envp);
	req.authorization = FCGX_GetParam("HTTP_AUTHORIZATION", fr->envp);
	req.idempotency_key = FCGX_GetParam("HTTP_IDEMPOTENCY_KEY", fr->envp);
	req.if_match = FCGX_GetParam("HTTP_IF_MATCH", fr->envp);
	req.origin = FCGX_GetParam("HTTP_ORIGIN", fr->envp);
	req.cors_method = FCGX_GetParam("HTTP_ACCESS_CONTROL_REQUEST_METHOD", fr->envp);
	req.query = query ? query : "";
	if (req.method == NULL)
		req.method = "";
	if (worker_read_body(fr, &req) < 0)
		http_error(&res, 500, MSG_INTERNAL, NULL);
	else if (FCGX_GetError(fr->in) != 0) {
		rc = -1;
		goto out;
	} else if (uri == NULL || router_normalize_path(uri, req.path, sizeof(req.path)) < 0)
		http_error(&res, 404, MSG_NOT_FOUND, NULL);
	else {
		worker_deadline_stop();
		worker_dispatch(&req, &res);
	}
	if (res.status == 0)
		http_error(&res, 500, MSG_INTERNAL, NULL);
	cors_finish(&req, &res);
	worker_deadline_start(conn);
	http_write(&res, fr->out);
	metrics_count_request(res.status);
	log_debug("%s %s %d", req.method, req.path, res.status);
out:
	http_response_free(&res);
	free(req.body);
	json_object_put(req.task);
	return rc;
}

/*
 * Serves the one request of the accepted connection conn, and closes it.
 * libfcgi reads the request from the descriptor it is handed: with
 * keepConnection set beforehand FCGX_Accept_r does not close it before
 * use, and since the request's listening socket is -1, libfcgi never
 * accepts a connection itself (one that would escape the deadline). One
 * request per connection: nginx keeps none (no fastcgi_keep_conn), and a
 * kept connection would pin the worker.
 */
static void
worker_serve(FCGX_Request *fr, int conn)
{
	const char *dropped = NULL;

	fr->ipcFd = conn;
	fr->keepConnection = 1;
	worker_deadline_start(conn);
	if (FCGX_Accept_r(fr) < 0) {
		/* libfcgi closed conn already: nothing to finish. */
		worker_deadline_stop();
		worker_log_dropped("a FastCGI request");
		return;
	}
	/* libfcgi ends the parameters at a failed read as at their end. */
	if (FCGX_GetError(fr->in) != 0)
		dropped = "the request parameters";
	else if (worker_handle(fr, conn) < 0)
		dropped = "the request body";
	/* Flushes the answer, then waits for the peer to close: under the deadline. */
	fr->keepConnection = 0;
	FCGX_Finish_r(fr);
	worker_deadline_stop();
	if (dropped != NULL)
		worker_log_dropped(dropped);
	else if (worker_deadline_hit)
		log_warnx("the web server did not take the answer within "
		    "request_read_timeout (%llds): connection dropped",
		    worker.cfg->request_read_timeout);
}

int
worker_reload_config(struct config *live, const char *path, int is_master)
{
	struct config fresh;
	char err[1024];
	enum log_level level;

	/*
	 * Zone files are read again at their next use (a tzdata update),
	 * whether or not the config file loads.
	 */
	cron_forget_zones();
	config_defaults(&fresh);
	if (config_load(&fresh, path, err, sizeof(err)) < 0) {
		if (is_master)
			log_warnx("reload failed, keeping the running config: %s", err);
		return -1;
	}
	if (is_master && (strcmp(fresh.listen, live->listen) != 0 ||
	    strcmp(fresh.listen_group, live->listen_group) != 0 ||
	    fresh.workers != live->workers || fresh.listen_backlog != live->listen_backlog ||
	    fresh.request_read_timeout != live->request_read_timeout))
		log_warnx("listen, listen_group, listen_backlog, request_read_timeout "
		    "and workers changed in %s: they take effect only after a "
		    "restart", path);
	live->min_frequency = fresh.min_frequency;
	live->allow_private_targets = fresh.allow_private_targets;
	live->resolve_timeout_ms = fresh.resolve_timeout_ms;
	live->max_tasks_per_user = fresh.max_tasks_per_user;
	live->max_post_data_bytes_per_user = fresh.max_post_data_bytes_per_user;
	snprintf(live->cors_allowed_origins, sizeof(live->cors_allowed_origins),
	    "%s", fresh.cors_allowed_origins);
	snprintf(live->log_level, sizeof(live->log_level), "%s", fresh.log_level);
	live->log_syslog = fresh.log_syslog;
	if (log_level_parse(live->log_level, &level) == 0)
		log_init("scheduler-api", live->log_syslog, level);
	if (is_master)
		log_info("configuration reloaded: min_frequency=%lld "
		    "allow_private_targets=%s", live->min_frequency,
		    live->allow_private_targets ? "true" : "false");
	return 0;
}

/* Reads pending signals: returns 1 when the worker must stop. */
static int
worker_signals(int sfd, const char *config_path)
{
	struct signalfd_siginfo si;
	int stop = 0;

	while (read(sfd, &si, sizeof(si)) == (ssize_t)sizeof(si)) {
		if (si.ssi_signo == SIGHUP)
			(void)worker_reload_config(worker.cfg, config_path, 0);
		else
			stop = 1;
	}
	return stop;
}

void
worker_run(int listen_fd, struct config *cfg, const char *config_path)
{
	FCGX_Request fr;
	sigset_t set;
	int sfd;

	worker.cfg = cfg;
	/* Before a getaddrinfo_a helper thread (url_guard) exists. */
	cron_start();
	dbconn_init(&worker.db, &worker_db_rules);
	dbconn_init(&worker.health, &worker_health_rules);
	/* The worker accepts; libfcgi gets each connection (worker_serve). */
	if (FCGX_Init() != 0 || FCGX_InitRequest(&fr, -1, 0) != 0)
		fatalx("FastCGI initialisation failed");
	/* libfcgi installed its own handlers; ours arrive by signalfd (but SIGALRM). */
	signal(SIGPIPE, SIG_IGN);
	worker_deadline_install();
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGUSR1);
	sigprocmask(SIG_BLOCK, &set, NULL);
	sfd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
	if (sfd < 0)
		fatal("signalfd");

	for (;;) {
		struct pollfd pfd[2] = { { sfd, POLLIN, 0 }, { listen_fd, POLLIN, 0 } };
		if (poll(pfd, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			/*
			 * It would fail again at once, forever: exit, and the
			 * master starts a new worker (lib/log.h, fatal).
			 */
			fatal("poll");
		}
		if ((pfd[0].revents & POLLIN) && worker_signals(sfd, config_path))
			break;
		if (!(pfd[1].revents & POLLIN))
			continue;
		/* The socket is non-blocking: another worker may have won the race. */
		int conn = listener_accept(listen_fd);
		if (conn >= 0)
			worker_serve(&fr, conn);
		else if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS ||
		    errno == ENOMEM) {
			/* The connection stays queued: retry later, not in a busy loop. */
			log_warn("accept");
			(void)poll(NULL, 0, 100);
		}
	}
	dbconn_close(&worker.db);
	dbconn_close(&worker.health);
	exit(0);
}
