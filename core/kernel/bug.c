// SPDX-License-Identifier: MIT
/* The reporting hook behind WARN, BUG and every checker of the model. */

#include <dlfcn.h>
#include <execinfo.h>
#include <fnmatch.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bindrace/report.h>
#include <linux/bug.h>
#include <linux/printk.h>
#include "../sched/rawlock.h"
#include "../sched/task.h"
#if defined(BINDRACE_ASAN) || defined(BINDRACE_TSAN)
#include <sanitizer/common_interface_defs.h>
#endif

#define __REPORT_NAME(id, name, fatal) [id] = name,
static const char *const report_names[] = { REPORT_KINDS(__REPORT_NAME) };
#undef __REPORT_NAME
#define __REPORT_FATAL(id, name, fatal) [id] = fatal,
static const bool report_fatal[] = { REPORT_KINDS(__REPORT_FATAL) };
#undef __REPORT_FATAL

bool panic_on_warn = true;
int bindrace_loglevel = -1;

static report_hook_t extra_hook;
static bool capturing;
static unsigned int counts[REPORT_NR_KINDS];
static char *log_buf;		/* every captured report, for report_seen() */
static size_t log_len;
static char last_title[768];
static char *last_details;
static uint32_t report_lock_word;	/* uninstrumented: no false HB */

static void report_lock(void)
{
	rawlock_lock(&report_lock_word);
}

static void report_unlock(void)
{
	rawlock_unlock(&report_lock_word);
}

const char *report_kind_name(enum report_kind kind)
{
	return report_names[kind];
}

void bindrace_set_report_hook(report_hook_t hook)
{
	extra_hook = hook;
}

static void log_append(const char *s)
{
	size_t n = strlen(s);
	char *nb = realloc(log_buf, log_len + n + 2);

	if (!nb)
		return;
	log_buf = nb;
	memcpy(log_buf + log_len, s, n);
	log_len += n;
	log_buf[log_len++] = '\n';
	log_buf[log_len] = 0;
}

/* ---- signatures: the title plus the top frames outside the runtime ---- */

#define SIG_FRAMES	3

/* Frames of the reporting machinery, the locks and the task layer. */
static const char *const runtime_prefixes[] = {
	"emit", "bindrace_", "vwarn", "__warn", "__bug", "lock_", "__lock", "lockdep_",
	"__mutex", "mutex_", "__spin", "spin_", "__might_sleep", "refcount_", "kref_",
	"check_cycle", "add_edge", "map_class", "class_get", "sig_", "sched_", "fiber_",
	"__wait", "wait_for_completion", "async_synchronize", "flush_work", "flush_workqueue",
	"device_lock", "device_unlock", "complete", "msleep", "sleep_ns", "abort", "backtrace",
	/* thread backend and libc frames under a task */
	"run_task_on", "pool_main", "start_thread", "clone",
};

static void symbolize(void *pc, char *buf, size_t len)
{
	buf[0] = 0;
#if defined(BINDRACE_ASAN) || defined(BINDRACE_TSAN)
	__sanitizer_symbolize_pc((char *)pc - 1, "%f", buf, len);
	if (!strcmp(buf, "<null>"))
		buf[0] = 0;
#else
	Dl_info info;

	if (dladdr((char *)pc - 1, &info) && info.dli_sname)
		snprintf(buf, len, "%s", info.dli_sname);
#endif
}

/*
 * Frame names by return address, for the process's life.  A finding that
 * the suppressions drop still builds its signature first, and under the
 * sanitizers each name was a round trip to the symbolizer process: the
 * known findings that campaigns hit over and over paid it every time.
 */
#define NAME_CACHE	256
#define NAME_LEN	128

static struct {
	void *pc;
	char name[NAME_LEN];
} name_cache[NAME_CACHE];
static uint32_t name_cache_word;	/* uninstrumented, as report_lock_word */

static void sig_frame_name(void *pc, char *buf, size_t len)
{
	unsigned int i = (unsigned int)(((uintptr_t)pc >> 2) % NAME_CACHE);
	char name[NAME_LEN];

	rawlock_lock(&name_cache_word);
	if (name_cache[i].pc != pc) {
		/* Not under the lock: the symbolizer is a pipe round trip. */
		rawlock_unlock(&name_cache_word);
		symbolize(pc, name, sizeof(name));
		rawlock_lock(&name_cache_word);
		name_cache[i].pc = pc;
		memcpy(name_cache[i].name, name, sizeof(name));
	}
	snprintf(buf, len, "%s", name_cache[i].name);
	rawlock_unlock(&name_cache_word);
}

bool bindrace_runtime_frame(const char *name)
{
	for (size_t i = 0; i < sizeof(runtime_prefixes) / sizeof(runtime_prefixes[0]); i++)
		if (!strncmp(name, runtime_prefixes[i], strlen(runtime_prefixes[i])))
			return true;
	return false;
}

/* Up to @max return addresses of the caller's stack, by frame pointers. */
int bindrace_capture_frames(void **pcs, int max)
{
	void **fp = __builtin_frame_address(0);
	int n = 0;

	/* Every frame of ours keeps a frame pointer; stop at anything odd. */
	while (fp && n < max) {
		void **next = fp[0];
		void *ret = fp[1];

		if (!ret)
			break;
		pcs[n++] = ret;
		if (next <= fp || (char *)next - (char *)fp > (1 << 20))
			break;
		fp = next;
	}
	return n;
}

/* " at f1 < f2 < f3": f1 called by f2 called by f3, runtime frames skipped. */
void bindrace_format_frames(void *const *pcs, int n, char *out, size_t len)
{
	size_t off = 0;
	int kept = 0;

	out[0] = 0;
	for (int i = 0; i < n && kept < SIG_FRAMES; i++) {
		char name[128];

		sig_frame_name(pcs[i], name, sizeof(name));
		if (!name[0] || bindrace_runtime_frame(name))
			continue;
		off += snprintf(out + off, len - off, "%s%s", kept ? " < " : " at ", name);
		if (off >= len)
			break;
		kept++;
	}
}

static void sig_frames(char *out, size_t len)
{
	void *pcs[48];
	int n = backtrace(pcs, 48);

	bindrace_format_frames(pcs + 1, n - 1, out, len);
}

/* ---- suppressions: globs over signatures (BINDRACE_SUPPRESSIONS=file) ---- */

static char **suppressions;
static int nr_suppressions = -1;
static unsigned int suppressed_count;

static void load_suppressions(void)
{
	const char *path = getenv("BINDRACE_SUPPRESSIONS");
	char line[512];
	FILE *f;

	nr_suppressions = 0;
	if (!path || !*path)
		return;
	f = fopen(path, "r");
	if (!f) {
		fprintf(stderr, "bindrace: BINDRACE_SUPPRESSIONS=%s cannot be read\n", path);
		exit(2);
	}
	while (fgets(line, sizeof(line), f)) {
		size_t n = strcspn(line, "\r\n");
		char **ns;

		line[n] = 0;
		if (!line[0] || line[0] == '#')
			continue;
		ns = realloc(suppressions, (nr_suppressions + 1) * sizeof(*ns));
		if (!ns)
			break;
		suppressions = ns;
		suppressions[nr_suppressions++] = strdup(line);
	}
	fclose(f);
}

/*
 * A known finding taints its run, as a WARN taints the kernel: the model
 * is then in the state a known race left, and what it reports later in
 * that run follows from it and is no finding of its own (a consumer link
 * that the known WARN in device_links_driver_bound() made ACTIVE then
 * WARNs in the supplier's device_links_purge(): repro/
 * purge-warn-after-known-bound-warn).  The next run starts untainted.
 */
static uint64_t tainted_run;	/* sched_run_id() of the tainted run; 0: none */

static bool suppressed(const char *signature)
{
	uint64_t run = sched_run_id();

	if (nr_suppressions < 0)
		load_suppressions();
	if (run && __atomic_load_n(&tainted_run, __ATOMIC_RELAXED) == run)
		return true;
	for (int i = 0; i < nr_suppressions; i++) {
		if (!fnmatch(suppressions[i], signature, 0)) {
			__atomic_store_n(&tainted_run, run, __ATOMIC_RELAXED);
			return true;
		}
	}
	return false;
}

unsigned int report_suppressed_count(void)
{
	return __atomic_load_n(&suppressed_count, __ATOMIC_RELAXED);
}

static void emit(enum report_kind kind, const char *what, const char *details)
{
	char title[768], frames[256] = "";
	struct report r;

	if (kind != REPORT_DEADLOCK && kind != REPORT_LIVELOCK && kind != REPORT_LEAK)
		sig_frames(frames, sizeof(frames));
	snprintf(title, sizeof(title), "%s: %s%s", report_names[kind], what, frames);
	if (suppressed(title)) {
		__atomic_fetch_add(&suppressed_count, 1, __ATOMIC_RELAXED);
		return;
	}
	r.kind = kind;
	r.title = title;
	r.details = details ? details : "";

	report_lock();
	counts[kind]++;
	if (capturing) {
		snprintf(last_title, sizeof(last_title), "%s", title);
		free(last_details);
		last_details = strdup(r.details);
		log_append(title);
		log_append(r.details);
	}
	report_unlock();

	if (extra_hook)
		extra_hook(&r);
	if (capturing)
		return;
	fprintf(stderr, "bindrace: %s\n%s%s", title, r.details,
		r.details[0] && r.details[strlen(r.details) - 1] != '\n' ? "\n" : "");
	if (report_fatal[kind] || panic_on_warn) {
		fprintf(stderr, "bindrace: aborting on %s (panic_on_warn=%d)\n",
			report_names[kind], panic_on_warn);
		abort();
	}
}

void bindrace_report(enum report_kind kind, const char *title, const char *fmt, ...)
{
	char *details = NULL;
	va_list ap;

	va_start(ap, fmt);
	if (vasprintf(&details, fmt, ap) < 0)
		details = NULL;
	va_end(ap);
	emit(kind, title, details);
	free(details);
}

void bindrace_fatal(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "bindrace: FATAL: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	abort();
}

static void vwarn(enum report_kind kind, const char *file, int line,
		  const char *func, const char *cond, const char *fmt, va_list ap)
{
	const char *base = strrchr(file, '/');
	char what[256], msg[512] = "", details[1024];

	base = base ? base + 1 : file;
	if (fmt)
		vsnprintf(msg, sizeof(msg), fmt, ap);
	snprintf(what, sizeof(what), "%s in %s", kind == REPORT_BUG ? "BUG" : "WARN", func);
	snprintf(details, sizeof(details), "at %s:%d: %s%s%s\n", base, line, cond,
		 msg[0] ? ": " : "", msg);
	emit(kind, what, details);
}

void __warn(const char *file, int line, const char *func, const char *cond,
	    const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vwarn(REPORT_WARN, file, line, func, cond, fmt, ap);
	va_end(ap);
}

void __bug(const char *file, int line, const char *func, const char *cond,
	   const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vwarn(REPORT_BUG, file, line, func, cond, fmt, ap);
	va_end(ap);
	/* Capture mode returned: a BUG still cannot continue. */
	abort();
}

void report_capture_begin(void)
{
	report_lock();
	capturing = true;
	memset(counts, 0, sizeof(counts));
	free(log_buf);
	log_buf = NULL;
	log_len = 0;
	last_title[0] = 0;
	free(last_details);
	last_details = NULL;
	report_unlock();
}

void report_capture_end(void)
{
	report_lock();
	capturing = false;
	free(log_buf);
	log_buf = NULL;
	log_len = 0;
	free(last_details);
	last_details = NULL;
	report_unlock();
}

unsigned int report_count(enum report_kind kind)
{
	return __atomic_load_n(&counts[kind], __ATOMIC_RELAXED);
}

unsigned int report_count_all(void)
{
	unsigned int n = 0;

	for (int i = 0; i < REPORT_NR_KINDS; i++)
		n += report_count(i);
	return n;
}

const char *report_last_title(void)
{
	return last_title;
}

const char *report_last_details(void)
{
	return last_details ? last_details : "";
}

bool report_seen(const char *needle)
{
	return log_buf && strstr(log_buf, needle);
}

void _printk(int level, const char *fmt, ...)
{
	va_list ap;

	if (bindrace_loglevel < 0) {
		const char *env = getenv("BINDRACE_LOGLEVEL");

		bindrace_loglevel = env ? atoi(env) : 0;
	}
	if (level > bindrace_loglevel)
		return;
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
}
