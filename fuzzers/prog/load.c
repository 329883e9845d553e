// SPDX-License-Identifier: MIT
/* Read a program from a file: the text form or raw fuzz input bytes. */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "load.h"

int read_whole_file(const char *path, uint8_t **data, size_t *size, char *err, size_t errlen)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = NULL;
	size_t len = 0, cap = 0;

	if (!f) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	for (;;) {
		if (len == cap) {
			uint8_t *nb;

			cap = cap ? cap * 2 : 4096;
			if (cap > PROG_MAX_FILE) {
				snprintf(err, errlen, "%s: larger than %d bytes", path, PROG_MAX_FILE);
				goto fail;
			}
			nb = realloc(buf, cap + 1);
			if (!nb) {
				snprintf(err, errlen, "%s: out of memory", path);
				goto fail;
			}
			buf = nb;
		}
		size_t n = fread(buf + len, 1, cap - len, f);

		len += n;
		if (n == 0)
			break;
	}
	if (ferror(f)) {
		snprintf(err, errlen, "%s: read error: %s", path, strerror(errno));
		goto fail;
	}
	fclose(f);
	buf = buf ? buf : malloc(1);
	buf[len] = 0;
	*data = buf;
	*size = len;
	return 0;
fail:
	fclose(f);
	free(buf);
	return -1;
}

bool looks_like_text(const char *path, const uint8_t *data, size_t size)
{
	size_t n = strlen(path);

	if (n > 4 && !strcmp(path + n - 4, ".txt"))
		return true;
	return size >= 18 && !memcmp(data, "# bindrace program", 18);
}

int prog_load_file(const char *path, struct prog *p, char *err, size_t errlen)
{
	uint8_t *data;
	size_t size;
	char perr[256];
	int ret = 0;

	if (read_whole_file(path, &data, &size, err, errlen))
		return -1;
	if (looks_like_text(path, data, size)) {
		if (memchr(data, 0, size)) {
			snprintf(err, errlen, "%s: a text program must not contain NUL bytes", path);
			ret = -1;
		} else if (prog_from_text(p, (const char *)data, perr, sizeof(perr))) {
			snprintf(err, errlen, "%s: %s", path, perr);
			ret = -1;
		}
	} else {
		prog_decode(p, data, size);
	}
	free(data);
	return ret;
}
