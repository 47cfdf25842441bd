-- 002: indexes for the admin API (SPEC §14) and /metrics.
-- /admin/tasks lists every user's tasks in creation order, filtered by
-- status and/or task type: each filter has an index ending in seq, so a
-- page is an index range read in order (no filesort) and a count is an
-- index-only range read. With a user filter the owner_* indexes of 001
-- serve.
-- /admin/stats counts attempts per minute over the last hour: a range on
-- (finished_at, outcome) answers it from the index alone, never touching
-- the runs' rows; it supersedes task_runs_finished (its prefix).

ALTER TABLE tasks
  ADD KEY tasks_status_seq (status, seq),
  ADD KEY tasks_type_seq (task_type, seq),
  ADD KEY tasks_status_type_seq (status, task_type, seq);

ALTER TABLE task_runs
  ADD KEY task_runs_finished_outcome (finished_at, outcome) COMMENT 'attempts per minute by outcome, index-only',
  DROP KEY task_runs_finished;
