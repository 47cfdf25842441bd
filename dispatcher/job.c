/*
 * job: allocation and FIFO lists of in-flight deliveries. Memory of a job
 * belongs to the list holding it; the main loop frees it once its outcome
 * is written or its claim released.
 */
#include "job.h"

#include <stdlib.h>
#include <string.h>

static char *
job_dup(const char *s, size_t len)
{
	char *p = malloc(len + 1);

	if (p == NULL)
		return NULL;
	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

struct job *
job_new(const char *url, const char *headers_json, const char *body,
    size_t body_len)
{
	struct job *job = calloc(1, sizeof(*job));

	if (job == NULL)
		return NULL;
	job->url = job_dup(url, strlen(url));
	job->headers_json = job_dup(headers_json, strlen(headers_json));
	job->body = job_dup(body, body_len);
	job->body_len = body_len;
	if (job->url == NULL || job->headers_json == NULL || job->body == NULL) {
		job_free(job);
		return NULL;
	}
	return job;
}

void
job_free(struct job *job)
{
	if (job == NULL)
		return;
	free(job->url);
	free(job->headers_json);
	free(job->body);
	free(job);
}

int
job_succeeded(const struct job *job)
{
	return job->error[0] == '\0' && job->http_status >= 200 &&
	    job->http_status <= 299;
}

void
job_list_push(struct job_list *list, struct job *job)
{
	job->next = NULL;
	job->prev = list->tail;
	if (list->tail != NULL)
		list->tail->next = job;
	else
		list->head = job;
	list->tail = job;
	list->n++;
}

void
job_list_remove(struct job_list *list, struct job *job)
{
	if (job->prev != NULL)
		job->prev->next = job->next;
	else
		list->head = job->next;
	if (job->next != NULL)
		job->next->prev = job->prev;
	else
		list->tail = job->prev;
	job->next = job->prev = NULL;
	list->n--;
}

struct job *
job_list_pop(struct job_list *list)
{
	struct job *job = list->head;

	if (job != NULL)
		job_list_remove(list, job);
	return job;
}

void
job_list_concat(struct job_list *to, struct job_list *from)
{
	if (from->head == NULL)
		return;
	from->head->prev = to->tail;
	if (to->tail != NULL)
		to->tail->next = from->head;
	else
		to->head = from->head;
	to->tail = from->tail;
	to->n += from->n;
	from->head = from->tail = NULL;
	from->n = 0;
}

void
job_list_free(struct job_list *list)
{
	struct job *job;

	while ((job = job_list_pop(list)) != NULL)
		job_free(job);
}
