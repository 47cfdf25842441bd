-- 006: every task carries a version (docs/API.md §14.3): 1 at creation, +1
-- on every request that changes a stored field (a PATCH that changes
-- something, a pause of an active task, a resume of a paused one). GET
-- answers it as the ETag, PATCH compares it with If-Match. Tasks stored
-- before this migration start at 1.

ALTER TABLE tasks
  ADD COLUMN version INT UNSIGNED NOT NULL DEFAULT 1 COMMENT 'the task''s version: +1 on every change a request makes (ETag, If-Match)' AFTER run_count;
