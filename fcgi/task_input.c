/*
 * task_input: field-by-field validation of a new task. Each check names
 * the field at fault; nothing here touches the database. The order of the
 * checks is the API's (docs/API.md §4): the type, the fields that do not
 * belong to it, url, post_data, the request options, then the type's own.
 */
#include "task_input.h"

#include <string.h>

#include "json_body.h"
#include "url_guard.h"

static int
check_type(struct json_object *body, struct task_input *in,
    struct task_check *c)
{
	struct json_object *v = task_field(body, "task_type");
	int kind = -1;

	if (v == NULL)
		return task_check_fail(c, "task_type", "%s",
		    "task_type is required");
	/* Whole-length match: "one_time\u0000x" is not one_time. */
	if (json_object_is_type(v, json_type_string))
		kind = task_kind_of_word(json_object_get_string(v),
		    (size_t)json_object_get_string_len(v));
	if (kind < 0)
		return task_check_fail(c, "task_type", "task_type must be one "
		    "of %s", task_type_word_list());
	in->sched.kind = (enum task_kind)kind;
	return task_type_foreign_fields(body, in->sched.kind, c);
}

static int
check_url(struct json_object *body, const struct config *cfg,
    struct task_input *in, struct task_check *c)
{
	struct json_object *v = task_field(body, "url");
	char why[256];

	if (v == NULL)
		return task_check_fail(c, "url", "%s", "url is required");
	if (!json_object_is_type(v, json_type_string))
		return task_check_fail(c, "url", "%s", "url must be a string");
	in->url = json_object_get_string(v);
	in->url_len = (size_t)json_object_get_string_len(v);
	if (url_guard_check(in->url, in->url_len, cfg->allow_private_targets,
	    cfg->resolve_timeout_ms, why, sizeof(why)) != URL_GUARD_OK)
		return task_check_fail(c, "url", "%s", why);
	return 0;
}

static int
check_post_data(struct json_object *body, struct task_input *in,
    struct task_check *c)
{
	struct json_object *v = task_field(body, "post_data");

	if (v == NULL) {
		in->post_data = "{}";
		in->post_data_len = 2;
		return 0;
	}
	if (!json_object_is_type(v, json_type_object))
		return task_check_fail(c, "post_data", "%s",
		    "post_data must be a JSON object");
	in->post_data = json_body_serialize(v, &in->post_data_len);
	return 0;
}

int
task_input_parse(struct json_object *body, const struct config *cfg,
    int64_t now, struct task_input *out, char *err, size_t errlen,
    const char **field)
{
	struct task_check c = { err, errlen, field };

	memset(out, 0, sizeof(*out));
	*field = NULL;
	if (check_type(body, out, &c) < 0 || check_url(body, cfg, out, &c) < 0 ||
	    check_post_data(body, out, &c) < 0 ||
	    task_options_parse(body, &out->opt, err, errlen, field) < 0)
		return -1;
	out->sched.end = SCHEDULE_NO_END;
	return task_types[out->sched.kind].parse(body, cfg, now, &out->sched,
	    &c);
}
