/*
 * scheduler-dispatcher: fires due callbacks. This file starts the program
 * — options, config, logging, signals — and hands over to loop.c, where
 * the work happens. Runs in the foreground; SIGTERM stops it cleanly,
 * SIGHUP reloads the config.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <curl/curl.h>

#include "config.h"
#include "cron.h"
#include "log.h"
#include "loop.h"

/* Write end of the pipe that wakes the loop's sleep on a signal. */
static int main_wake_wr = -1;

static void
main_on_signal(int sig)
{
	int saved = errno;

	if (sig == SIGHUP)
		loop_reload_requested = 1;
	else
		loop_stop_requested = 1;
	if (main_wake_wr >= 0)
		(void)!write(main_wake_wr, "x", 1);
	errno = saved;
}

/* Installs the handlers; returns the read end of the wake pipe, or -1. */
static int
main_signals(void)
{
	struct sigaction sa;
	int fds[2];

	if (pipe2(fds, O_NONBLOCK | O_CLOEXEC) < 0)
		return -1;
	main_wake_wr = fds[1];
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = main_on_signal;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_RESTART;
	if (sigaction(SIGTERM, &sa, NULL) < 0 || sigaction(SIGINT, &sa, NULL) < 0 ||
	    sigaction(SIGHUP, &sa, NULL) < 0)
		return -1;
	sa.sa_handler = SIG_IGN;
	if (sigaction(SIGPIPE, &sa, NULL) < 0)
		return -1;
	return fds[0];
}

static void
main_usage(void)
{
	fprintf(stderr, "usage: scheduler-dispatcher [-t] [-c FILE]\n"
	    "  -c FILE  config file (default $SCHEDULER_CONF, else %s)\n"
	    "  -t       check the config and exit\n", CONFIG_DEFAULT_PATH);
	exit(2);
}

int
main(int argc, char **argv)
{
	const char *flag_conf = NULL, *path;
	struct config cfg;
	struct loop loop;
	enum log_level level = LOG_LEVEL_INFO;
	char err[CONFIG_STR_MAX + 256];
	int ch, check_only = 0, wake_fd, rc;

	while ((ch = getopt(argc, argv, "c:tnhV")) != -1) {
		switch (ch) {
		case 'c': flag_conf = optarg; break;
		/* -t like nginx -t and scheduler-api; -n, the old letter, still works. */
		case 't': case 'n': check_only = 1; break;
		case 'V': printf("scheduler-dispatcher %s\n", SCHED_VERSION); return 0;
		default: main_usage();
		}
	}
	if (optind != argc)
		main_usage();
	log_init("scheduler-dispatcher", 0, LOG_LEVEL_INFO);
	path = config_path(flag_conf);
	config_defaults(&cfg);
	if (config_load(&cfg, path, err, sizeof(err)) < 0 ||
	    loop_check_config(&cfg, err, sizeof(err)) < 0)
		fatalx("%s", err);
	if (check_only) {
		printf("%s: ok\n", path);
		return 0;
	}
	(void)log_level_parse(cfg.log_level, &level);
	log_init("scheduler-dispatcher", cfg.log_syslog, level);
	srandom((unsigned)time(NULL) ^ ((unsigned)getpid() << 16));
	/* Before libcurl's resolver threads exist. */
	cron_start();
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		fatalx("libcurl initialisation failed");
	if ((wake_fd = main_signals()) < 0)
		fatal("signal setup");
	if (loop_init(&loop, path, &cfg, wake_fd, err, sizeof(err)) < 0)
		fatalx("%s", err);
	rc = loop_run(&loop);
	loop_free(&loop);
	curl_global_cleanup();
	return rc;
}
