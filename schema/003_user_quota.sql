-- 003: per-user quota counters, for max_tasks_per_user and
-- max_post_data_bytes_per_user (scheduler.conf(5)).
-- A create adds 1 and its post_data length to its owner's row in the same
-- transaction as the INSERT, by one UPDATE whose WHERE refuses a create
-- past a limit: the row lock orders two creates of one user, so they can
-- never both take the last free slot. Every delete of tasks takes them off
-- again in its own transaction. Signed, so that a decrement clamped at 0
-- (GREATEST) can be written; a counter is never negative.
-- The counters start from the tasks already stored. Tasks that programs
-- older than 003 create or delete after this ran are not counted: restart
-- scheduler-api right after migrating (docs/upgrading.md).

ALTER TABLE users
  ADD COLUMN task_count BIGINT NOT NULL DEFAULT 0 COMMENT 'tasks this user owns, completed ones included (max_tasks_per_user)',
  ADD COLUMN post_data_bytes BIGINT NOT NULL DEFAULT 0 COMMENT 'bytes of post_data as stored, summed over this user''s tasks (max_post_data_bytes_per_user)';

UPDATE users u SET
  u.task_count = (SELECT COUNT(*) FROM tasks t WHERE t.owner_id = u.id),
  u.post_data_bytes = (SELECT COALESCE(SUM(LENGTH(t.post_data)), 0)
                       FROM tasks t WHERE t.owner_id = u.id);
