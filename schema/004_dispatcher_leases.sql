-- 004: what each dispatcher reports about its leases and its clock.
-- lost_leases counts outcomes that arrived after the dispatcher had lost
-- the lease (it stalled; another dispatcher took the occurrence over):
-- they are not recorded as runs. expired_claims counts claims it left
-- unstarted because they could no longer finish within their lease.
-- clock_offset_ms is the database's clock minus the dispatcher host's,
-- measured at each claim: due times follow the database's clock, so an
-- offset is harmless, but it is shown to operators (/admin/dispatchers,
-- /metrics) because other programs on that host may trust it.

ALTER TABLE dispatchers
  ADD COLUMN lost_leases BIGINT UNSIGNED NOT NULL DEFAULT 0 COMMENT 'outcomes that came after the lease was lost, not recorded' AFTER failed,
  ADD COLUMN expired_claims BIGINT UNSIGNED NOT NULL DEFAULT 0 COMMENT 'claims left unstarted: they could not finish within the lease' AFTER lost_leases,
  ADD COLUMN clock_offset_ms BIGINT NULL COMMENT 'database clock minus this host''s clock, ms; NULL before the first claim' AFTER expired_claims;
