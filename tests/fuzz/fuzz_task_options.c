/*
 * fuzz_task_options: libFuzzer harness of fcgi/task_options.c, the
 * request_method, headers and name checks. The input is a POST /tasks
 * body: what lib/json_body.c accepts as an object goes to
 * task_options_parse; the raw bytes also go to task_options_name_valid.
 * Property: accepted options are within the limits the dispatcher
 * relies on (header count, line length, no CR/LF/NUL in a value,
 * re-checked on the stored text).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "json_body.h"
#include "task_options.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
fuzz_check_headers(const struct task_options *opt)
{
	char err[256];
	struct json_object *h = json_body_parse(opt->headers, opt->headers_len,
	    err, sizeof(err));

	if (h == NULL || !json_object_is_type(h, json_type_object) ||
	    json_object_object_length(h) > TASK_HEADERS_MAX)
		abort();
	json_object_object_foreach(h, key, val) {
		if (!json_object_is_type(val, json_type_string) ||
		    strlen(key) + (size_t)json_object_get_string_len(val) >
		    TASK_HEADER_LINE_MAX)
			abort();
		/* A CR or LF stored here would inject a header at dispatch. */
		const char *s = json_object_get_string(val);
		size_t len = (size_t)json_object_get_string_len(val);
		if (memchr(s, '\r', len) || memchr(s, '\n', len) || memchr(s, '\0', len))
			abort();
	}
	json_object_put(h);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct task_options opt;
	char err[256];
	const char *field = NULL;
	char *copy = malloc(size ? size : 1);

	if (copy == NULL)
		return 0;
	memcpy(copy, data, size);
	if (task_options_name_valid(copy, size) &&
	    (size < 1 || size > TASK_NAME_MAX))
		abort();
	free(copy);
	struct json_object *body = json_body_parse((const char *)data, size, err,
	    sizeof(err));
	if (body == NULL)
		return 0;
	if (task_options_parse(body, &opt, err, sizeof(err), &field) == 0) {
		if (opt.request_method == NULL || opt.headers == NULL ||
		    (opt.name != NULL &&
		    !task_options_name_valid(opt.name, strlen(opt.name))))
			abort();
		fuzz_check_headers(&opt);
	}
	json_object_put(body);
	return 0;
}
