/*
 * fire: the libcurl multi engine. Easy handles are pooled (connections
 * live in the multi handle's cache, so they are reused across transfers).
 * Every transfer opens its sockets through fire_open_socket, where the
 * address actually connected to is checked against the private-target
 * policy: that defeats DNS rebinding between validation and firing.
 */
#include "fire.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <curl/curl.h>

#include "dbclock.h"
#include "log.h"
#include "request.h"
#include "url_guard.h"

#define FIRE_POOL_MAX 256

struct fire {
	CURLM *multi;
	struct fire_options opt;
	const struct dbclock *clock;	/* the times recorded for attempts */
	int wake_fd;
	CURL *pool[FIRE_POOL_MAX];	/* idle easy handles */
	size_t npool;
};

/* Per-transfer state that libcurl callbacks reach through their clientp. */
struct fire_transfer {
	struct fire *fire;
	struct job *job;
	CURL *easy;
	struct curl_slist *headers;
	char errbuf[CURL_ERROR_SIZE];
	char refused[160];	/* why fire_open_socket refused an address */
	int unsent;		/* fire_before_request found the lease too short */
};

/* Now by the database's clock, as recorded in task_runs. */
static int64_t
fire_now_ms(const struct fire *f)
{
	return dbclock_db_ms(f->clock, dbclock_mono_ms());
}

struct fire *
fire_new(const struct fire_options *opt, const struct dbclock *clock,
    int wake_fd, char *err, size_t errlen)
{
	struct fire *f = calloc(1, sizeof(*f));

	if (f == NULL || (f->multi = curl_multi_init()) == NULL) {
		snprintf(err, errlen, "cannot create the libcurl multi handle");
		free(f);
		return NULL;
	}
	f->opt = *opt;
	f->clock = clock;
	f->wake_fd = wake_fd;
	return f;
}

void
fire_free(struct fire *f)
{
	if (f == NULL)
		return;
	for (size_t i = 0; i < f->npool; i++)
		curl_easy_cleanup(f->pool[i]);
	curl_multi_cleanup(f->multi);
	free(f);
}

void
fire_set_options(struct fire *f, const struct fire_options *opt)
{
	f->opt = *opt;
}


/* Response bodies are not kept. */
static size_t
fire_discard(char *ptr, size_t size, size_t nmemb, void *userdata)
{
	(void)ptr;
	(void)userdata;
	return size * nmemb;
}

static void
fire_refuse(struct fire_transfer *t, const char *addr, const char *what)
{
	snprintf(t->refused, sizeof(t->refused), "refused to %s %s: not a "
	    "globally reachable address (allow_private_targets = false)",
	    what, addr);
}

static curl_socket_t
fire_open_socket(void *clientp, curlsocktype purpose,
    struct curl_sockaddr *address)
{
	struct fire_transfer *t = clientp;
	char text[INET6_ADDRSTRLEN] = "?";

	(void)purpose;
	if (!t->fire->opt.allow_private &&
	    !url_guard_addr_is_global(&address->addr)) {
		if (address->family == AF_INET)
			inet_ntop(AF_INET, &((struct sockaddr_in *)(void *)
			    &address->addr)->sin_addr, text, sizeof(text));
		else if (address->family == AF_INET6)
			inet_ntop(AF_INET6, &((struct sockaddr_in6 *)(void *)
			    &address->addr)->sin6_addr, text, sizeof(text));
		fire_refuse(t, text, "connect to");
		return CURL_SOCKET_BAD;
	}
	return socket(address->family, address->socktype, address->protocol);
}

/*
 * Called just before each request is sent, on a new connection or a
 * reused one. fire_open_socket only sees new connections; a connection
 * kept alive from before a reload to allow_private_targets = false would
 * otherwise still reach a private address, so the peer is checked here
 * again.
 */
static int
fire_before_request(void *clientp, char *conn_primary_ip, char *conn_local_ip,
    int conn_primary_port, int conn_local_port)
{
	struct fire_transfer *t = clientp;
	struct sockaddr_storage ss;
	struct sockaddr_in *v4 = (struct sockaddr_in *)(void *)&ss;
	struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)(void *)&ss;

	(void)conn_local_ip;
	(void)conn_primary_port;
	(void)conn_local_port;
	/* The last moment before anything of the request leaves this host. */
	if (dbclock_mono_ms() + t->fire->opt.send_budget_ms >
	    t->job->lease_end_mono_ms) {
		t->unsent = 1;
		return CURL_PREREQFUNC_ABORT;
	}
	if (t->fire->opt.allow_private)
		return CURL_PREREQFUNC_OK;
	memset(&ss, 0, sizeof(ss));
	if (inet_pton(AF_INET, conn_primary_ip, &v4->sin_addr) == 1)
		v4->sin_family = AF_INET;
	else if (inet_pton(AF_INET6, conn_primary_ip, &v6->sin6_addr) == 1)
		v6->sin6_family = AF_INET6;
	/* An address that cannot be read is not known to be global. */
	if (ss.ss_family != 0 && url_guard_addr_is_global((struct sockaddr *)&ss))
		return CURL_PREREQFUNC_OK;
	fire_refuse(t, conn_primary_ip, "send to");
	return CURL_PREREQFUNC_ABORT;
}

/* Sets every option of one transfer; 0, or -1 with the reason in the job. */
static int
fire_setup(struct fire *f, struct fire_transfer *t, int64_t now_ms)
{
	struct job *job = t->job;
	CURL *e = t->easy;
	CURLcode rc = CURLE_OK;

	if (request_headers(job, now_ms / 1000, &t->headers, job->error,
	    sizeof(job->error)) < 0)
		return -1;
#define SET(opt, val) do { \
	if (rc == CURLE_OK) \
		rc = curl_easy_setopt(e, opt, val); \
} while (0)
	SET(CURLOPT_URL, job->url);
#if LIBCURL_VERSION_NUM >= 0x075500	/* 7.85: the string form */
	SET(CURLOPT_PROTOCOLS_STR, "http,https");
#else
	SET(CURLOPT_PROTOCOLS, (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS));
#endif
	SET(CURLOPT_PROXY, "");		/* no proxy from the environment */
	SET(CURLOPT_NOSIGNAL, 1L);
	SET(CURLOPT_FOLLOWLOCATION, 0L);
	SET(CURLOPT_TIMEOUT, f->opt.callback_timeout_s);
	SET(CURLOPT_CONNECTTIMEOUT, f->opt.connect_timeout_s);
	SET(CURLOPT_USERAGENT, "scheduler-service/" SCHED_VERSION);
	SET(CURLOPT_HTTPHEADER, t->headers);
	SET(CURLOPT_WRITEFUNCTION, fire_discard);
	SET(CURLOPT_ERRORBUFFER, t->errbuf);
	SET(CURLOPT_OPENSOCKETFUNCTION, fire_open_socket);
	SET(CURLOPT_OPENSOCKETDATA, t);
	SET(CURLOPT_PREREQFUNCTION, fire_before_request);
	SET(CURLOPT_PREREQDATA, t);
	SET(CURLOPT_PRIVATE, t);
	if (request_has_body(job->method)) {
		SET(CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)job->body_len);
		SET(CURLOPT_POSTFIELDS, job->body);
		if (strcmp(job->method, "POST") != 0)
			SET(CURLOPT_CUSTOMREQUEST, job->method);
	} else if (strcmp(job->method, "GET") == 0) {
		SET(CURLOPT_HTTPGET, 1L);
	} else {
		SET(CURLOPT_CUSTOMREQUEST, job->method);
	}
#undef SET
	if (rc != CURLE_OK) {
		snprintf(job->error, sizeof(job->error), "%s",
		    curl_easy_strerror(rc));
		return -1;
	}
	return 0;
}

void
fire_start(struct fire *f, struct job *job, int64_t now_ms)
{
	struct fire_transfer *t = calloc(1, sizeof(*t));

	job->started_ms = now_ms;
	job->error[0] = '\0';
	job->http_status = 0;
	job->refused = 0;
	job->unsent = 0;
	if (t == NULL) {
		snprintf(job->error, sizeof(job->error), "out of memory");
		goto failed;
	}
	t->fire = f;
	t->job = job;
	t->easy = f->npool > 0 ? f->pool[--f->npool] : curl_easy_init();
	if (t->easy == NULL) {
		snprintf(job->error, sizeof(job->error), "out of memory");
		goto failed;
	}
	if (fire_setup(f, t, now_ms) < 0)
		goto failed;
	if (curl_multi_add_handle(f->multi, t->easy) != CURLM_OK) {
		snprintf(job->error, sizeof(job->error), "cannot start the transfer");
		goto failed;
	}
	job->transfer = t;
	job->state = JOB_RUNNING;
	return;
failed:
	if (t != NULL) {
		if (t->easy != NULL)
			curl_easy_cleanup(t->easy);
		curl_slist_free_all(t->headers);
		free(t);
	}
	job->finished_ms = fire_now_ms(f);
	job->state = JOB_FINISHED;
}

void
fire_wait(struct fire *f, int timeout_ms)
{
	struct curl_waitfd wake = { f->wake_fd, CURL_WAIT_POLLIN, 0 };
	int still;

	if (timeout_ms < 0)
		timeout_ms = 0;
	(void)curl_multi_poll(f->multi, &wake, f->wake_fd >= 0 ? 1 : 0,
	    timeout_ms, NULL);
	(void)curl_multi_perform(f->multi, &still);
}

/* Fills the job's results from the finished transfer. */
static void
fire_result(struct fire_transfer *t, CURLcode code)
{
	struct job *job = t->job;
	long status = 0;

	job->finished_ms = fire_now_ms(t->fire);
	(void)curl_easy_getinfo(t->easy, CURLINFO_RESPONSE_CODE, &status);
	job->http_status = status;
	job->unsent = t->unsent;
	/* A refused address fails the attempt only if no other one connected. */
	job->refused = code != CURLE_OK && t->refused[0] != '\0';
	if (job->refused)
		snprintf(job->error, sizeof(job->error), "%s", t->refused);
	else if (code != CURLE_OK)
		snprintf(job->error, sizeof(job->error), "%s",
		    t->errbuf[0] ? t->errbuf : curl_easy_strerror(code));
	else if (status < 200 || status > 299)
		snprintf(job->error, sizeof(job->error), "HTTP %ld", status);
	else
		job->error[0] = '\0';
}

/* Frees the transfer's handle (pooled while the pool has room) and memory. */
static void
fire_release(struct fire *f, struct fire_transfer *t)
{
	curl_multi_remove_handle(f->multi, t->easy);
	curl_slist_free_all(t->headers);
	if (f->npool < FIRE_POOL_MAX) {
		curl_easy_reset(t->easy);
		f->pool[f->npool++] = t->easy;
	} else {
		curl_easy_cleanup(t->easy);
	}
	t->job->transfer = NULL;
	t->job->state = JOB_FINISHED;
	free(t);
}

struct job *
fire_next_done(struct fire *f)
{
	CURLMsg *msg;
	int left;

	while ((msg = curl_multi_info_read(f->multi, &left)) != NULL) {
		struct fire_transfer *t = NULL;
		if (msg->msg != CURLMSG_DONE)
			continue;
		(void)curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, &t);
		struct job *job = t->job;
		fire_result(t, msg->data.result);
		fire_release(f, t);
		return job;
	}
	return NULL;
}
