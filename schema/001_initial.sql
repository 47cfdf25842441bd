-- 001: users, API tokens, tasks, deliveries (claimable work), runs, dispatchers.
-- All DATETIME columns hold UTC; every connection sets time_zone = '+00:00'.

CREATE TABLE users (
  id             BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  name           VARCHAR(100) NOT NULL COMMENT 'login name, unique',
  role           ENUM('user', 'admin') NOT NULL DEFAULT 'user' COMMENT 'admin may read /admin/*',
  disabled       TINYINT(1) NOT NULL DEFAULT 0 COMMENT '1: every token of this user answers 401',
  signing_secret CHAR(64) CHARACTER SET ascii NOT NULL COMMENT 'HMAC-SHA256 key for X-Scheduler-Signature, lowercase hex, used as ASCII text',
  created_at     DATETIME NOT NULL COMMENT 'UTC',
  PRIMARY KEY (id),
  UNIQUE KEY users_name (name)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin COMMENT 'API users';

CREATE TABLE api_tokens (
  id          BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  user_id     BIGINT UNSIGNED NOT NULL,
  token_hash  BINARY(32) NOT NULL COMMENT 'SHA-256 of the bearer token; the token itself is never stored',
  created_at  DATETIME NOT NULL COMMENT 'UTC',
  expires_at  DATETIME NULL COMMENT 'UTC; NULL: never expires',
  revoked_at  DATETIME NULL COMMENT 'UTC; set by schedulerctl token revoke',
  PRIMARY KEY (id),
  UNIQUE KEY api_tokens_hash (token_hash),
  KEY api_tokens_user (user_id),
  CONSTRAINT api_tokens_user_fk FOREIGN KEY (user_id) REFERENCES users (id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin COMMENT 'bearer tokens, hashed';

CREATE TABLE tasks (
  seq               BIGINT UNSIGNED NOT NULL AUTO_INCREMENT COMMENT 'creation order, strictly increasing; internal key',
  id                CHAR(32) CHARACTER SET ascii NOT NULL COMMENT 'public id: 128 random bits, lowercase hex',
  owner_id          BIGINT UNSIGNED NOT NULL COMMENT 'users.id of the owner',
  task_type         ENUM('one_time', 'periodic', 'cron') NOT NULL,
  name              VARCHAR(100) NULL COMMENT 'optional, unique per owner',
  url               VARCHAR(2048) NOT NULL COMMENT 'callback target',
  request_method    ENUM('POST', 'PUT', 'PATCH', 'GET', 'DELETE') NOT NULL DEFAULT 'POST',
  headers           TEXT NOT NULL COMMENT 'extra request headers, JSON object text',
  post_data         MEDIUMTEXT NOT NULL COMMENT 'callback body, JSON object text exactly as validated',
  frequency         INT UNSIGNED NULL COMMENT 'periodic: seconds between occurrences',
  start_at          DATETIME NULL COMMENT 'periodic/cron: first slot',
  end_at            DATETIME NULL COMMENT 'periodic/cron: no occurrence after this; NULL: no end',
  run_at            DATETIME NULL COMMENT 'one_time: when it fires',
  cron_expr         VARCHAR(255) NULL COMMENT 'cron: 5-field expression or @shortcut',
  timezone          VARCHAR(64) NULL COMMENT 'cron: IANA zone name',
  status            ENUM('active', 'paused', 'completed') NOT NULL DEFAULT 'active',
  next_run_at       DATETIME NULL COMMENT 'scheduled time of the next occurrence not yet started; NULL when none',
  created_at        DATETIME NOT NULL COMMENT 'UTC',
  last_run_at       DATETIME(3) NULL COMMENT 'first attempt of the most recent occurrence',
  last_run_outcome  ENUM('succeeded', 'failed') NULL COMMENT 'how the most recent finished occurrence ended',
  run_count         BIGINT UNSIGNED NOT NULL DEFAULT 0 COMMENT 'occurrences fired (retries count once)',
  PRIMARY KEY (seq),
  UNIQUE KEY tasks_id (id),
  UNIQUE KEY tasks_owner_name (owner_id, name),
  KEY tasks_owner_seq (owner_id, seq),
  KEY tasks_owner_status_seq (owner_id, status, seq),
  KEY tasks_owner_type_seq (owner_id, task_type, seq),
  KEY tasks_due (status, next_run_at, seq) COMMENT 'the dispatcher claim: active rows, oldest due first',
  CONSTRAINT tasks_owner_fk FOREIGN KEY (owner_id) REFERENCES users (id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin COMMENT 'scheduled callbacks';

CREATE TABLE deliveries (
  id             BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  task_seq       BIGINT UNSIGNED NOT NULL COMMENT 'tasks.seq',
  owner_id       BIGINT UNSIGNED NOT NULL COMMENT 'tasks.owner_id, so owner-scoped statements need no join',
  run_id         CHAR(32) CHARACTER SET ascii NOT NULL COMMENT 'X-Scheduler-Run-Id: one per occurrence, kept across retries',
  scheduled_for  DATETIME NOT NULL COMMENT 'the occurrence slot',
  attempt        INT UNSIGNED NOT NULL COMMENT 'number of the next attempt, 1-based',
  due_at         DATETIME(3) NOT NULL COMMENT 'next attempt time; while claimed, the lease end',
  held           TINYINT(1) NOT NULL DEFAULT 0 COMMENT '1 while the task is paused: not claimable',
  claimed_by     VARCHAR(128) NULL COMMENT 'dispatcher holding the lease, NULL when free',
  first_started_at DATETIME(3) NULL COMMENT 'when attempt 1 started',
  PRIMARY KEY (id),
  UNIQUE KEY deliveries_run (run_id),
  KEY deliveries_due (held, due_at, id) COMMENT 'claim: not held, due (or lease expired), oldest first',
  KEY deliveries_task (task_seq),
  CONSTRAINT deliveries_task_fk FOREIGN KEY (task_seq) REFERENCES tasks (seq) ON DELETE CASCADE
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin COMMENT 'occurrences started or waiting for a retry; deleted when finished';

CREATE TABLE task_runs (
  id             BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  task_seq       BIGINT UNSIGNED NOT NULL COMMENT 'tasks.seq',
  owner_id       BIGINT UNSIGNED NOT NULL COMMENT 'tasks.owner_id',
  run_id         CHAR(32) CHARACTER SET ascii NOT NULL COMMENT 'X-Scheduler-Run-Id of the occurrence',
  scheduled_for  DATETIME NOT NULL COMMENT 'the occurrence slot',
  attempt        INT UNSIGNED NOT NULL,
  started_at     DATETIME(3) NOT NULL,
  finished_at    DATETIME(3) NOT NULL,
  outcome        ENUM('succeeded', 'retrying', 'failed') NOT NULL,
  http_status    SMALLINT UNSIGNED NULL COMMENT 'NULL when no response came',
  error          VARCHAR(1024) NULL COMMENT 'NULL on success; HTTP 500 or the transport error',
  duration_ms    INT UNSIGNED NOT NULL,
  dispatcher     VARCHAR(128) NULL COMMENT 'which dispatcher made the attempt',
  PRIMARY KEY (id),
  KEY task_runs_task_started (task_seq, started_at, attempt) COMMENT 'a task''s history, newest first',
  KEY task_runs_finished (finished_at) COMMENT 'failures and rates over a time window',
  CONSTRAINT task_runs_task_fk FOREIGN KEY (task_seq) REFERENCES tasks (seq) ON DELETE CASCADE
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin COMMENT 'one row per finished attempt';

CREATE TABLE dispatchers (
  id              VARCHAR(128) NOT NULL COMMENT 'host:pid:start, chosen by the dispatcher',
  host            VARCHAR(255) NOT NULL,
  pid             INT UNSIGNED NOT NULL,
  started_at      DATETIME NOT NULL,
  last_heartbeat  DATETIME NOT NULL,
  heartbeat_interval INT UNSIGNED NOT NULL COMMENT 'seconds; online = heartbeat within 3 intervals',
  fired           BIGINT UNSIGNED NOT NULL DEFAULT 0 COMMENT 'attempts that succeeded',
  failed          BIGINT UNSIGNED NOT NULL DEFAULT 0 COMMENT 'attempts that failed',
  stopped_at      DATETIME NULL COMMENT 'set on a clean stop',
  PRIMARY KEY (id),
  KEY dispatchers_heartbeat (last_heartbeat)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin COMMENT 'dispatcher registry and heartbeats';
