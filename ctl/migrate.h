/*
 * migrate: `schedulerctl migrate` — applies the schema directory's pending
 * NNN_name.sql files in numeric order and records each in
 * schema_migrations. A *version* is the NNN prefix of a file.
 */
#ifndef SCHED_MIGRATE_H
#define SCHED_MIGRATE_H

#include "ctl.h"

int migrate_run(struct ctl *ctl, int argc, char **argv);

#endif
