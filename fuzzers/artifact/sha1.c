// SPDX-License-Identifier: MIT
/*
 * SHA-1 from FIPS 180-4 §6.1, only to name crash files the way libFuzzer
 * does (crash-<sha1 of the input>), so that the harness and libFuzzer
 * write the same file for the same input.
 */

#include <stdio.h>
#include <string.h>

#include "sha1.h"

static uint32_t rol(uint32_t x, int n)
{
	return (x << n) | (x >> (32 - n));
}

static void sha1_block(uint32_t h[5], const uint8_t *p)
{
	uint32_t w[80], a = h[0], b = h[1], c = h[2], d = h[3], e = h[4];

	for (int t = 0; t < 16; t++)
		w[t] = (uint32_t)p[4 * t] << 24 | (uint32_t)p[4 * t + 1] << 16 |
		       (uint32_t)p[4 * t + 2] << 8 | p[4 * t + 3];
	for (int t = 16; t < 80; t++)
		w[t] = rol(w[t - 3] ^ w[t - 8] ^ w[t - 14] ^ w[t - 16], 1);
	for (int t = 0; t < 80; t++) {
		uint32_t f, k, tmp;

		if (t < 20) {
			f = (b & c) | (~b & d);
			k = 0x5a827999;
		} else if (t < 40) {
			f = b ^ c ^ d;
			k = 0x6ed9eba1;
		} else if (t < 60) {
			f = (b & c) | (b & d) | (c & d);
			k = 0x8f1bbcdc;
		} else {
			f = b ^ c ^ d;
			k = 0xca62c1d6;
		}
		tmp = rol(a, 5) + f + e + k + w[t];
		e = d;
		d = c;
		c = rol(b, 30);
		b = a;
		a = tmp;
	}
	h[0] += a;
	h[1] += b;
	h[2] += c;
	h[3] += d;
	h[4] += e;
}

void sha1_hex(const uint8_t *data, size_t len, char out[41])
{
	uint32_t h[5] = { 0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0 };
	uint64_t bits = (uint64_t)len * 8;
	uint8_t tail[128] = { 0 };
	size_t full = len / 64 * 64, rest = len - full, n;

	for (size_t off = 0; off < full; off += 64)
		sha1_block(h, data + off);
	/* The rest, a 1 bit, zeros, and the length in bits: one or two blocks. */
	if (rest)
		memcpy(tail, data + full, rest);
	tail[rest] = 0x80;
	n = rest < 56 ? 64 : 128;
	for (int i = 0; i < 8; i++)
		tail[n - 1 - i] = (uint8_t)(bits >> (8 * i));
	for (size_t off = 0; off < n; off += 64)
		sha1_block(h, tail + off);
	for (int i = 0; i < 5; i++)
		snprintf(out + 8 * i, 9, "%08x", h[i]);
}
