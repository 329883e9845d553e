// SPDX-License-Identifier: MIT
/*
 * Replay main for builds without a fuzzing engine (gcc, dev preset): runs
 * LLVMFuzzerTestOneInput on every file named, recursing into directories.
 */

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "prog/load.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int replayed;

static int replay(const char *path)
{
	struct stat st;
	char err[512];

	if (stat(path, &st)) {
		fprintf(stderr, "replay: %s: cannot stat\n", path);
		return 2;
	}
	if (S_ISDIR(st.st_mode)) {
		struct dirent **names;
		int n = scandir(path, &names, NULL, alphasort), ret = 0;

		if (n < 0) {
			fprintf(stderr, "replay: %s: cannot read directory\n", path);
			return 2;
		}
		for (int i = 0; i < n; i++) {
			char sub[4096];

			if (names[i]->d_name[0] != '.') {
				snprintf(sub, sizeof(sub), "%s/%s", path, names[i]->d_name);
				ret |= replay(sub);
			}
			free(names[i]);
		}
		free(names);
		return ret;
	}
	uint8_t *data;
	size_t size;

	if (read_whole_file(path, &data, &size, err, sizeof(err))) {
		fprintf(stderr, "replay: %s\n", err);
		return 2;
	}
	if (looks_like_text(path, data, size)) {
		/* A text program (a seed or repro): feed its bytes. */
		static uint8_t bytes[PROG_MAX_BYTES];
		struct prog p;

		free(data);
		if (prog_load_file(path, &p, err, sizeof(err))) {
			fprintf(stderr, "replay: %s\n", err);
			return 2;
		}
		size = prog_encode(&p, bytes, sizeof(bytes));
		LLVMFuzzerTestOneInput(bytes, size);
	} else {
		LLVMFuzzerTestOneInput(data, size);
		free(data);
	}
	replayed++;
	return 0;
}

int main(int argc, char **argv)
{
	int ret = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: %s FILE|DIR...   (replays inputs; no fuzzing engine)\n",
			argv[0]);
		return 2;
	}
	for (int i = 1; i < argc; i++)
		ret |= replay(argv[i]);
	printf("replayed %d input(s)\n", replayed);
	return ret;
}
