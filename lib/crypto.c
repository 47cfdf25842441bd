/*
 * crypto: random identifiers, token hashing and callback signatures.
 * Randomness comes from the kernel (getrandom), digests and HMAC from
 * OpenSSL's one-shot EVP_Digest and HMAC.
 */
#include "crypto.h"

#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/random.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>

/* Largest random request: a 256-bit secret or token. */
#define CRYPTO_MAX_RANDOM 64

static void
hex_encode(const unsigned char *in, size_t n, char *out)
{
	static const char hex[] = "0123456789abcdef";
	for (size_t i = 0; i < n; i++) {
		out[2 * i] = hex[in[i] >> 4];
		out[2 * i + 1] = hex[in[i] & 0x0f];
	}
	out[2 * n] = '\0';
}

/* Fills buf with n bytes from the kernel; getrandom blocks only before boot-time seeding. */
static int
random_bytes(unsigned char *buf, size_t n)
{
	size_t got = 0;
	while (got < n) {
		ssize_t r = getrandom(buf + got, n - got, 0);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		got += (size_t)r;
	}
	return 0;
}

int
crypto_random_hex(char *out, size_t nbytes)
{
	unsigned char buf[CRYPTO_MAX_RANDOM];
	if (nbytes == 0 || nbytes > sizeof(buf))
		return -1;
	if (random_bytes(buf, nbytes) < 0)
		return -1;
	hex_encode(buf, nbytes, out);
	return 0;
}

int
crypto_new_id(char out[CRYPTO_ID_HEX_LEN])
{
	return crypto_random_hex(out, (CRYPTO_ID_HEX_LEN - 1) / 2);
}

int
crypto_new_token(char out[CRYPTO_TOKEN_LEN])
{
	/* "sch_" + 64 hex + NUL: exactly CRYPTO_TOKEN_LEN bytes. */
	memcpy(out, "sch_", 4);
	return crypto_random_hex(out + 4, 32);
}

int
crypto_new_secret(char out[CRYPTO_SECRET_HEX_LEN])
{
	return crypto_random_hex(out, (CRYPTO_SECRET_HEX_LEN - 1) / 2);
}

void
crypto_sha256(const void *data, size_t len, unsigned char out[CRYPTO_SHA256_LEN])
{
	unsigned int n = CRYPTO_SHA256_LEN;
	/* Cannot fail for SHA-256 short of memory exhaustion; zero the output then. */
	if (EVP_Digest(data, len, out, &n, EVP_sha256(), NULL) != 1)
		memset(out, 0, CRYPTO_SHA256_LEN);
}

int
crypto_hmac_sha256_hex(const void *key, size_t keylen, const void *msg,
    size_t msglen, char out[65])
{
	unsigned char mac[EVP_MAX_MD_SIZE];
	unsigned int n = 0;
	static const unsigned char empty = 0;

	if (keylen > (size_t)INT32_MAX)
		return -1;
	/* HMAC() treats a NULL message as "no data" only with a length of 0. */
	if (msg == NULL)
		msg = &empty;
	if (key == NULL)
		key = &empty;
	if (HMAC(EVP_sha256(), key, (int)keylen, msg, msglen, mac, &n) == NULL ||
	    n != CRYPTO_SHA256_LEN)
		return -1;
	hex_encode(mac, n, out);
	return 0;
}
