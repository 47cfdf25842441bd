/*
 * fuzz_config: libFuzzer harness of lib/config.c. The input is a whole
 * config file. config_load reads only from a path, so the input is
 * written to a memfd (no disk) and loaded through /proc/self/fd/N over
 * the defaults, as the daemons do.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int fuzz_fd = -1;
static char fuzz_path[64];

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct config cfg;
	char err[1024];

	if (fuzz_fd < 0) {
		if ((fuzz_fd = memfd_create("fuzz_config", 0)) < 0)
			abort();
		snprintf(fuzz_path, sizeof(fuzz_path), "/proc/self/fd/%d", fuzz_fd);
	}
	if (ftruncate(fuzz_fd, 0) < 0 ||
	    (size > 0 && pwrite(fuzz_fd, data, size, 0) != (ssize_t)size))
		abort();
	config_defaults(&cfg);
	if (config_load(&cfg, fuzz_path, err, sizeof(err)) == 0 &&
	    (memchr(cfg.listen, '\0', sizeof(cfg.listen)) == NULL ||
	    memchr(cfg.log_level, '\0', sizeof(cfg.log_level)) == NULL))
		abort();
	return 0;
}
