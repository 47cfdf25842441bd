/*
 * table: the aligned text tables of the list commands. Cells are copied;
 * a table is printed once with every column as wide as its widest cell.
 */
#ifndef SCHED_TABLE_H
#define SCHED_TABLE_H

#include <stdio.h>

#include "db.h"

#define TABLE_MAX_COLS 8

struct table {
	unsigned ncols;
	size_t width[TABLE_MAX_COLS];
	char **cells;		/* rows * ncols, row-major; row 0 the header */
	size_t nrows, cap;
};

/* Starts a table with the header cells (ncols of them). 0 or -1. */
int table_init(struct table *t, unsigned ncols, const char *const *header);
/* Adds a row of ncols cells (NULL prints as "-"). 0, or -1 out of memory. */
int table_add(struct table *t, const char *const *cells);
/* Prints header and rows, columns separated by two spaces. */
void table_print(const struct table *t, FILE *f);
void table_free(struct table *t);
/*
 * Reads every row of a query result (its first ncols columns) into a
 * table with header, prints it to f, and frees both. Returns a db_status
 * (DB_ERROR when out of memory).
 */
int table_print_rows(struct db_rows *rows, unsigned ncols,
    const char *const *header, FILE *f);

#endif
