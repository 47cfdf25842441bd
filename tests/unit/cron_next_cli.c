/*
 * cron_next_cli: driver for the cron property test. Reads lines
 * "EXPR<TAB>ZONE<TAB>AFTER" on stdin and prints, per line, cron_next's
 * answer in UTC seconds (-1 for none) or "error: MESSAGE" when the
 * expression does not parse.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cron.h"

int
main(void)
{
	char line[512], err[256];

	while (fgets(line, sizeof(line), stdin) != NULL) {
		char *expr = line, *zone, *after, *end;
		struct cron_expr e;
		long long t;

		line[strcspn(line, "\n")] = '\0';
		if ((zone = strchr(expr, '\t')) == NULL ||
		    (after = strchr(zone + 1, '\t')) == NULL) {
			printf("error: bad input line\n");
			continue;
		}
		*zone++ = '\0';
		*after++ = '\0';
		t = strtoll(after, &end, 10);
		if (cron_parse(expr, &e, err, sizeof(err)) == -1)
			printf("error: %s\n", err);
		else
			printf("%" PRId64 "\n", cron_next(&e, zone, (int64_t)t));
	}
	return 0;
}
