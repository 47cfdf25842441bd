/*
 * batch: rows of values gathered into one JSON array that a statement reads
 * with JSON_TABLE(?), so that one prepared statement with one bound
 * parameter handles a whole batch (one round trip, not one per row).
 */
#ifndef DISPATCHER_BATCH_H
#define DISPATCHER_BATCH_H

#include <stddef.h>

#include "db.h"

struct json_object;

struct batch {
	struct json_object *rows;
	struct json_object *row;
	size_t n;		/* rows so far */
	int failed;		/* out of memory at some step */
};

void batch_init(struct batch *b);
void batch_free(struct batch *b);
/* Starts a new row; the values that follow go into it, in order. */
void batch_row(struct batch *b);
void batch_uint(struct batch *b, unsigned long long v);
void batch_int(struct batch *b, long long v);
/* A string, or JSON null when s is NULL. */
void batch_str(struct batch *b, const char *s);
/*
 * The rows as JSON text, valid until the next change or batch_free; NULL
 * when a step ran out of memory.
 */
const char *batch_text(struct batch *b, size_t *len);
/*
 * Sets *p to the rows as a text parameter (valid like batch_text). DB_OK,
 * or DB_ERROR with "out of memory" in db->err.
 */
int batch_param(struct batch *b, struct db *db, struct db_param *p);

#endif
