// SPDX-License-Identifier: MIT
/*
 * The bindrace command: decode, encode, run, hash and minimize programs,
 * and read the signature of a run's output.
 * Exit status: 0 ok, 1 a finding was reported, 2 usage or input error.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bindrace/report.h>
#include "../prog/exec.h"
#include "../prog/load.h"
#include "minimize.h"
#include "signature.h"
#include "stress.h"
#include "trace.h"

static void usage(FILE *f)
{
	fprintf(f,
		"usage: bindrace <command> [args]\n"
		"  decode FILE                  print the program in FILE (bytes or text)\n"
		"  encode PROG.txt -o FILE      write the bytes of a text program\n"
		"  run FILE [--backend fibers|threads] [--seed N] [--sequential] [--trace]\n"
		"           [--trace-json OUT]\n"
		"                               replay one program; exit 1 on a finding;\n"
		"                               --sequential: its ops in order on one task\n"
		"  hash FILE [--repeat N] [--sequential]\n"
		"                               trace hash of a fiber run; with --repeat, run it\n"
		"                               N times in this process and count distinct hashes\n"
		"  minimize FILE [--expect SIG] [--backend B] [--runs N] [--timeout S]\n"
		"           [--budget S] [-o OUT]\n"
		"                               shrink FILE while it keeps giving SIG (a glob;\n"
		"                               default: FILE's own); OUT is text if it ends in\n"
		"                               .txt, else bytes; without -o, print the text;\n"
		"                               --budget: stop trying after S seconds\n"
		"  stress [--backend B] [--time S] [--seed N]\n"
		"                               random programs without feedback (threads: OS\n"
		"                               scheduling; fibers: a random schedule per run);\n"
		"                               stops at the first finding\n"
		"  dict                         print the fuzzers' dictionary (op and behaviour\n"
		"                               records, from the tables)\n"
		"  signature [--expect SIG] LOG...\n"
		"                               the signature line of each run output; with\n"
		"                               --expect, exit 1 unless each matches SIG (a glob)\n");
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
	static uint8_t buf[PROG_MAX_BYTES];
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

static int parse_backend(const char *v, enum sched_backend *b)
{
	if (!strcmp(v, "fibers"))
		*b = SCHED_FIBERS;
	else if (!strcmp(v, "threads"))
		*b = SCHED_THREADS;
	else
		return die("--backend must be fibers or threads, not '%s'", v);
	return 0;
}

/* A positive number no larger than @max, or -1 after saying what is wrong. */
static long parse_count(const char *opt, const char *v, long max)
{
	char *end;
	long n;

	errno = 0;
	n = strtol(v, &end, 0);
	if (*end || errno || n < 1 || n > max) {
		fprintf(stderr, "bindrace: %s needs a number from 1 to %ld, not '%s'\n", opt, max, v);
		return -1;
	}
	return n;
}

static int write_bytes(const char *path, const void *buf, size_t n)
{
	FILE *f = fopen(path, "wbx");	/* never overwrite */

	if (!f || fwrite(buf, 1, n, f) != n || fclose(f)) {
		fprintf(stderr, "bindrace: %s: %s\n", path, strerror(errno));
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
			if (parse_backend(argv[++i], &o.backend))
				return 2;
		} else if (!hash_only && !strcmp(argv[i], "--seed") && i + 1 < argc) {
			char *end;

			i++;
			errno = 0;
			o.seed = strtoull(argv[i], &end, 0);
			if (*end || errno || argv[i][0] == '-')
				return die("--seed needs a non-negative number, not '%s'", argv[i]);
		} else if (!strcmp(argv[i], "--sequential")) {
			o.sequential = true;
		} else if (!hash_only && !strcmp(argv[i], "--trace")) {
			trace = true;
		} else if (!hash_only && !strcmp(argv[i], "--trace-json") && i + 1 < argc) {
			json = argv[++i];
		} else if (hash_only && !strcmp(argv[i], "--repeat") && i + 1 < argc) {
			long n = parse_count("--repeat", argv[++i], 1000000);

			if (n < 0)
				return 2;
			repeat = (unsigned long)n;
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
		printf("%s: %s (threads, %d in the pool)\n", file, ret ? "FINDING" : "clean",
		       sched_thread_pool_size());
	return ret ? 1 : 0;
}

static int cmd_minimize(int argc, char **argv)
{
	struct minimize_opts mo = { .exec.backend = SCHED_FIBERS, .timeout = 60 };
	static uint8_t buf[PROG_MAX_BYTES];
	const char *file = NULL, *out = NULL;
	char sig[SIGNATURE_MAX];
	bool runs_set = false;
	static struct prog p;
	size_t len;
	int ret;

	for (int i = 0; i < argc; i++) {
		long n;

		if (!strcmp(argv[i], "--expect") && i + 1 < argc) {
			mo.expect = argv[++i];
		} else if (!strcmp(argv[i], "--backend") && i + 1 < argc) {
			if (parse_backend(argv[++i], &mo.exec.backend))
				return 2;
		} else if (!strcmp(argv[i], "--runs") && i + 1 < argc) {
			if ((n = parse_count("--runs", argv[++i], 10000)) < 0)
				return 2;
			mo.runs = (unsigned int)n;
			runs_set = true;
		} else if (!strcmp(argv[i], "--timeout") && i + 1 < argc) {
			if ((n = parse_count("--timeout", argv[++i], 3600)) < 0)
				return 2;
			mo.timeout = (unsigned int)n;
		} else if (!strcmp(argv[i], "--budget") && i + 1 < argc) {
			if ((n = parse_count("--budget", argv[++i], 86400)) < 0)
				return 2;
			mo.budget = (unsigned int)n;
		} else if (!strcmp(argv[i], "-o") && i + 1 < argc) {
			out = argv[++i];
		} else if (!strcmp(argv[i], "-q")) {
			mo.quiet = true;
		} else if (argv[i][0] == '-') {
			return die("minimize: unknown or incomplete option '%s'", argv[i]);
		} else if (!file) {
			file = argv[i];
		} else {
			return die("minimize: unexpected argument '%s'", argv[i]);
		}
	}
	if (!file)
		return die("minimize needs FILE%s", "");
	if (out && !access(out, F_OK))
		return die("%s exists; minimize never overwrites", out);
	if (load(file, &p))
		return 2;
	/* A threads-backend finding depends on timing: several runs each. */
	if (!runs_set)
		mo.runs = mo.exec.backend == SCHED_THREADS ? 20 : 1;
	ret = prog_minimize(&p, &mo, sig, sizeof(sig));
	if (ret < 0)
		return die("minimize: cannot run candidates: %s", strerror(errno));
	if (ret > 0) {
		fprintf(stderr, "bindrace: %s does not give '%s' (it gives: %s)\n", file,
			mo.expect ? mo.expect : "its signature", sig);
		return 1;
	}
	fprintf(stderr, "bindrace minimize: %s\n", sig);
	if (out && strlen(out) > 4 && !strcmp(out + strlen(out) - 4, ".txt")) {
		char *text = prog_to_text(&p);

		ret = write_bytes(out, text, strlen(text));
		free(text);
		return ret;
	}
	if (out) {
		len = prog_encode(&p, buf, sizeof(buf));
		return write_bytes(out, buf, len);
	}
	{
		char *text = prog_to_text(&p);

		fputs(text, stdout);
		free(text);
	}
	return 0;
}

static int cmd_stress(int argc, char **argv)
{
	struct stress_opts so = { .exec.backend = SCHED_THREADS, .seconds = 60 };

	for (int i = 0; i < argc; i++) {
		long n;

		if (!strcmp(argv[i], "--backend") && i + 1 < argc) {
			if (parse_backend(argv[++i], &so.exec.backend))
				return 2;
		} else if (!strcmp(argv[i], "--time") && i + 1 < argc) {
			if ((n = parse_count("--time", argv[++i], 86400)) < 0)
				return 2;
			so.seconds = (unsigned int)n;
		} else if (!strcmp(argv[i], "--seed") && i + 1 < argc) {
			if ((n = parse_count("--seed", argv[++i], 0x7fffffffL)) < 0)
				return 2;
			so.seed = (uint64_t)n;
		} else {
			return die("stress: unknown or incomplete option '%s'", argv[i]);
		}
	}
	/* The default report hook prints and aborts: the first finding ends it. */
	return stress_run(&so);
}

static int cmd_signature(int argc, char **argv)
{
	const char *expect = NULL;
	char sig[SIGNATURE_MAX];
	int nr = 0, ret = 0;

	for (int i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "--expect") && i + 1 < argc) {
			expect = argv[++i];
			continue;
		}
		if (argv[i][0] == '-')
			return die("signature: unknown or incomplete option '%s'", argv[i]);
		nr++;
		if (signature_of_file(argv[i], sig, sizeof(sig)) < 0) {
			fprintf(stderr, "bindrace: %s: %s\n", argv[i], strerror(errno));
			return 2;
		}
		puts(sig);
		if (expect && !signature_matches(expect, sig)) {
			fprintf(stderr, "bindrace: %s: expected '%s'\n", argv[i], expect);
			ret = 1;
		}
	}
	if (!nr)
		return die("signature needs LOG files%s", "");
	return ret;
}

static int cmd_dict(int argc, char **argv)
{
	static struct prog_dict_word w[256];
	size_t n;

	if (argc)
		return die("dict takes no arguments, not '%s'", argv[0]);
	n = prog_dict(w, 256);
	printf("# bindrace dictionary, generated from the op and behaviour tables (bindrace dict)\n");
	for (size_t i = 0; i < n; i++) {
		printf("%s=\"", w[i].name);
		for (size_t b = 0; b < w[i].len; b++)
			printf("\\x%02x", w[i].bytes[b]);
		printf("\"\n");
	}
	return 0;
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
	if (!strcmp(argv[1], "minimize"))
		return cmd_minimize(argc - 2, argv + 2);
	if (!strcmp(argv[1], "stress"))
		return cmd_stress(argc - 2, argv + 2);
	if (!strcmp(argv[1], "dict"))
		return cmd_dict(argc - 2, argv + 2);
	if (!strcmp(argv[1], "signature"))
		return cmd_signature(argc - 2, argv + 2);
	fprintf(stderr, "bindrace: unknown command '%s'\n", argv[1]);
	usage(stderr);
	return 2;
}
