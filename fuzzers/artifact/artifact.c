// SPDX-License-Identifier: MIT
/* The harness's own crash files: see artifact.h. */

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <bindrace/report.h>
#include "artifact.h"
#include "sha1.h"

static const char *prefix, *exact_path;
static const uint8_t *cur_data;
static size_t cur_size;
static bool written;

static bool write_all(int fd, const uint8_t *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return false;
		p += w;
		n -= (size_t)w;
	}
	return true;
}

/* Reports come from any task's thread; the first one writes the file. */
static void artifact_report_hook(const struct report *r)
{
	char path[PATH_MAX], sha[41];
	int fd;

	(void)r;
	if (!cur_data || __atomic_exchange_n(&written, true, __ATOMIC_ACQ_REL))
		return;
	if (exact_path) {
		snprintf(path, sizeof(path), "%s", exact_path);
	} else {
		sha1_hex(cur_data, cur_size, sha);
		snprintf(path, sizeof(path), "%scrash-%s", prefix, sha);
	}
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0644);
	if (fd < 0) {
		if (errno != EEXIST)
			fprintf(stderr, "bindrace: cannot write the crash input to %s: %s\n",
				path, strerror(errno));
		return;
	}
	if (!write_all(fd, cur_data, cur_size))
		fprintf(stderr, "bindrace: short write of the crash input to %s\n", path);
	else
		fprintf(stderr, "bindrace: crash input written to %s\n", path);
	close(fd);
}

void artifact_init(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		if (!strncmp(argv[i], "-artifact_prefix=", 17))
			prefix = argv[i] + 17;
		else if (!strncmp(argv[i], "-exact_artifact_path=", 21))
			exact_path = argv[i] + 21;
	}
	if (prefix || exact_path)
		bindrace_set_report_hook(artifact_report_hook);
}

void artifact_set_input(const uint8_t *data, size_t size)
{
	cur_data = data;
	cur_size = size;
	written = false;
}
