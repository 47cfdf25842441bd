/*
 * scheduler-api master: reads the config, opens the FastCGI socket,
 * pre-forks `workers` processes and keeps that many alive. It handles its
 * signals synchronously with sigtimedwait: SIGCHLD restarts a dead worker
 * (with backoff when workers die right after starting), SIGHUP reloads the
 * config and passes it on, SIGTERM stops the workers (their requests in
 * progress finish) and exits.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "config.h"
#include "listener.h"
#include "log.h"
#include "metrics.h"
#include "worker.h"

#define MAX_WORKERS 256
/* A worker that dies sooner than this after starting counts as a quick death. */
#define QUICK_DEATH_S 2.0
#define BACKOFF_MAX_S 30.0
/* How long SIGTERM waits for workers to finish before SIGKILL. */
#define STOP_GRACE_S 30.0

struct worker_slot {
	pid_t pid;		/* 0: not running */
	double started;		/* monotonic */
	double restart_at;	/* monotonic; when pid is 0 */
	int quick_deaths;	/* consecutive */
};

static struct worker_slot slots[MAX_WORKERS];
static int n_slots;
static struct config cfg;
static const char *cfg_path;
static int listen_fd;

static double
now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
spawn(struct worker_slot *s)
{
	pid_t master = getpid();
	pid_t pid = fork();

	if (pid < 0) {
		log_warn("fork");
		s->restart_at = now_s() + 1.0;
		return;
	}
	if (pid == 0) {
		/*
		 * A worker must not outlive a master killed with SIGKILL: it
		 * would go on serving the old socket with nobody to stop it.
		 * SIGTERM is read from the worker's signalfd, so the request in
		 * progress still finishes.
		 */
		if (prctl(PR_SET_PDEATHSIG, SIGTERM) < 0 || getppid() != master)
			_exit(1);
		worker_run(listen_fd, &cfg, cfg_path);
	}
	s->pid = pid;
	s->started = now_s();
	metrics_count_worker_start();
}

/* Reaps dead workers and schedules their restart. */
static void
reap(int stopping)
{
	int status;
	pid_t pid;

	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		for (int i = 0; i < n_slots; i++) {
			struct worker_slot *s = &slots[i];
			if (s->pid != pid)
				continue;
			s->pid = 0;
			if (stopping)
				break;
			if (WIFSIGNALED(status))
				log_warnx("worker %ld killed by signal %d", (long)pid,
				    WTERMSIG(status));
			else
				log_warnx("worker %ld exited with status %d", (long)pid,
				    WEXITSTATUS(status));
			double lived = now_s() - s->started;
			s->quick_deaths = lived < QUICK_DEATH_S ? s->quick_deaths + 1 : 0;
			double delay = 0;
			if (s->quick_deaths > 0) {
				delay = 0.1 * (double)(1 << (s->quick_deaths < 9 ? s->quick_deaths : 9));
				if (delay > BACKOFF_MAX_S)
					delay = BACKOFF_MAX_S;
				log_warnx("workers are dying quickly; next start in %.1f s", delay);
			}
			s->restart_at = now_s() + delay;
			break;
		}
	}
}

static void
signal_workers(int sig)
{
	for (int i = 0; i < n_slots; i++)
		if (slots[i].pid > 0)
			kill(slots[i].pid, sig);
}

static int
running_workers(void)
{
	int n = 0;
	for (int i = 0; i < n_slots; i++)
		n += slots[i].pid > 0;
	return n;
}

static void
stop_all(void)
{
	sigset_t set;
	siginfo_t si;
	struct timespec tick = { 0, 100 * 1000 * 1000 };
	double deadline = now_s() + STOP_GRACE_S;

	log_info("stopping %d workers", running_workers());
	signal_workers(SIGTERM);
	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	while (running_workers() > 0 && now_s() < deadline) {
		(void)sigtimedwait(&set, &si, &tick);
		reap(1);
	}
	if (running_workers() > 0) {
		log_warnx("workers still busy after %.0f s; killing them", STOP_GRACE_S);
		signal_workers(SIGKILL);
		while (running_workers() > 0 && waitpid(-1, NULL, 0) > 0)
			reap(1);
	}
	listener_cleanup(cfg.listen);
	log_info("stopped");
}

static void
usage(FILE *out)
{
	fprintf(out, "usage: scheduler-api [-t] [-c FILE]\n"
	    "  -c FILE  config file (default $SCHEDULER_CONF, else %s)\n"
	    "  -t       check the config file and exit\n", CONFIG_DEFAULT_PATH);
}

/* Starts every slot whose restart time has come; returns seconds to the next. */
static double
start_due(void)
{
	double next = 1.0, t = now_s();

	for (int i = 0; i < n_slots; i++) {
		if (slots[i].pid != 0)
			continue;
		if (slots[i].restart_at <= t)
			spawn(&slots[i]);
		else if (slots[i].restart_at - t < next)
			next = slots[i].restart_at - t;
	}
	return next;
}

int
main(int argc, char **argv)
{
	const char *flag_path = NULL;
	int check_only = 0, opt;
	char err[1024];
	enum log_level level;
	sigset_t set;

	while ((opt = getopt(argc, argv, "c:tnh")) != -1) {
		switch (opt) {
		case 'c': flag_path = optarg; break;
		/* -n as scheduler-dispatcher once had it: undocumented, still works. */
		case 't': case 'n': check_only = 1; break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	cfg_path = config_path(flag_path);
	config_defaults(&cfg);
	if (config_load(&cfg, cfg_path, err, sizeof(err)) < 0) {
		fprintf(stderr, "scheduler-api: %s\n", err);
		return 1;
	}
	if (check_only) {
		printf("%s: configuration ok\n", cfg_path);
		return 0;
	}
	(void)log_level_parse(cfg.log_level, &level);
	log_init("scheduler-api", cfg.log_syslog, level);

	/* Blocked before any fork, so workers inherit the mask they expect. */
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGCHLD);
	sigprocmask(SIG_BLOCK, &set, NULL);

	listen_fd = listener_open(cfg.listen, (int)cfg.listen_backlog,
	    cfg.listen_group, err, sizeof(err));
	if (listen_fd < 0)
		fatalx("%s", err);
	if (metrics_init() < 0)
		fatal("metrics: mmap");
	n_slots = (int)cfg.workers;
	log_info("listening on %s with %d workers", cfg.listen, n_slots);

	for (;;) {
		double wait = start_due();
		struct timespec ts = { (time_t)wait, (long)((wait - (double)(time_t)wait) * 1e9) };
		siginfo_t si;
		int sig = sigtimedwait(&set, &si, &ts);

		if (sig == SIGCHLD)
			reap(0);
		else if (sig == SIGHUP) {
			(void)worker_reload_config(&cfg, cfg_path, 1);
			signal_workers(SIGHUP);
		} else if (sig == SIGTERM || sig == SIGINT) {
			stop_all();
			return 0;
		} else if (sig < 0 && errno != EAGAIN && errno != EINTR)
			fatal("sigtimedwait");
	}
}
