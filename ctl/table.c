/*
 * table: collects rows of text, then prints them left-aligned in columns.
 * Memory is owned by the table until table_free.
 */
#include "table.h"

#include <stdlib.h>
#include <string.h>

int
table_init(struct table *t, unsigned ncols, const char *const *header)
{
	memset(t, 0, sizeof(*t));
	if (ncols == 0 || ncols > TABLE_MAX_COLS)
		return -1;
	t->ncols = ncols;
	return table_add(t, header);
}

int
table_add(struct table *t, const char *const *cells)
{
	if (t->nrows == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 16;
		char **p = realloc(t->cells, cap * t->ncols * sizeof(*p));
		if (p == NULL)
			return -1;
		t->cells = p;
		t->cap = cap;
	}
	char **row = t->cells + t->nrows * t->ncols;
	for (unsigned i = 0; i < t->ncols; i++) {
		row[i] = strdup(cells[i] != NULL ? cells[i] : "-");
		if (row[i] == NULL) {
			while (i-- > 0)
				free(row[i]);
			return -1;
		}
		size_t w = strlen(row[i]);
		if (w > t->width[i])
			t->width[i] = w;
	}
	t->nrows++;
	return 0;
}

void
table_print(const struct table *t, FILE *f)
{
	for (size_t r = 0; r < t->nrows; r++) {
		char **row = t->cells + r * t->ncols;
		for (unsigned i = 0; i < t->ncols; i++) {
			if (i + 1 == t->ncols)	/* no trailing blanks */
				fprintf(f, "%s\n", row[i]);
			else
				fprintf(f, "%-*s  ", (int)t->width[i], row[i]);
		}
	}
}

void
table_free(struct table *t)
{
	for (size_t i = 0; i < t->nrows * t->ncols; i++)
		free(t->cells[i]);
	free(t->cells);
	memset(t, 0, sizeof(*t));
}

int
table_print_rows(struct db_rows *rows, unsigned ncols,
    const char *const *header, FILE *f)
{
	struct table t;
	int rc;

	if (ncols > TABLE_MAX_COLS || table_init(&t, ncols, header) < 0) {
		db_rows_free(rows);
		return DB_ERROR;
	}
	while ((rc = db_rows_next(rows)) == 1) {
		const char *cells[TABLE_MAX_COLS];
		for (unsigned i = 0; i < ncols; i++)
			cells[i] = db_col(rows, i, NULL);
		if (table_add(&t, cells) < 0) {
			rc = DB_ERROR;
			break;
		}
	}
	db_rows_free(rows);
	if (rc == 0)
		table_print(&t, f);
	table_free(&t);
	return rc;
}
