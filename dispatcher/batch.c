/*
 * batch: a JSON array of JSON arrays built with json-c. Values are data
 * bound as a statement parameter, never SQL text.
 */
#include "batch.h"

#include <stdio.h>
#include <string.h>
#include <json-c/json.h>

void
batch_init(struct batch *b)
{
	memset(b, 0, sizeof(*b));
	b->rows = json_object_new_array();
	b->failed = b->rows == NULL;
}

void
batch_free(struct batch *b)
{
	json_object_put(b->rows);
	memset(b, 0, sizeof(*b));
}

void
batch_row(struct batch *b)
{
	if (b->failed)
		return;
	b->row = json_object_new_array();
	if (b->row == NULL || json_object_array_add(b->rows, b->row) != 0) {
		json_object_put(b->row);
		b->row = NULL;
		b->failed = 1;
		return;
	}
	b->n++;
}

/* Appends v (NULL: JSON null) to the current row; takes ownership. */
static void
batch_add(struct batch *b, struct json_object *v, int is_null)
{
	if (b->failed || b->row == NULL || (v == NULL && !is_null) ||
	    json_object_array_add(b->row, v) != 0) {
		json_object_put(v);
		b->failed = 1;
	}
}

void
batch_uint(struct batch *b, unsigned long long v)
{
	batch_add(b, json_object_new_uint64(v), 0);
}

void
batch_int(struct batch *b, long long v)
{
	batch_add(b, json_object_new_int64(v), 0);
}

void
batch_str(struct batch *b, const char *s)
{
	batch_add(b, s ? json_object_new_string(s) : NULL, s == NULL);
}

const char *
batch_text(struct batch *b, size_t *len)
{
	if (b->failed)
		return NULL;
	return json_object_to_json_string_length(b->rows,
	    JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE, len);
}

int
batch_param(struct batch *b, struct db *db, struct db_param *p)
{
	size_t len;
	const char *text = batch_text(b, &len);

	if (text == NULL) {
		snprintf(db->err, sizeof(db->err), "out of memory");
		return DB_ERROR;
	}
	*p = P_TEXT(text, len);
	return DB_OK;
}
