/*
 * routes: the table of every path scheduler-api answers (docs/API.md §3).
 * Anything not here is 404; a listed path with another method is 405.
 */
#include "router.h"
#include "handlers.h"

const struct route api_routes[] = {
	{ "GET", "/tasks", handle_tasks_list, ROUTE_USER },
	{ "POST", "/tasks", handle_tasks_create, ROUTE_USER },
	{ "DELETE", "/tasks", handle_tasks_delete, ROUTE_USER },
	{ "POST", "/tasks/pause", handle_tasks_pause, ROUTE_USER },
	{ "POST", "/tasks/resume", handle_tasks_resume, ROUTE_USER },
	{ "GET", "/tasks/name/{name}", handle_task_get_by_name, ROUTE_USER },
	{ "DELETE", "/tasks/name/{name}", handle_task_delete_by_name, ROUTE_USER },
	{ "PATCH", "/tasks/name/{name}", handle_task_patch_by_name, ROUTE_USER },
	{ "GET", "/tasks/id/{id}", handle_task_get, ROUTE_USER_TASK },
	{ "DELETE", "/tasks/id/{id}", handle_task_delete, ROUTE_USER },
	{ "PATCH", "/tasks/id/{id}", handle_task_patch, ROUTE_USER },
	{ "GET", "/tasks/{id}", handle_task_get, ROUTE_USER_TASK },
	{ "DELETE", "/tasks/{id}", handle_task_delete, ROUTE_USER },
	{ "PATCH", "/tasks/{id}", handle_task_patch, ROUTE_USER },
	{ "POST", "/tasks/{id}/pause", handle_task_pause, ROUTE_USER },
	{ "POST", "/tasks/{id}/resume", handle_task_resume, ROUTE_USER },
	{ "GET", "/tasks/{id}/runs", handle_task_runs, ROUTE_USER },
	{ "POST", "/tasks/{id}/run", handle_task_run, ROUTE_USER },
	{ "GET", "/tasks/{id}/next", handle_task_next, ROUTE_USER },
	{ "GET", "/health", handle_health, ROUTE_PUBLIC },
	{ "GET", "/metrics", handle_metrics, ROUTE_PUBLIC },
	{ "GET", "/admin/tasks", handle_admin_tasks, ROUTE_USER },
	{ "GET", "/admin/dispatchers", handle_admin_dispatchers, ROUTE_USER },
	{ "GET", "/admin/stats", handle_admin_stats, ROUTE_USER },
	{ "POST", "/admin/tasks/{id}/pause", handle_admin_task_pause, ROUTE_USER },
	{ "POST", "/admin/tasks/{id}/resume", handle_admin_task_resume, ROUTE_USER },
	{ "POST", "/admin/tasks/{id}/run", handle_admin_task_run, ROUTE_USER },
	{ "DELETE", "/admin/tasks/{id}", handle_admin_task_delete, ROUTE_USER },
};
const size_t api_routes_count = sizeof(api_routes) / sizeof(api_routes[0]);
