/*
 * log: the one logging API of every program here. Lines go to stderr in the
 * foreground or to syslog as a daemon; levels filter what is written.
 */
#ifndef SCHED_LOG_H
#define SCHED_LOG_H

#include <stdarg.h>

enum log_level { LOG_LEVEL_DEBUG, LOG_LEVEL_INFO, LOG_LEVEL_WARN, LOG_LEVEL_ERROR };

/* Sets the program name and sink. Safe to call again (SIGHUP reload). */
void log_init(const char *ident, int use_syslog, enum log_level level);
/* Parses "debug", "info", "warn" or "error"; returns -1 for anything else. */
int log_level_parse(const char *text, enum log_level *out);

void log_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* log_warn appends strerror(errno); log_warnx does not. */
void log_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_warnx(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/*
 * Logs and exits with status 1. For start-up failures, and for a process
 * that cannot go on at all: an API worker whose poll() fails exits, and
 * its master starts a new one. Never for one request's or statement's
 * failure.
 */
void fatal(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
void fatalx(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

#endif
