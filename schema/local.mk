# schema/: numbered SQL migrations, installed for schedulerctl migrate.
schemadir = $(pkgdatadir)/schema
dist_schema_DATA = schema/001_initial.sql schema/002_admin_indexes.sql
