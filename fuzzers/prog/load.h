/* SPDX-License-Identifier: MIT */
#ifndef _BINDRACE_LOAD_H
#define _BINDRACE_LOAD_H

#include "prog.h"

#define PROG_MAX_FILE	(1 << 20)

/* Whole file into a NUL-terminated malloc'd buffer; error text on failure. */
int read_whole_file(const char *path, uint8_t **data, size_t *size, char *err, size_t errlen);
/* A ".txt" name or the text header means the text form. */
bool looks_like_text(const char *path, const uint8_t *data, size_t size);
/* Text or bytes, decided by looks_like_text(); -1 and a message on error. */
int prog_load_file(const char *path, struct prog *p, char *err, size_t errlen);

#endif
