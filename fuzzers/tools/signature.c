// SPDX-License-Identifier: MIT
/*
 * The signature of a finding, read from the output of a run (signature.h).
 * The one place that turns a log into the line findings are grouped,
 * matched and suppressed by: bindrace's own reports already print it;
 * sanitizer reports get one built from their kind and top frames.
 */

#include <ctype.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bindrace/report.h>
#include "signature.h"

#define MAX_FRAMES	3
#define FRAME_LEN	96

/*
 * Sanitizer, libc and harness frames say nothing about where the bug is;
 * the model's runtime frames are bindrace_runtime_frame()'s list.
 */
static const char *const skip_prefixes[] = {
	"__interceptor_", "__asan", "__sanitizer", "__tsan", "__ubsan", "__lsan",
	"__libc", "__GI_", "__pthread", "raise", "free", "malloc", "calloc", "realloc",
	"kfree", "kmalloc", "kzalloc", "<null>", "operator", "fuzzer::", "LLVMFuzzer",
	"prog_exec", "program_task", "run_op",
};

static bool skip_frame(const char *f)
{
	for (size_t i = 0; i < sizeof(skip_prefixes) / sizeof(skip_prefixes[0]); i++)
		if (!strncmp(f, skip_prefixes[i], strlen(skip_prefixes[i])))
			return true;
	return bindrace_runtime_frame(f);
}

/*
 * "    #3 0x55.. in foo /path/x.c:1:2" (ASan) or "    #3 foo /path/x.c:1:2
 * (bin+0x..)" (TSan): the function name, or false for other lines.
 */
static bool frame_name(const char *line, char *out, size_t len)
{
	const char *p = line, *in;
	size_t n;

	while (*p == ' ')
		p++;
	if (*p != '#' || !isdigit((unsigned char)p[1]))
		return false;
	while (*p && *p != ' ')
		p++;
	while (*p == ' ')
		p++;
	in = strstr(p, " in ");
	if (!strncmp(p, "0x", 2) && in)
		p = in + 4;
	n = strcspn(p, " \n");
	if (n >= len)
		n = len - 1;
	memcpy(out, p, n);
	out[n] = 0;
	return n > 0;
}

struct stack {
	char frames[MAX_FRAMES][FRAME_LEN];
	int nr;
};

/*
 * A stack overflow runs out wherever the recursion happens to be (in the
 * recursing function, a lock inside it, a list walk it calls), so its top
 * frames differ from run to run: the same device_is_dependent() cycle
 * showed as three signatures.  Its signature names the function that
 * recurs, the one most often on the stack.
 */
#define MAX_RECUR	64

struct recursion {
	char names[MAX_RECUR][FRAME_LEN];
	int count[MAX_RECUR];
	int nr;
};

static void recursion_add(struct recursion *r, const char *fn)
{
	for (int i = 0; i < r->nr; i++) {
		if (!strcmp(r->names[i], fn)) {
			r->count[i]++;
			return;
		}
	}
	if (r->nr < MAX_RECUR) {
		snprintf(r->names[r->nr], FRAME_LEN, "%s", fn);
		r->count[r->nr++] = 1;
	}
}

/* The frame on the stack most often (the first such), if it recurs. */
static const char *recursion_top(const struct recursion *r)
{
	int best = -1;

	for (int i = 0; i < r->nr; i++)
		if (r->count[i] > 1 && (best < 0 || r->count[i] > r->count[best]))
			best = i;
	return best < 0 ? NULL : r->names[best];
}

static void stack_str(const struct stack *s, int max, char *out, size_t len)
{
	size_t o = 0;

	out[0] = 0;
	for (int i = 0; i < s->nr && i < max && o < len; i++)
		o += snprintf(out + o, len - o, "%s%s", i ? " < " : "", s->frames[i]);
}

/*
 * A device or driver slot's number (lock classes are named after their
 * device: "dev3", "dev3.c"): the same bug on another slot is the same bug.
 * Read off the output so far (@end: where the digits go), whose letters
 * are the input's.
 */
static bool slot_name_before(const char *s, const char *end)
{
	const char *word = end;

	while (word > s && isalpha((unsigned char)word[-1]))
		word--;
	return end - word == 3 && (!strncmp(word, "dev", 3) || !strncmp(word, "drv", 3));
}

/* Hex addresses become ADDR, other numbers N: runs differ in both. */
static void mask_numbers(char *s)
{
	char *r = s, *w = s;

	while (*r) {
		if (r[0] == '0' && r[1] == 'x' && isxdigit((unsigned char)r[2])) {
			r += 2;
			while (isxdigit((unsigned char)*r))
				r++;
			memcpy(w, "ADDR", 4);	/* "0x" + at least one digit: fits */
			w += 4;
			continue;
		}
		if (isdigit((unsigned char)*r) && (r == s || !isalpha((unsigned char)r[-1]) ||
						   r[-1] == 'x' || slot_name_before(s, w))) {
			while (isdigit((unsigned char)*r))
				r++;
			*w++ = 'N';
			continue;
		}
		*w++ = *r++;
	}
	*w = 0;
}

static void strip_nl(char *s)
{
	s[strcspn(s, "\r\n")] = 0;
}

int signature_of_stream(FILE *f, char *out, size_t len)
{
	char line[4096], own[SIGNATURE_MAX] = "", san[SIGNATURE_MAX] = "";
	char lf[SIGNATURE_MAX] = "", access[16] = "";
	struct stack stacks[2] = { 0 };
	static struct recursion rec;
	const char *recurs;
	bool overflow = false;	/* only its frames are counted for recursion */
	int nr_stacks = 0;

	rec.nr = 0;

	while (fgets(line, sizeof(line), f)) {
		char *p;

		strip_nl(line);
		if (!own[0] && !strncmp(line, "bindrace: ", 10)) {
			p = line + 10;
			/* "bindrace: KIND: ..." with KIND in capitals. */
			size_t k = strspn(p, "ABCDEFGHIJKLMNOPQRSTUVWXYZ-_");
			if (k && p[k] == ':' && p[k + 1] == ' ')
				snprintf(own, sizeof(own), "%.*s", (int)sizeof(own) - 1, p);
			continue;
		}
		if (!san[0] && (p = strstr(line, "ERROR: AddressSanitizer: "))) {
			p += strlen("ERROR: AddressSanitizer: ");
			p[strcspn(p, " ")] = 0;	/* the kind, before "on address" */
			snprintf(san, sizeof(san), "ASAN: %s", p);
			overflow = !strcmp(p, "stack-overflow");
			continue;
		}
		if (!san[0] && (p = strstr(line, "WARNING: ThreadSanitizer: "))) {
			p += strlen("WARNING: ThreadSanitizer: ");
			if (strstr(p, " (pid="))
				*strstr(p, " (pid=") = 0;
			snprintf(san, sizeof(san), "TSAN: %s", p);
			continue;
		}
		if (!san[0] && (p = strstr(line, "runtime error: "))) {
			snprintf(san, sizeof(san), "UBSAN: %s", p + strlen("runtime error: "));
			continue;
		}
		if (!lf[0] && (p = strstr(line, "ERROR: libFuzzer: "))) {
			p += strlen("ERROR: libFuzzer: ");
			p[strcspn(p, "(")] = 0;
			while (*p && p[strlen(p) - 1] == ' ')
				p[strlen(p) - 1] = 0;
			snprintf(lf, sizeof(lf), "LIBFUZZER: %s", p);
			continue;
		}
		/* Frames and the access line matter only after an ASan or TSan header. */
		if (san[0] != 'A' && san[0] != 'T')
			continue;
		if (!access[0] && (!strncmp(line, "READ of size", 12) ||
				   !strncmp(line, "WRITE of size", 13)))
			snprintf(access, sizeof(access), "%.*s", (int)strcspn(line, " "), line);
		{
			char fn[FRAME_LEN];
			struct stack *st;

			if (!frame_name(line, fn, sizeof(fn)))
				continue;
			/* "#0" opens a stack: ASan's first is the bad access,
			 * TSan's first two are the racing accesses. */
			if (strstr(line, "#0 "))
				nr_stacks++;
			if (!nr_stacks || nr_stacks > (san[0] == 'T' ? 2 : 1))
				continue;
			st = &stacks[nr_stacks - 1];
			if (skip_frame(fn))
				continue;
			if (st->nr < MAX_FRAMES)
				snprintf(st->frames[st->nr++], FRAME_LEN, "%s", fn);
			if (overflow)
				recursion_add(&rec, fn);
		}
	}

	if (own[0]) {
		snprintf(out, len, "%s", own);
	} else if (san[0] == 'T' && stacks[0].nr) {
		/* Which access TSan names first varies: order the pair. */
		char a[256], b[256];

		stack_str(&stacks[0], 2, a, sizeof(a));
		stack_str(&stacks[1], 2, b, sizeof(b));
		if (b[0] && strcmp(a, b) > 0)
			snprintf(out, len, "%s at %s vs %s", san, b, a);
		else if (b[0])
			snprintf(out, len, "%s at %s vs %s", san, a, b);
		else
			snprintf(out, len, "%s at %s", san, a);
	} else if (overflow && (recurs = recursion_top(&rec))) {
		snprintf(out, len, "%s in %s", san, recurs);
	} else if (san[0]) {
		char a[256];

		stack_str(&stacks[0], MAX_FRAMES, a, sizeof(a));
		snprintf(out, len, "%s%s%s%s%s", san, access[0] ? " " : "", access,
			 a[0] ? " in " : "", a);
	} else if (lf[0]) {
		snprintf(out, len, "%s", lf);
	} else {
		snprintf(out, len, "UNREPRODUCED");
		return 1;
	}
	mask_numbers(out);
	return 0;
}

int signature_of_file(const char *path, char *out, size_t len)
{
	FILE *f = fopen(path, "r");
	int ret;

	if (!f)
		return -1;
	ret = signature_of_stream(f, out, len);
	fclose(f);
	return ret;
}

bool signature_matches(const char *expect, const char *sig)
{
	return !strcmp(expect, sig) || !fnmatch(expect, sig, 0);
}
