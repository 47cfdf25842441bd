/*
 * fuzz_json_body: libFuzzer harness of lib/json_body.c, the strict JSON
 * scanner every request body goes through. The input is a request body.
 * Besides "no crash, no leak", it checks one property: what the scanner
 * accepts and json_body_serialize writes back (the text stored and sent
 * to callbacks) is accepted again, so a stored post_data never becomes
 * unreadable.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "json_body.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const fuzz_words[] = { "POST", "PUT", "GET", "", NULL };

/* Visits every string in v through json_body_string_word. */
static void
fuzz_walk(struct json_object *v, int depth)
{
	if (depth > JSON_BODY_MAX_DEPTH + 1)
		abort();	/* the scanner let deeper nesting through */
	switch (json_object_get_type(v)) {
	case json_type_string:
		(void)json_body_string_word(v, fuzz_words);
		break;
	case json_type_array:
		for (size_t i = 0; i < json_object_array_length(v); i++)
			fuzz_walk(json_object_array_get_idx(v, i), depth + 1);
		break;
	case json_type_object: {
		json_object_object_foreach(v, key, val) {
			(void)json_body_word(key, strlen(key), fuzz_words);
			fuzz_walk(val, depth + 1);
		}
		break;
	}
	default:
		break;
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[256], err2[256];
	struct json_object *v, *again;
	const char *text;
	size_t len;

	(void)json_body_word((const char *)data, size, fuzz_words);
	v = json_body_parse((const char *)data, size, err, sizeof(err));
	if (v == NULL)
		return 0;
	fuzz_walk(v, 1);
	text = json_body_serialize(v, &len);
	if (text == NULL)
		abort();
	if (len <= JSON_BODY_MAX_BYTES) {
		again = json_body_parse(text, len, err2, sizeof(err2));
		if (again == NULL)
			abort();	/* our own output refused: see err2 */
		json_object_put(again);
	}
	json_object_put(v);
	return 0;
}
