// SPDX-License-Identifier: MIT
/*
 * The bindrace command: decode, encode, run and hash programs.
 * Exit status: 0 ok, 1 a finding was reported, 2 usage or input error.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bindrace/report.h>
#include "../prog/exec.h"
#include "../prog/load.h"
#include "trace.h"

static void usage(FILE *f)
{
	fprintf(f,
		"usage: bindrace <command> [args]\n"
		"  decode FILE                  print the program in FILE (bytes or text)\n"
		"  encode PROG.txt -o FILE      write the bytes of a text program\n"
		"  run FILE [--backend fibers|threads] [--seed N] [--trace] [--trace-json OUT]\n"
		"                               replay one program; exit 1 on a finding\n"
		"  hash FILE [--repeat N]       trace hash of a fiber run; with --repeat, run it\n"
		"                               N times in this process and count distinct hashes\n");
}

static int die(const char *fmt, const char *arg)
{
	fprintf(stderr, "bindrace: ");
	fprintf(stderr, fmt, arg);
	fputc('\n', stderr);
	return 2;
}

static int load(const char *path, struct prog *p)
{
	char err[512];

	if (prog_load_file(path, p, err, sizeof(err))) {
		fprintf(stderr, "bindrace: %s\n", err);
		return 2;
	}
	return 0;
}

static int cmd_decode(int argc, char **argv)
{
	struct prog p;
	char *text;

	if (argc != 1)
		return die("decode takes one FILE", "");
	if (load(argv[0], &p))
		return 2;
	text = prog_to_text(&p);
	fputs(text, stdout);
	free(text);
	return 0;
}

static int cmd_encode(int argc, char **argv)
{
	static uint8_t buf[PROG_HDR_SIZE + PROG_MAX_OPS * PROG_OP_SIZE + PROG_MAX_SCHED];
	const char *in = NULL, *out = NULL;
	struct prog p;
	size_t n;
	FILE *f;

	for (int i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "-o") && i + 1 < argc)
			out = argv[++i];
		else if (argv[i][0] == '-')
			return die("encode: unknown option '%s'", argv[i]);
		else if (!in)
			in = argv[i];
		else
			return die("encode: unexpected argument '%s'", argv[i]);
	}
	if (!in || !out)
		return die("encode needs PROG.txt and -o FILE%s", "");
	if (load(in, &p))
		return 2;
	n = prog_encode(&p, buf, sizeof(buf));
	f = fopen(out, "wb");
	if (!f || fwrite(buf, 1, n, f) != n || fclose(f)) {
		fprintf(stderr, "bindrace: %s: %s\n", out, strerror(errno));
		return 2;
	}
	return 0;
}

static void print_report(const struct report *r)
{
	fprintf(stderr, "bindrace: %s\n%s", r->title, r->details);
}

/* Determinism: the same program, many runs in one process, one hash. */
static int repeat_hash(const struct prog *p, const struct exec_opts *o, unsigned long n)
{
	uint64_t first = 0;
	unsigned long distinct = 0, findings = 0;
	uint64_t *seen = calloc(n, sizeof(*seen));

	if (!seen)
		return die("out of memory%s", "");
	for (unsigned long i = 0; i < n; i++) {
		uint64_t h;
		unsigned long k;

		findings += prog_exec(p, o) != 0;
		h = sched_trace_hash();
		if (!i)
			first = h;
		for (k = 0; k < distinct && seen[k] != h; k++)
			;
		if (k == distinct)
			seen[distinct++] = h;
	}
	free(seen);
	printf("%016llx: %lu runs, %lu distinct trace hash(es), %lu with findings\n",
	       (unsigned long long)first, n, distinct, findings);
	return distinct == 1 ? 0 : 1;
}

static int cmd_run(int argc, char **argv, bool hash_only)
{
	struct exec_opts o = { .backend = SCHED_FIBERS };
	const char *file = NULL, *json = NULL;
	unsigned long repeat = 0;
	bool trace = false;
	struct prog p;
	int ret;

	for (int i = 0; i < argc; i++) {
		if (!hash_only && !strcmp(argv[i], "--backend") && i + 1 < argc) {
			i++;
			if (!strcmp(argv[i], "fibers"))
				o.backend = SCHED_FIBERS;
			else if (!strcmp(argv[i], "threads"))
				o.backend = SCHED_THREADS;
			else
				return die("--backend must be fibers or threads, not '%s'", argv[i]);
		} else if (!hash_only && !strcmp(argv[i], "--seed") && i + 1 < argc) {
			char *end;

			i++;
			errno = 0;
			o.seed = strtoull(argv[i], &end, 0);
			if (*end || errno || argv[i][0] == '-')
				return die("--seed needs a non-negative number, not '%s'", argv[i]);
		} else if (!hash_only && !strcmp(argv[i], "--trace")) {
			trace = true;
		} else if (!hash_only && !strcmp(argv[i], "--trace-json") && i + 1 < argc) {
			json = argv[++i];
		} else if (hash_only && !strcmp(argv[i], "--repeat") && i + 1 < argc) {
			char *end;

			i++;
			errno = 0;
			repeat = strtoul(argv[i], &end, 0);
			if (*end || errno || !repeat || repeat > 1000000 || argv[i][0] == '-')
				return die("--repeat needs a number from 1 to 1000000, not '%s'", argv[i]);
		} else if (argv[i][0] == '-') {
			return die("unknown or incomplete option '%s'", argv[i]);
		} else if (!file) {
			file = argv[i];
		} else {
			return die("unexpected argument '%s'", argv[i]);
		}
	}
	if (!file)
		return die("missing FILE%s", "");
	if (load(file, &p))
		return 2;
	if (trace || json) {
		if (trace_begin(json, trace))
			return die("%s: cannot write the trace", json);
		o.trace = trace_point;
		o.event = trace_event;
	}
	report_capture_begin();
	bindrace_set_report_hook(print_report);
	if (repeat)
		return repeat_hash(&p, &o, repeat);
	ret = prog_exec(&p, &o);
	if (trace || json)
		trace_end();
	if (hash_only) {
		printf("%016llx\n", (unsigned long long)sched_trace_hash());
		return ret ? 1 : 0;
	}
	if (o.backend == SCHED_FIBERS)
		printf("%s: %s, %llu schedule points, %llu switches, trace hash %016llx\n",
		       file, ret ? "FINDING" : "clean",
		       (unsigned long long)sched_nr_points(),
		       (unsigned long long)sched_nr_switches(),
		       (unsigned long long)sched_trace_hash());
	else
		printf("%s: %s (threads)\n", file, ret ? "FINDING" : "clean");
	return ret ? 1 : 0;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help") || !strcmp(argv[1], "help")) {
		usage(stdout);
		return 0;
	}
	if (!strcmp(argv[1], "decode"))
		return cmd_decode(argc - 2, argv + 2);
	if (!strcmp(argv[1], "encode"))
		return cmd_encode(argc - 2, argv + 2);
	if (!strcmp(argv[1], "run"))
		return cmd_run(argc - 2, argv + 2, false);
	if (!strcmp(argv[1], "hash"))
		return cmd_run(argc - 2, argv + 2, true);
	fprintf(stderr, "bindrace: unknown command '%s'\n", argv[1]);
	usage(stderr);
	return 2;
}
