/*
 * fuzz_cron: libFuzzer harness of lib/cron.c. The input is a cron
 * expression as a client sends it (bytes after a NUL are ignored, as
 * json-c's string would end there for cron_parse). What parses is run
 * through cron_first and a few cron_next in a zone and from an instant
 * picked by a hash of the input, so the corpus stays plain text.
 * Property: occurrences strictly increase and stay within the range.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cron.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* UTC, DST both ways, a 30-minute DST, odd offsets, a zone link. */
static const char *const fuzz_zones[] = {
	"UTC", "Europe/Berlin", "America/New_York", "Australia/Lord_Howe",
	"Asia/Kathmandu", "America/Sao_Paulo", "Pacific/Chatham", "US/Eastern",
};
/* 1970, a US DST change, 2026, the last day the service stores. */
static const int64_t fuzz_from[] = {
	0, INT64_C(1710050400), INT64_C(1767225600), INT64_C(253402214400),
};

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cron_expr expr;
	char text[512], err[256];
	uint32_t h = 2166136261u;

	if (size >= sizeof(text))
		return 0;	/* the API stores at most 255 bytes */
	memcpy(text, data, size);
	text[size] = '\0';
	if (cron_parse(text, &expr, err, sizeof(err)) < 0)
		return 0;
	for (size_t i = 0; i < size; i++)
		h = (h ^ data[i]) * 16777619u;
	const char *zone = fuzz_zones[h % (sizeof(fuzz_zones) / sizeof(fuzz_zones[0]))];
	int64_t t = fuzz_from[(h >> 8) % (sizeof(fuzz_from) / sizeof(fuzz_from[0]))];
	int64_t prev = t - 1, next = cron_first(&expr, zone, t);
	for (int i = 0; i < 4 && next >= 0; i++) {
		if (next <= prev || next > CRON_LAST_INSTANT)
			abort();
		prev = next;
		next = cron_next(&expr, zone, next);
	}
	if (next < 0 && next != SCHEDULE_NONE && next != CRON_ZONE_ERROR)
		abort();
	return 0;
}
