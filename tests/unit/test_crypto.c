/*
 * test_crypto: SHA-256 and HMAC-SHA256 against published vectors (FIPS
 * 180-2 examples, RFC 4231 §4.2-4.8), and the shape and uniqueness of
 * random ids, tokens and secrets.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto.h"

static void
to_hex(const unsigned char *b, size_t n, char *out)
{
	for (size_t i = 0; i < n; i++)
		snprintf(out + 2 * i, 3, "%02x", b[i]);
}

static void
assert_sha256(const void *data, size_t len, const char *want)
{
	unsigned char d[CRYPTO_SHA256_LEN];
	char hex[2 * CRYPTO_SHA256_LEN + 1];
	crypto_sha256(data, len, d);
	to_hex(d, sizeof(d), hex);
	assert_string_equal(hex, want);
}

static void
test_sha256_vectors(void **state)
{
	(void)state;
	assert_sha256("", 0,
	    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	assert_sha256("abc", 3,
	    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	assert_sha256("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 56,
	    "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
	char *million = malloc(1000000);
	assert_non_null(million);
	memset(million, 'a', 1000000);
	assert_sha256(million, 1000000,
	    "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
	free(million);
}

static void
assert_hmac(const void *key, size_t keylen, const void *msg, size_t msglen,
    const char *want)
{
	char out[65];
	assert_int_equal(crypto_hmac_sha256_hex(key, keylen, msg, msglen, out), 0);
	assert_string_equal(out, want);
}

/* RFC 4231 section 4, HMAC-SHA-256 rows of test cases 1-7. */
static void
test_hmac_rfc4231(void **state)
{
	unsigned char k[131], d[50];
	(void)state;

	memset(k, 0x0b, 20);	/* 4.2 test case 1 */
	assert_hmac(k, 20, "Hi There", 8,
	    "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
	/* 4.3 test case 2: a key shorter than the output. */
	assert_hmac("Jefe", 4, "what do ya want for nothing?", 28,
	    "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
	memset(k, 0xaa, 20);	/* 4.4 test case 3 */
	memset(d, 0xdd, 50);
	assert_hmac(k, 20, d, 50,
	    "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe");
	for (int i = 0; i < 25; i++)	/* 4.5 test case 4 */
		k[i] = (unsigned char)(i + 1);
	memset(d, 0xcd, 50);
	assert_hmac(k, 25, d, 50,
	    "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b");
	/* 4.6 test case 5: the RFC gives only the first 128 bits. */
	char out[65];
	memset(k, 0x0c, 20);
	assert_int_equal(crypto_hmac_sha256_hex(k, 20, "Test With Truncation", 20, out), 0);
	assert_memory_equal(out, "a3b6167473100ee06e0c796c2955552b", 32);
	memset(k, 0xaa, 131);	/* 4.7 test case 6: key longer than a block */
	assert_hmac(k, 131, "Test Using Larger Than Block-Size Key - Hash Key First", 54,
	    "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
	static const char m7[] = "This is a test using a larger than block-size key "
	    "and a larger than block-size data. The key needs to be hashed "
	    "before being used by the HMAC algorithm.";
	assert_hmac(k, 131, m7, sizeof(m7) - 1,	/* 4.8 test case 7 */
	    "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2");
}

/* The signature input is "UNIX." + body bytes: NULs in the body count. */
static void
test_hmac_binary_and_empty(void **state)
{
	char a[65], b[65];
	(void)state;
	assert_int_equal(crypto_hmac_sha256_hex("k", 1, "1.\0x", 4, a), 0);
	assert_int_equal(crypto_hmac_sha256_hex("k", 1, "1.\0y", 4, b), 0);
	assert_string_not_equal(a, b);
	assert_int_equal(strlen(a), 64);
	/* An empty body (GET/DELETE) still signs the timestamp prefix. */
	assert_int_equal(crypto_hmac_sha256_hex("k", 1, "", 0, a), 0);
	assert_int_equal(crypto_hmac_sha256_hex("k", 1, NULL, 0, b), 0);
	assert_string_equal(a, b);
	for (int i = 0; i < 64; i++)
		assert_true((a[i] >= '0' && a[i] <= '9') || (a[i] >= 'a' && a[i] <= 'f'));
}

static int
is_lower_hex(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return 0;
	return s[n] == '\0';
}

static void
test_ids_tokens_secrets_shape(void **state)
{
	char id[CRYPTO_ID_HEX_LEN], tok[CRYPTO_TOKEN_LEN], sec[CRYPTO_SECRET_HEX_LEN];
	(void)state;
	memset(id, 'X', sizeof(id));
	memset(tok, 'X', sizeof(tok));
	memset(sec, 'X', sizeof(sec));
	assert_int_equal(crypto_new_id(id), 0);
	assert_int_equal(strlen(id), 32);
	assert_true(is_lower_hex(id, 32));
	assert_int_equal(crypto_new_token(tok), 0);
	assert_int_equal(strlen(tok), 68);
	assert_memory_equal(tok, "sch_", 4);
	assert_true(is_lower_hex(tok + 4, 64));
	assert_int_equal(crypto_new_secret(sec), 0);
	assert_int_equal(strlen(sec), 64);
	assert_true(is_lower_hex(sec, 64));
}

static void
test_random_hex_bounds(void **state)
{
	char buf[200];
	(void)state;
	assert_int_equal(crypto_random_hex(buf, 1), 0);
	assert_int_equal(strlen(buf), 2);
	assert_int_equal(crypto_random_hex(buf, 64), 0);
	assert_int_equal(strlen(buf), 128);
	assert_int_equal(crypto_random_hex(buf, 0), -1);
	assert_int_equal(crypto_random_hex(buf, 65), -1);
}

static int
cmp_id(const void *a, const void *b)
{
	return strcmp(a, b);
}

/* 10,000 ids, all distinct; every hex digit shows up in every position. */
static void
test_ids_unique_and_spread(void **state)
{
	enum { N = 10000 };
	char (*ids)[CRYPTO_ID_HEX_LEN] = calloc(N, CRYPTO_ID_HEX_LEN);
	unsigned seen[32] = { 0 };
	(void)state;
	assert_non_null(ids);
	for (int i = 0; i < N; i++) {
		assert_int_equal(crypto_new_id(ids[i]), 0);
		for (int p = 0; p < 32; p++) {
			int v = ids[i][p] <= '9' ? ids[i][p] - '0' : ids[i][p] - 'a' + 10;
			seen[p] |= 1u << v;
		}
	}
	qsort(ids, N, CRYPTO_ID_HEX_LEN, cmp_id);
	for (int i = 1; i < N; i++)
		assert_string_not_equal(ids[i - 1], ids[i]);
	for (int p = 0; p < 32; p++)
		assert_int_equal(seen[p], 0xffff);
	free(ids);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sha256_vectors),
		cmocka_unit_test(test_hmac_rfc4231),
		cmocka_unit_test(test_hmac_binary_and_empty),
		cmocka_unit_test(test_ids_tokens_secrets_shape),
		cmocka_unit_test(test_random_hex_bounds),
		cmocka_unit_test(test_ids_unique_and_spread),
	};
	return cmocka_run_group_tests_name("crypto", tests, NULL, NULL);
}
