/*
 * loop: one pass reads top to bottom, like pg_cron's launcher: signals,
 * reload, database, heartbeat, claim, start, wait, collect, record. Each
 * claimed delivery is a job in one explicit state (job.h) and one list.
 * Work is claimed only when it can be started at once (free transfer
 * slots), so a claim never outlives its lease while waiting for a slot;
 * the lease itself outlasts the longest possible request. Time is this
 * host's monotonic clock; the database's clock (dbclock.h) says when
 * work is due, never CLOCK_REALTIME.
 */
#include "loop.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "claim.h"
#include "cron.h"
#include "fault.h"
#include "housekeeping.h"
#include "log.h"

volatile sig_atomic_t loop_stop_requested;
volatile sig_atomic_t loop_reload_requested;

/* Soonest retry of a claim that found rows due but locked by others. */
#define LOOP_LOCKED_RETRY_MS 20
/*
 * Under a backlog of new occurrences, retries and expired leases are
 * looked for this often (and whenever no backlog remains): one statement
 * fewer per pass, and a retry is never more than this late for it.
 */
#define LOOP_RETRY_SCAN_MS 100
/*
 * The longest wait between two looks for due work, whatever
 * dispatcher_poll_ms: a run-now delivery (POST /tasks/{id}/run) is
 * written by the API while the dispatcher sleeps, with no notice, and
 * must fire within 1 s (docs/API.md). The look is one cheap statement.
 */
#define LOOP_LOOK_MAX_MS 500
/* Extra time after the callback timeout to record outcomes on stop. */
#define LOOP_STOP_GRACE_MS 10000

/* The most kept back, within a lease, for writing an attempt's outcome. */
#define LOOP_RECORD_MARGIN_MAX_MS 10000

/*
 * The database connection (lib/dbconn.h): short timeouts so that a
 * database that hangs is noticed within seconds, while transfers keep
 * running in between; reconnect after 250 ms, doubling up to 2 s; losing
 * and regaining it logged once each, never once per failed statement.
 *
 * The server ends a transaction of ours left idle for 10 s. A claim or
 * outcome transaction runs statement after statement with only a little
 * CPU work in between, so it is never idle that long unless this process
 * stalled (SIGSTOP, a paused VM) in the middle of one; its row locks
 * would otherwise keep every other dispatcher off those tasks (SKIP
 * LOCKED passes them over, no lease covers them) until it resumed.
 *
 * A lock wait gives up after 2 s, below the connection's 5 s read
 * timeout: a tasks row held by someone else (an operator's transaction,
 * `user disable` of a big user) then comes back as a retryable deadlock
 * on a healthy connection, instead of a "lost" connection whose server
 * session goes on waiting; meanwhile the loop renews its leases.
 */
static const struct dbconn_rules loop_db_rules = {
	.timeout_s = 5,
	.session_sql = "SET SESSION idle_transaction_timeout = 10, "
	    "innodb_lock_wait_timeout = 2",
	.pause_min_ms = 250,
	.pause_max_ms = 2000,
	.lost_pause_ms = 250,
	.log = DBCONN_LOG_CHANGES,
};

static int64_t
loop_mono_ms(void)
{
	return dbclock_mono_ms();
}

/*
 * The margin kept, within a lease, for writing an attempt's outcome: half
 * of what the lease leaves over after the longest attempt (connect and
 * whole-request timeouts), at most 10 s.
 */
static int64_t
loop_record_margin_ms(const struct config *cfg)
{
	int64_t attempt = (cfg->callback_timeout + cfg->connect_timeout) * 1000,
	    margin = (cfg->lease_seconds * 1000 - attempt) / 2;

	return margin > LOOP_RECORD_MARGIN_MAX_MS ? LOOP_RECORD_MARGIN_MAX_MS :
	    margin;
}

/* How long before its lease ends a job may still start. */
static int64_t
loop_start_budget_ms(const struct config *cfg)
{
	return (cfg->callback_timeout + cfg->connect_timeout) * 1000 +
	    loop_record_margin_ms(cfg);
}

int
loop_check_config(const struct config *cfg, char *err, size_t errlen)
{
	if (cfg->lease_seconds <= cfg->callback_timeout + cfg->connect_timeout) {
		snprintf(err, errlen, "lease_seconds (%lld) must be greater than "
		    "callback_timeout + connect_timeout (%lld + %lld): a claim "
		    "must outlast the longest request, or another dispatcher "
		    "would fire the same occurrence while it is still in flight",
		    cfg->lease_seconds, cfg->callback_timeout,
		    cfg->connect_timeout);
		return -1;
	}
	return 0;
}

static void
loop_fire_options(const struct config *cfg, struct fire_options *o)
{
	o->callback_timeout_s = (long)cfg->callback_timeout;
	o->connect_timeout_s = (long)cfg->connect_timeout;
	o->allow_private = cfg->allow_private_targets;
	/* Connected by then: what is left is the answer, and recording it. */
	o->send_budget_ms = cfg->callback_timeout * 1000 +
	    loop_record_margin_ms(cfg);
}

int
loop_init(struct loop *l, const char *conf_path, const struct config *cfg,
    int wake_fd, char *err, size_t errlen)
{
	struct fire_options fo;

	memset(l, 0, sizeof(*l));
	l->conf_path = conf_path;
	l->cfg = *cfg;
	l->wake_fd = wake_fd;
	dbconn_init(&l->conn, &loop_db_rules);
	heartbeat_init(&l->hb);
	dbclock_init(&l->clock);
	l->claim_opt.me = l->hb.id;
	l->claim_opt.lease_s = cfg->lease_seconds;
	l->claim_opt.clock = &l->clock;
	loop_fire_options(cfg, &fo);
	l->fire = fire_new(&fo, &l->clock, wake_fd, err, errlen);
	fault_init();
	return l->fire == NULL ? -1 : 0;
}

void
loop_free(struct loop *l)
{
	job_list_free(&l->waiting);
	job_list_free(&l->done);
	/*
	 * Nothing is in flight by now: loop_run returns only once every
	 * transfer has ended (their timeouts bound that), so fire_free has
	 * only pooled handles left to free.
	 */
	fire_free(l->fire);
	job_list_free(&l->running);
	dbconn_close(&l->conn);
}

/* Empties the signal pipe; the flags say what was asked. */
static void
loop_drain_wake(struct loop *l)
{
	char buf[64];

	while (read(l->wake_fd, buf, sizeof(buf)) > 0)
		;
}

/* Gives back claims not started, so that another dispatcher takes them now. */
static void
loop_release(struct loop *l, int keep_in_process, int64_t now)
{
	const struct job_list *keep[2] = { &l->running, &l->done };
	int rc;

	if (!l->conn.up)
		return;
	rc = claim_release(&l->conn.db, &l->claim_opt, keep,
	    keep_in_process ? 2 : 0);
	if (dbconn_check(&l->conn, rc, "release", now) == DB_OK)
		job_list_free(&l->waiting);
	else
		log_warnx("cannot release claims: %s (they come back when the "
		    "lease ends)", l->conn.db.err);
}

static void
loop_begin_stop(struct loop *l, int64_t now)
{
	l->stopping = 1;
	l->stop_deadline_ms = now + l->cfg.callback_timeout * 1000 +
	    LOOP_STOP_GRACE_MS;
	log_info("stopping: %zu callbacks in flight, %zu claimed not started "
	    "(released)", l->running.n, l->waiting.n);
	loop_release(l, 1, now);
	job_list_free(&l->waiting);
}

/* 1 when any database_* key differs; copies the running ones into next. */
static int
loop_keep_database(struct config *next, const struct config *cur)
{
	int changed = strcmp(next->database_host, cur->database_host) != 0 ||
	    next->database_port != cur->database_port ||
	    strcmp(next->database_socket, cur->database_socket) != 0 ||
	    strcmp(next->database_user, cur->database_user) != 0 ||
	    strcmp(next->database_password, cur->database_password) != 0 ||
	    strcmp(next->database_name, cur->database_name) != 0;

	memcpy(next->database_host, cur->database_host, CONFIG_STR_MAX);
	next->database_port = cur->database_port;
	memcpy(next->database_socket, cur->database_socket, CONFIG_STR_MAX);
	memcpy(next->database_user, cur->database_user, CONFIG_STR_MAX);
	memcpy(next->database_password, cur->database_password, CONFIG_STR_MAX);
	memcpy(next->database_name, cur->database_name, CONFIG_STR_MAX);
	return changed;
}

/* Re-reads the config file; keys that need a restart keep their value. */
static void
loop_reload(struct loop *l)
{
	struct config next;
	struct fire_options fo;
	enum log_level level;
	char err[CONFIG_STR_MAX + 128];

	/*
	 * Zone files are read again at their next use (a tzdata update),
	 * whether or not the config file loads.
	 */
	cron_forget_zones();
	config_defaults(&next);
	if (config_load(&next, l->conf_path, err, sizeof(err)) < 0 ||
	    loop_check_config(&next, err, sizeof(err)) < 0) {
		log_warnx("reload refused, keeping the running config: %s", err);
		return;
	}
	if (loop_keep_database(&next, &l->cfg) ||
	    next.dispatcher_concurrency != l->cfg.dispatcher_concurrency)
		log_warnx("reload: dispatcher_concurrency and database_* "
		    "apply after a restart");
	next.dispatcher_concurrency = l->cfg.dispatcher_concurrency;
	l->cfg = next;
	l->claim_opt.lease_s = l->cfg.lease_seconds;
	if (log_level_parse(l->cfg.log_level, &level) == 0)
		log_init("scheduler-dispatcher", l->cfg.log_syslog, level);
	loop_fire_options(&l->cfg, &fo);
	fire_set_options(l->fire, &fo);
	log_info("config reloaded from %s", l->conf_path);
}

static void
loop_signals(struct loop *l, int64_t now)
{
	loop_drain_wake(l);
	if (loop_stop_requested && !l->stopping)
		loop_begin_stop(l, now);
	if (loop_reload_requested) {
		loop_reload_requested = 0;
		loop_reload(l);
	}
}

static void
loop_database(struct loop *l, int64_t now)
{
	if (!dbconn_ensure(&l->conn, &l->cfg, now) || !l->conn.regained)
		return;
	l->conn.regained = 0;
	/*
	 * A claim whose commit answer was lost may have committed: give back
	 * every claim of ours that is not in this process.
	 */
	const struct job_list *keep[3] = { &l->waiting, &l->running, &l->done };
	int rc = claim_release(&l->conn.db, &l->claim_opt, keep, 3);
	(void)dbconn_check(&l->conn, rc, "release after reconnect", now);
}

/* What the heartbeat row shows of this process. */
static struct heartbeat_figures
loop_figures(const struct loop *l)
{
	struct heartbeat_figures f = {
		.fired = l->counts.succeeded,
		.failed = l->counts.retrying + l->counts.failed,
		.lost = l->counts.lost,
		.expired = l->counts.expired,
		.offset_known = l->clock.known,
		.offset_ms = l->clock.offset_ms,
	};
	return f;
}

static void
loop_heartbeat(struct loop *l, int64_t now)
{
	struct heartbeat_figures f = loop_figures(l);
	int rc;

	if (!l->conn.up || !heartbeat_due(&l->hb, now))
		return;
	rc = heartbeat_beat(&l->conn.db, &l->hb, l->cfg.heartbeat_interval, now,
	    &f);
	if (dbconn_check(&l->conn, rc, "heartbeat", now) != DB_OK) {
		if (rc != DB_AWAY)
			log_warnx("heartbeat failed: %s", l->conn.db.err);
		l->hb.next_ms = now + 1000;
	}
}

/*
 * Renews, every quarter of a lease, the leases of work sent and not yet
 * recorded (claim_renew): its outcome may wait on a lock held elsewhere
 * (a task row an operator or `user disable` holds), and a healthy
 * dispatcher must not lose the occurrence to another meanwhile. A
 * stalled one renews nothing while stalled, and only what it still holds
 * once resumed.
 */
static void
loop_renew(struct loop *l, int64_t now)
{
	const struct job_list *lists[2] = { &l->running, &l->done };
	int rc;

	if (!l->conn.up || now < l->renew_ms)
		return;
	l->renew_ms = now + l->cfg.lease_seconds * 1000 / 4;
	if (l->running.n + l->done.n == 0)
		return;
	rc = claim_renew(&l->conn.db, &l->claim_opt, lists, 2);
	if (dbconn_check(&l->conn, rc, "renewing leases", now) != DB_OK) {
		if (rc != DB_AWAY)
			log_warnx("cannot renew leases: %s", l->conn.db.err);
		l->renew_ms = now + 1000;	/* soon again, well within a lease */
	}
}

/* After a claim that was not full: sleep until the next due time. */
static void
loop_schedule_claim(struct loop *l, int64_t now)
{
	int64_t ms;
	int rc = claim_next_due(&l->conn.db, &l->clock, &ms);

	if (dbconn_check(&l->conn, rc, "next due time", now) != DB_OK)
		ms = l->cfg.dispatcher_poll_ms;
	if (ms < LOOP_LOCKED_RETRY_MS)
		ms = LOOP_LOCKED_RETRY_MS;	/* due but locked by another claimer */
	if (ms > l->cfg.dispatcher_poll_ms)
		ms = l->cfg.dispatcher_poll_ms;
	if (ms > LOOP_LOOK_MAX_MS)
		ms = LOOP_LOOK_MAX_MS;
	l->claim_ms = now + ms;
}

/*
 * How many deliveries a claim may take now (0: no claim this pass). Never
 * more than the free transfer slots, so that everything claimed starts at
 * once; under a backlog, only a chunk at a time rather than slot by slot.
 */
static size_t
loop_claim_size(const struct loop *l)
{
	size_t busy = l->running.n + l->waiting.n, n, chunk;

	if (l->stopping || !l->conn.up || l->done.n > 0 ||
	    busy >= (size_t)l->cfg.dispatcher_concurrency)
		return 0;
	n = (size_t)l->cfg.dispatcher_concurrency - busy;
	if (n > (size_t)l->cfg.dispatcher_batch)
		n = (size_t)l->cfg.dispatcher_batch;
	chunk = (size_t)(l->cfg.dispatcher_concurrency < l->cfg.dispatcher_batch ?
	    l->cfg.dispatcher_concurrency : l->cfg.dispatcher_batch) / 4;
	if (l->backlog && busy > 0 && n < chunk)
		return 0;
	return n;
}

static void
loop_claim(struct loop *l, int64_t now)
{
	size_t n = loop_claim_size(l), retries;
	int got, with_retries;

	if (n == 0 || now < l->claim_ms)
		return;
	with_retries = !l->backlog || l->retries_full ||
	    now - l->retries_ms >= LOOP_RETRY_SCAN_MS;
	got = claim_due(&l->conn.db, &l->claim_opt, n, with_retries,
	    &l->waiting, &retries);
	if (with_retries && got >= 0) {
		l->retries_ms = now;
		l->retries_full = retries == n;
	}
	if (got < 0) {
		if (dbconn_check(&l->conn, got, "claim", now) == DB_ERROR)
			log_error("claim failed: %s", l->conn.db.err);
		l->backlog = 0;
		l->claim_ms = now + (got == DB_RETRY ? LOOP_LOCKED_RETRY_MS :
		    l->cfg.dispatcher_poll_ms);
		return;
	}
	if (got > 0)
		fault_stop_at(FAULT_AFTER_CLAIM);
	l->backlog = (size_t)got == n;
	if (l->backlog)
		l->claim_ms = now;
	else
		loop_schedule_claim(l, now);
}

/* Counts and logs claims left to their lease unsent (loop_start, fire.c). */
static void
loop_expired(struct loop *l, size_t n)
{
	if (n == 0)
		return;
	l->counts.expired += n;
	log_warnx("%zu claimed callbacks can no longer finish within their "
	    "lease (this process was stalled?): not sent, they fire again "
	    "once the lease ends", n);
}

/*
 * Starts every waiting job whose time has come by the database's clock.
 * One that could no longer finish, with room to record its outcome,
 * before its lease ends by this host's monotonic clock is dropped
 * unstarted: the lease runs out and another dispatcher (or this one)
 * claims the occurrence again. That is what a process resumed after a
 * stall (SIGSTOP, a VM pause, swapping) finds: it starts nothing stale.
 */
static void
loop_start(struct loop *l)
{
	int64_t now = loop_mono_ms(), budget = loop_start_budget_ms(&l->cfg);
	struct job *j = l->waiting.head, *next;
	size_t dropped = 0, started = 0;

	for (; j != NULL; j = next) {
		next = j->next;
		if (now + budget > j->lease_end_mono_ms) {
			job_list_remove(&l->waiting, j);
			job_free(j);
			dropped++;
			continue;
		}
		/* Never early: not before scheduled_for by the database's clock. */
		if (now < j->due_mono_ms)
			continue;
		job_list_remove(&l->waiting, j);
		fire_start(l->fire, j, dbclock_db_ms(&l->clock, now));
		job_list_push(j->state == JOB_RUNNING ? &l->running : &l->done, j);
		started++;
	}
	loop_expired(l, dropped);
	if (started > 0)
		fault_stop_at(FAULT_AFTER_START);
}

/* How long the wait may sleep: until the earliest thing to do. */
static int
loop_sleep_ms(const struct loop *l, int64_t now)
{
	int64_t t = l->cfg.dispatcher_poll_ms;

	if (l->done.n > 0 && l->conn.up && l->record_ms - now < t)
		t = l->record_ms - now;
	/* A claim that cannot happen yet waits for a transfer to end. */
	if (loop_claim_size(l) > 0 && l->claim_ms - now < t)
		t = l->claim_ms - now;
	for (const struct job *j = l->waiting.head; j != NULL; j = j->next)
		if (j->due_mono_ms - now < t)
			t = j->due_mono_ms - now;
	if (!l->conn.up && dbconn_wait_ms(&l->conn, now) < t)
		t = dbconn_wait_ms(&l->conn, now);
	if (l->conn.up && l->running.n + l->done.n > 0 && l->renew_ms - now < t)
		t = l->renew_ms - now;
	if (l->conn.up && l->hb.next_ms - now < t)
		t = l->hb.next_ms - now;
	if (l->stopping && l->stop_deadline_ms - now < t)
		t = l->stop_deadline_ms - now;
	return t < 0 ? 0 : (int)t;
}

/*
 * Moves finished transfers to done. One that fire.c did not send because
 * its lease had become too short (a stall after it was started) is
 * dropped like one loop_start leaves: nothing was sent, so there is no
 * outcome to record, and the occurrence fires again after the lease.
 */
static void
loop_collect(struct loop *l)
{
	struct job *j;
	size_t unsent = 0;

	while ((j = fire_next_done(l->fire)) != NULL) {
		job_list_remove(&l->running, j);
		if (j->unsent) {
			job_free(j);
			unsent++;
			continue;
		}
		job_list_push(&l->done, j);
		log_debug("task %s run %s attempt %u: %s", j->task_id, j->run_id,
		    j->attempt, j->error[0] ? j->error : "ok");
	}
	loop_expired(l, unsent);
}

static void
loop_record(struct loop *l, int64_t now)
{
	struct outcome_options o = { l->hb.id, l->cfg.retry_attempts,
	    l->cfg.retry_base_delay, l->cfg.retry_max_delay };
	int rc;

	if (l->done.n == 0 || !l->conn.up)
		return;
	if (now < l->record_ms)
		return;
	rc = outcome_write(&l->conn.db, &o, &l->done, &l->counts);
	/* Outcomes kept after repeated deadlocks are tried again shortly. */
	if (dbconn_check(&l->conn, rc, "recording outcomes", now) == DB_RETRY)
		l->record_ms = now + LOOP_LOCKED_RETRY_MS;
}

/* 1 when a stopping dispatcher has nothing left it can still do. */
static int
loop_finished(const struct loop *l, int64_t now)
{
	if (!l->stopping || l->running.n > 0)
		return 0;
	if (l->done.n == 0)
		return 1;
	return now >= l->stop_deadline_ms;
}

static void
loop_shutdown(struct loop *l, int64_t now)
{
	if (l->done.n > 0)
		log_warnx("database away at stop: %zu outcomes not recorded "
		    "(their occurrences fire again after the lease)", l->done.n);
	/*
	 * Outcomes not recorded were sent: their claims are kept to the lease
	 * end, as the message says, rather than handed out again at once.
	 */
	loop_release(l, 1, now);
	struct heartbeat_figures f = loop_figures(l);
	if (l->conn.up)
		(void)heartbeat_stop(&l->conn.db, &l->hb, &f);
	log_info("stopped: %llu succeeded, %llu retrying, %llu failed, %llu "
	    "outcomes after a lost lease, %llu claims left unstarted",
	    (unsigned long long)l->counts.succeeded,
	    (unsigned long long)l->counts.retrying,
	    (unsigned long long)l->counts.failed,
	    (unsigned long long)l->counts.lost,
	    (unsigned long long)l->counts.expired);
}

int
loop_run(struct loop *l)
{
	int64_t now;

	log_info("started as %s (concurrency %lld, batch %lld, lease %lld s)",
	    l->hb.id, l->cfg.dispatcher_concurrency, l->cfg.dispatcher_batch,
	    l->cfg.lease_seconds);
	for (;;) {
		now = loop_mono_ms();
		loop_signals(l, now);
		if (loop_finished(l, now))
			break;
		loop_database(l, now);
		loop_heartbeat(l, now);
		loop_renew(l, now);
		loop_claim(l, now);
		loop_start(l);
		fire_wait(l->fire, loop_sleep_ms(l, now));
		loop_collect(l);
		loop_record(l, loop_mono_ms());
		housekeeping_pass(&l->conn, loop_mono_ms());
	}
	loop_shutdown(l, now);
	return 0;
}
