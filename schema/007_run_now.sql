-- 007_run_now: POST /tasks/{id}/run (docs/API.md). A run-now delivery is
-- an occurrence the API queues; its first attempt fires whatever the
-- task's status (lib/lifecycle.h, LIFECYCLE_RUN_NOW_FIRST), its retries
-- are held while the task does not fire, like any other.
ALTER TABLE deliveries
  ADD COLUMN run_now TINYINT(1) NOT NULL DEFAULT 0 COMMENT '1: queued by POST /tasks/{id}/run; its first attempt fires even while the task is paused or completed' AFTER held;
