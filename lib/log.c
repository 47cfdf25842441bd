/*
 * log: levelled log lines to stderr (with a UTC timestamp, program name and
 * pid) or to syslog. One line per call; callers never print directly.
 */
#include "log.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

static const char *log_ident = "scheduler";
static int log_to_syslog;
static enum log_level log_min = LOG_LEVEL_INFO;

static const struct {
	const char *name;
	int syslog_priority;
} log_levels[] = {
	[LOG_LEVEL_DEBUG] = { "debug", LOG_DEBUG },
	[LOG_LEVEL_INFO] = { "info", LOG_INFO },
	[LOG_LEVEL_WARN] = { "warn", LOG_WARNING },
	[LOG_LEVEL_ERROR] = { "error", LOG_ERR },
};

void
log_init(const char *ident, int use_syslog, enum log_level level)
{
	log_ident = ident;
	log_min = level;
	if (log_to_syslog && !use_syslog)
		closelog();
	log_to_syslog = use_syslog;
	if (use_syslog)
		openlog(ident, LOG_PID | LOG_NDELAY, LOG_DAEMON);
}

int
log_level_parse(const char *text, enum log_level *out)
{
	for (size_t i = 0; i < sizeof(log_levels) / sizeof(log_levels[0]); i++) {
		if (strcmp(text, log_levels[i].name) == 0) {
			*out = (enum log_level)i;
			return 0;
		}
	}
	return -1;
}

static void log_emit(enum log_level level, int errnum, const char *fmt,
    va_list ap) __attribute__((format(printf, 3, 0)));

/* Writes one line; errnum >= 0 appends its strerror text. */
static void
log_emit(enum log_level level, int errnum, const char *fmt, va_list ap)
{
	char msg[2048];
	int n;

	if (level < log_min)
		return;
	n = vsnprintf(msg, sizeof(msg), fmt, ap);
	if (n < 0)
		return;
	if (errnum >= 0 && (size_t)n < sizeof(msg))
		snprintf(msg + n, sizeof(msg) - (size_t)n, ": %s", strerror(errnum));

	if (log_to_syslog) {
		syslog(log_levels[level].syslog_priority, "%s", msg);
		return;
	}
	char stamp[32];
	struct timespec ts;
	struct tm tm;
	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%S", &tm);
	/* One fprintf per line keeps lines from different processes whole. */
	fprintf(stderr, "%s.%03ldZ %s[%ld] %s: %s\n", stamp, ts.tv_nsec / 1000000,
	    log_ident, (long)getpid(), log_levels[level].name, msg);
}

#define LOG_BODY(level, errnum) do {            \
	va_list ap;                              \
	va_start(ap, fmt);                       \
	log_emit((level), (errnum), fmt, ap);    \
	va_end(ap);                              \
} while (0)

void log_debug(const char *fmt, ...) { LOG_BODY(LOG_LEVEL_DEBUG, -1); }
void log_info(const char *fmt, ...) { LOG_BODY(LOG_LEVEL_INFO, -1); }
void log_warnx(const char *fmt, ...) { LOG_BODY(LOG_LEVEL_WARN, -1); }
void log_error(const char *fmt, ...) { LOG_BODY(LOG_LEVEL_ERROR, -1); }

void
log_warn(const char *fmt, ...)
{
	int saved = errno;
	LOG_BODY(LOG_LEVEL_WARN, saved);
}

void
fatal(const char *fmt, ...)
{
	int saved = errno;
	LOG_BODY(LOG_LEVEL_ERROR, saved);
	exit(1);
}

void
fatalx(const char *fmt, ...)
{
	LOG_BODY(LOG_LEVEL_ERROR, -1);
	exit(1);
}
