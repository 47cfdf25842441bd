-- 005: a disabled user's tasks do not fire. tasks.owner_disabled mirrors
-- users.disabled (schedulerctl user disable/enable sets both in one
-- transaction) so that the claim can leave those tasks out by index: the
-- claim index gains it after status, and a claim stays one range of
-- tasks_due (status = 'active', owner_disabled = 0, next_run_at <= NOW())
-- in order, however many due tasks disabled users have.

ALTER TABLE tasks
  ADD COLUMN owner_disabled TINYINT(1) NOT NULL DEFAULT 0 COMMENT '1 while the owner is disabled: its occurrences wait, unclaimed' AFTER status,
  DROP KEY tasks_due,
  ADD KEY tasks_due (status, owner_disabled, next_run_at, seq) COMMENT 'the dispatcher claim: active rows of enabled owners, oldest due first';

UPDATE tasks t JOIN users u ON u.id = t.owner_id
  SET t.owner_disabled = 1 WHERE u.disabled = 1;
