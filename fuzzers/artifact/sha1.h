/* SPDX-License-Identifier: MIT */
#ifndef BINDRACE_SHA1_H
#define BINDRACE_SHA1_H

#include <stddef.h>
#include <stdint.h>

/* SHA-1 (FIPS 180-4) of @len bytes, as 40 lowercase hex digits and a NUL. */
void sha1_hex(const uint8_t *data, size_t len, char out[41]);

#endif
