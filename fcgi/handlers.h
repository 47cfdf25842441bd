/*
 * handlers: one function per route (routes.c). Each runs after routing,
 * the body-size check and (for user routes) authentication, and fills the
 * response; none writes to the stream itself.
 */
#ifndef SCHED_HANDLERS_H
#define SCHED_HANDLERS_H

#include "http.h"

void handle_tasks_create(struct request *req, struct response *res);
void handle_tasks_list(struct request *req, struct response *res);
void handle_task_get(struct request *req, struct response *res);
void handle_task_delete(struct request *req, struct response *res);
void handle_task_pause(struct request *req, struct response *res);
void handle_task_resume(struct request *req, struct response *res);
void handle_tasks_pause(struct request *req, struct response *res);
void handle_tasks_resume(struct request *req, struct response *res);
void handle_tasks_delete(struct request *req, struct response *res);
void handle_task_get_by_name(struct request *req, struct response *res);
void handle_task_delete_by_name(struct request *req, struct response *res);
void handle_task_runs(struct request *req, struct response *res);
/* PATCH of a task by id or by name (task_patch.c). */
void handle_task_patch(struct request *req, struct response *res);
void handle_task_patch_by_name(struct request *req, struct response *res);
/* Run now and the preview of the next occurrences (task_run.c). */
void handle_task_run(struct request *req, struct response *res);
void handle_task_next(struct request *req, struct response *res);
void handle_health(struct request *req, struct response *res);
void handle_metrics(struct request *req, struct response *res);
/* The /admin routes: 403 unless req->user_is_admin (admin_api.c). */
void handle_admin_tasks(struct request *req, struct response *res);
void handle_admin_dispatchers(struct request *req, struct response *res);
void handle_admin_stats(struct request *req, struct response *res);
/* Any user's task, as its owner's route would (admin_api.c, §20.4). */
void handle_admin_task_pause(struct request *req, struct response *res);
void handle_admin_task_resume(struct request *req, struct response *res);
void handle_admin_task_run(struct request *req, struct response *res);
void handle_admin_task_delete(struct request *req, struct response *res);

#endif
