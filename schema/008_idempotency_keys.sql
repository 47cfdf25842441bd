-- 008: idempotent create (docs/API.md §7.5). A row remembers the 201 that
-- a POST /tasks carrying Idempotency-Key answered, for 24 hours: the key
-- per user, the SHA-256 of the request body it came with and the task it
-- created. The row is inserted in the create's own transaction, so a
-- refused create leaves none and two concurrent requests with one key meet
-- on the primary key. task_id has no foreign key: a replay answers the
-- first 201 even after that task was deleted. The dispatcher deletes rows
-- older than 24 hours in bounded batches (dispatcher/housekeeping.c), by
-- idempotency_keys_created.

CREATE TABLE idempotency_keys (
  owner_id       BIGINT UNSIGNED NOT NULL COMMENT 'users.id of the user who sent the key',
  idem_key       VARBINARY(255) NOT NULL COMMENT 'the Idempotency-Key header, 1 to 255 visible ASCII bytes, compared byte for byte',
  request_sha256 BINARY(32) NOT NULL COMMENT 'SHA-256 of the raw request body of the first create',
  task_id        CHAR(32) CHARACTER SET ascii NOT NULL COMMENT 'tasks.id the first create answered',
  created_at     DATETIME(3) NOT NULL COMMENT 'UTC; replayed while younger than 24 hours',
  PRIMARY KEY (owner_id, idem_key),
  KEY idempotency_keys_created (created_at) COMMENT 'the housekeeping delete of expired keys',
  CONSTRAINT idempotency_keys_owner_fk FOREIGN KEY (owner_id) REFERENCES users (id)
    ON DELETE CASCADE
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin COMMENT 'Idempotency-Key of POST /tasks, 24 hours';
