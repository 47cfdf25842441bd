/*
 * sqlsplit: cuts the text of a migration file into single SQL statements,
 * because the connection runs one statement per call. A statement ends at a
 * ';' outside quotes and comments; comments (-- , #, slash-star) are skipped
 * between statements and kept inside them. No DELIMITER, no stored
 * programs with ';' in their bodies.
 */
#ifndef SCHED_SQLSPLIT_H
#define SCHED_SQLSPLIT_H

#include <stddef.h>

struct sqlsplit {
	const char *text;
	size_t len;
	size_t pos;		/* where the next statement search starts */
	unsigned line;		/* line of text[pos], 1-based */
};

/* One statement: text[start .. start+len), without its ';'. */
struct sqlsplit_stmt {
	size_t start;
	size_t len;
	unsigned line;		/* line where the statement starts */
};

void sqlsplit_init(struct sqlsplit *sp, const char *text, size_t len);

/*
 * Finds the next statement. 1: *out is filled; 0: only blanks and comments
 * were left; -1: an unterminated quote or comment (out->line is where it
 * began).
 */
int sqlsplit_next(struct sqlsplit *sp, struct sqlsplit_stmt *out);

#endif
