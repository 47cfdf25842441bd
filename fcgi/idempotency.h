/*
 * idempotency: the Idempotency-Key of POST /tasks (docs/API.md §7.5). A
 * *key* is what the client sends; a *remembered create* is the row that
 * the 201 of the first create with that key left in idempotency_keys:
 * the SHA-256 of its body and its task id, replayed for 24 hours.
 */
#ifndef SCHED_IDEMPOTENCY_H
#define SCHED_IDEMPOTENCY_H

#include <stddef.h>

#include "crypto.h"
#include "db.h"
#include "http.h"

#define IDEMPOTENCY_KEY_MAX 255
#define IDEMPOTENCY_HEADER "Idempotency-Key"
#define IDEMPOTENCY_MSG_BAD_KEY \
	"Idempotency-Key must be 1 to 255 visible ASCII characters"
#define IDEMPOTENCY_MSG_REUSED "Idempotency-Key reused with a different request"

/* What a key found. */
enum idempotency_outcome {
	IDEM_NEW,	/* no remembered create: this request creates */
	IDEM_REPLAY,	/* same body: answer the first 201 again */
	IDEM_MISMATCH,	/* another body: 422 */
};

struct idempotency {
	const char *key;	/* the header (points into the request); NULL: none */
	size_t key_len;
	unsigned char body_sha256[CRYPTO_SHA256_LEN];	/* of the raw body */
	enum idempotency_outcome outcome;
	char task_id[33];	/* the first create's id, for IDEM_REPLAY */
};

/*
 * Reads req's Idempotency-Key into idem (key NULL when the request has
 * none) and hashes the body. -1 after answering 400 for a key that is
 * empty, longer than IDEMPOTENCY_KEY_MAX or not all 0x21-0x7E.
 */
int idempotency_parse(const struct request *req, struct response *res,
    struct idempotency *idem);

/*
 * Sets idem->outcome from the remembered create of owner's key younger
 * than 24 hours, if any; IDEM_NEW when there is none. Needs a key. Runs
 * in or out of a transaction; a db_status.
 */
int idempotency_lookup(struct db *db, long long owner, struct idempotency *idem);

/*
 * In the create's transaction, before its INSERT: deletes owner's key if
 * older than 24 hours, then remembers it for task_id. A create with the
 * same key that is still open holds the new row, so this waits for its
 * COMMIT and then finds its row: idem->outcome says REPLAY or MISMATCH
 * and the caller rolls back; IDEM_NEW when the key is now this create's.
 * A db_status.
 */
int idempotency_claim(struct db *db, long long owner, struct idempotency *idem,
    const char *task_id);

/* Marks res as a replay: the header Idempotent-Replayed: true. */
void idempotency_mark_replayed(struct response *res);

#endif
