/*
 * task_patch: PATCH of a task (docs/API.md §14.3) and its version. A
 * *version* is a task's change counter: 1 at creation, +1 on every
 * request that changes a stored field; GET answers it as the ETag, and a
 * PATCH with If-Match changes nothing unless it is still the task's. The
 * handlers are declared in handlers.h.
 */
#ifndef SCHED_TASK_PATCH_H
#define SCHED_TASK_PATCH_H

#include <json-c/json.h>

#include "http.h"

/* Adds `ETag: "<version>"` of the task object task to res. */
void task_patch_etag(struct response *res, struct json_object *task);

#endif
