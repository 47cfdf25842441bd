/*
 * crypto: random identifiers, token hashing and callback signatures, all
 * from OpenSSL's libcrypto and the OS random source.
 */
#ifndef SCHED_CRYPTO_H
#define SCHED_CRYPTO_H

#include <stddef.h>

#define CRYPTO_ID_HEX_LEN 33		/* 128-bit id as 32 lowercase hex + NUL */
#define CRYPTO_SECRET_HEX_LEN 65	/* 256-bit signing secret, 64 hex + NUL */
#define CRYPTO_TOKEN_LEN 69		/* "sch_" + 64 hex (256 bits) + NUL */
#define CRYPTO_SHA256_LEN 32

/* Fills out with 2*nbytes lowercase hex characters of OS randomness + NUL. 0 or -1. */
int crypto_random_hex(char *out, size_t nbytes);
/* A new task or run id (128 bits). 0 or -1. */
int crypto_new_id(char out[CRYPTO_ID_HEX_LEN]);
/* A new bearer token, shown once to its owner. 0 or -1. */
int crypto_new_token(char out[CRYPTO_TOKEN_LEN]);
/* A new signing secret (64 lowercase hex). 0 or -1. */
int crypto_new_secret(char out[CRYPTO_SECRET_HEX_LEN]);
/* SHA-256 of data: how tokens are stored and looked up. */
void crypto_sha256(const void *data, size_t len, unsigned char out[CRYPTO_SHA256_LEN]);
/*
 * Lowercase hex HMAC-SHA256(key, msg) into out (65 bytes). The callback
 * signature is HMAC(secret text, "UNIX." + body). 0 or -1.
 */
int crypto_hmac_sha256_hex(const void *key, size_t keylen, const void *msg,
    size_t msglen, char out[65]);

#endif
