/*
 * sqlsplit: a small scanner over migration text that knows MariaDB's
 * quotes ('', "", ``, with backslash escapes in the first two) and comments,
 * so that a ';' inside a COMMENT 'a; b' string does not end a statement.
 */
#include "sqlsplit.h"

#include <string.h>

void
sqlsplit_init(struct sqlsplit *sp, const char *text, size_t len)
{
	sp->text = text;
	sp->len = len;
	sp->pos = 0;
	sp->line = 1;
}

static int
sqlsplit_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
	    c == '\v';
}

/* Moves past one character, counting lines. */
static void
sqlsplit_advance(struct sqlsplit *sp)
{
	if (sp->text[sp->pos] == '\n')
		sp->line++;
	sp->pos++;
}

/*
 * At a comment start: skips the comment and returns 1 (or -1 if a
 * slash-star comment never ends); returns 0 when no comment starts here.
 * "--" starts a comment only when a blank or the end follows, as in MariaDB.
 */
static int
sqlsplit_skip_comment(struct sqlsplit *sp)
{
	const char *t = sp->text;
	size_t rest = sp->len - sp->pos;

	if (t[sp->pos] == '#' || (rest >= 2 && t[sp->pos] == '-' &&
	    t[sp->pos + 1] == '-' && (rest == 2 || sqlsplit_blank(t[sp->pos + 2])))) {
		while (sp->pos < sp->len && t[sp->pos] != '\n')
			sqlsplit_advance(sp);
		return 1;
	}
	if (rest >= 2 && t[sp->pos] == '/' && t[sp->pos + 1] == '*') {
		sp->pos += 2;
		while (sp->pos + 1 < sp->len &&
		    !(t[sp->pos] == '*' && t[sp->pos + 1] == '/'))
			sqlsplit_advance(sp);
		if (sp->pos + 1 >= sp->len) {
			sp->pos = sp->len;
			return -1;
		}
		sp->pos += 2;
		return 1;
	}
	return 0;
}

/* At an opening quote: skips to just past its closing quote; 0 or -1. */
static int
sqlsplit_skip_quoted(struct sqlsplit *sp)
{
	char q = sp->text[sp->pos];

	sqlsplit_advance(sp);
	while (sp->pos < sp->len) {
		char c = sp->text[sp->pos];
		if (c == '\\' && q != '`' && sp->pos + 1 < sp->len) {
			sqlsplit_advance(sp);
			sqlsplit_advance(sp);
			continue;
		}
		sqlsplit_advance(sp);
		/* A doubled quote ('') reopens at once on the next round. */
		if (c == q)
			return 0;
	}
	return -1;
}

int
sqlsplit_next(struct sqlsplit *sp, struct sqlsplit_stmt *out)
{
	int started = 0, r;

	memset(out, 0, sizeof(*out));
	while (sp->pos < sp->len) {
		char c = sp->text[sp->pos];
		unsigned line = sp->line;

		if (!started && sqlsplit_blank(c)) {
			sqlsplit_advance(sp);
			continue;
		}
		if ((r = sqlsplit_skip_comment(sp)) != 0) {
			if (r < 0) {
				out->line = line;
				return -1;
			}
			continue;
		}
		if (!started && c == ';') {
			sp->pos++;	/* an empty statement */
			continue;
		}
		if (!started) {
			started = 1;
			out->start = sp->pos;
			out->line = sp->line;
		}
		if (c == ';') {
			out->len = sp->pos - out->start;
			sp->pos++;
			return 1;
		}
		if (c == '\'' || c == '"' || c == '`') {
			if (sqlsplit_skip_quoted(sp) < 0) {
				out->line = line;
				return -1;
			}
			continue;
		}
		sqlsplit_advance(sp);
	}
	if (!started)
		return 0;
	/* The last statement may lack its ';'. */
	out->len = sp->len - out->start;
	while (out->len > 0 && sqlsplit_blank(sp->text[out->start + out->len - 1]))
		out->len--;
	return 1;
}
