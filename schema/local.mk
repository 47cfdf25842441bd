# schema/: numbered SQL migrations, installed for schedulerctl migrate.
schemadir = $(pkgdatadir)/schema
dist_schema_DATA = schema/001_initial.sql schema/002_admin_indexes.sql \
	schema/003_user_quota.sql schema/004_dispatcher_leases.sql \
	schema/005_disabled_owner_waits.sql \
	schema/008_idempotency_keys.sql \
	schema/006_task_version.sql \
	schema/007_run_now.sql
