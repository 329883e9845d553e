// SPDX-License-Identifier: MIT
/*
 * The harness's crash files (ctest label unit): SHA-1 against the FIPS
 * 180 examples, a report writes <prefix>crash-<sha1>, nothing is written
 * without libFuzzer's artifact flag, and an existing file is kept.
 */

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bindrace/report.h>
#include "artifact/artifact.h"
#include "artifact/sha1.h"

#include "tests/check.h"

static void test_sha1_vectors(void)
{
	static const struct { const char *in, *hex; } v[] = {
		{ "", "da39a3ee5e6b4b0d3255bfef95601890afd80709" },
		{ "abc", "a9993e364706816aba3e25717850c26c9cd0d89d" },
		/* 56 bytes: the length needs a second padding block. */
		{ "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
		  "84983e441c3bd26ebaae4aa1f95129e5e54670f1" },
	};
	char hex[41];

	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		sha1_hex((const uint8_t *)v[i].in, strlen(v[i].in), hex);
		CHECK(!strcmp(hex, v[i].hex), "sha1(\"%s\") = %s, want %s", v[i].in, hex,
		      v[i].hex);
	}
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	static char buf[256];

	if (!f)
		return NULL;
	*len = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	return buf;
}

static void test_report_writes_the_input(void)
{
	char dir[] = "/tmp/bindrace-artifact-XXXXXX", flag[64], path[128], hex[41];
	static const uint8_t input[] = "an input that made the model report";
	char *argv_off[] = { "fuzz", "-runs=1", NULL };
	char *argv_on[] = { "fuzz", flag, NULL };
	size_t len;
	char *got;

	CHECK(mkdtemp(dir) != NULL, "mkdtemp");
	snprintf(flag, sizeof(flag), "-artifact_prefix=%s/", dir);
	sha1_hex(input, sizeof(input), hex);
	snprintf(path, sizeof(path), "%s/crash-%s", dir, hex);
	panic_on_warn = false;

	/* No artifact flag (AFL++, replays): nothing is written. */
	artifact_init(2, argv_off);
	artifact_set_input(input, sizeof(input));
	bindrace_report(REPORT_WARN, "artifact test", "off\n");
	CHECK(access(path, F_OK) != 0, "%s written without -artifact_prefix", path);

	artifact_init(2, argv_on);
	artifact_set_input(input, sizeof(input));
	bindrace_report(REPORT_WARN, "artifact test", "on\n");
	got = slurp(path, &len);
	CHECK(got && len == sizeof(input) && !memcmp(got, input, len),
	      "%s does not hold the input", path);

	/* Same input again: the file there is kept, not rewritten. */
	FILE *f = fopen(path, "wb");

	if (f) {
		fputs("kept", f);
		fclose(f);
	}
	artifact_set_input(input, sizeof(input));
	bindrace_report(REPORT_WARN, "artifact test", "again\n");
	got = slurp(path, &len);
	CHECK(got && len == 4 && !memcmp(got, "kept", 4), "%s was overwritten", path);
	unlink(path);
	rmdir(dir);
}

int main(void)
{
	test_sha1_vectors();
	test_report_writes_the_input();
	printf("%d checks: %d passed, %d failed\n", checks, checks - failures, failures);
	return failures ? 1 : 0;
}
