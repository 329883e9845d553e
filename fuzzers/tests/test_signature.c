// SPDX-License-Identifier: MIT
/*
 * Signature tests (ctest label unit): the line findings are grouped,
 * matched and suppressed by, from the logs a run prints.
 */

#include <stdio.h>
#include <string.h>

#include "tools/signature.h"

#include "tests/check.h"

/* Each call its own buffer, so that two results can be compared. */
static const char *sig_of(const char *log)
{
	static char bufs[4][SIGNATURE_MAX];
	static int next;
	char *out = bufs[next++ % 4];
	FILE *f = fmemopen((void *)log, strlen(log), "r");

	CHECK(f != NULL, "fmemopen");
	if (!f)
		return "";
	signature_of_stream(f, out, SIGNATURE_MAX);
	fclose(f);
	return out;
}

#define OVERFLOW_HEAD							\
	"AddressSanitizer:DEADLYSIGNAL\n"				\
	"==1==ERROR: AddressSanitizer: stack-overflow on address 0x7f00 (pc 0x55 bp 0x7f sp 0x7f T0)\n"
#define RECURSION							\
	"    #5 0x55 in device_is_dependent /m/core/base/links.c:99:23\n"	\
	"    #6 0x55 in device_is_dependent /m/core/base/links.c:109:35\n"	\
	"    #7 0x55 in device_is_dependent /m/core/base/links.c:100:10\n"	\
	"    #8 0x55 in device_is_dependent /m/core/base/links.c:109:35\n"

/*
 * One cycle of links, two runs out of stack at different depths: one in
 * the klist walk, one in lockdep under it.  One signature, naming the
 * function that recurs.
 */
static void test_stack_overflow_names_the_recursion(void)
{
	const char *a = sig_of(OVERFLOW_HEAD
		"    #0 0x55 in lock_acquire /m/core/kernel/lockdep.c:438\n"
		"    #1 0x55 in lock_core_lock /m/core/kernel/locking.c:106:2\n"
		"    #2 0x55 in __spin_lock /m/core/kernel/locking.c:186:2\n"
		"    #3 0x55 in klist_step /m/core/kernel/klist.c:159:2\n"
		"    #4 0x55 in klist_next /m/core/kernel/klist.c:186:9\n"
		RECURSION);
	const char *b = sig_of(OVERFLOW_HEAD
		"    #0 0x55 in map_class /m/core/kernel/lockdep.c:170\n"
		"    #1 0x55 in lock_acquire /m/core/kernel/lockdep.c:438\n"
		"    #2 0x55 in __spin_lock /m/core/kernel/locking.c:186:2\n"
		"    #3 0x55 in klist_step /m/core/kernel/klist.c:159:2\n"
		"    #4 0x55 in klist_next /m/core/kernel/klist.c:186:9\n"
		RECURSION);

	CHECK(!strcmp(a, "ASAN: stack-overflow in device_is_dependent"), "got '%s'", a);
	CHECK(!strcmp(a, b), "two depths, two signatures: '%s' and '%s'", a, b);
}

/* Without a recurring frame, a stack overflow keeps its top frames. */
static void test_stack_overflow_without_recursion(void)
{
	const char *s = sig_of(OVERFLOW_HEAD
		"    #0 0x55 in big_frame /m/x.c:1\n"
		"    #1 0x55 in caller /m/x.c:2\n");

	CHECK(!strcmp(s, "ASAN: stack-overflow in big_frame < caller"), "got '%s'", s);
}

/* Other ASan kinds: access, then the top frames past the runtime's. */
static void test_asan_top_frames(void)
{
	const char *s = sig_of(
		"==1==ERROR: AddressSanitizer: heap-use-after-free on address 0x6020 at pc 0x55\n"
		"READ of size 8 at 0x6020 thread T0\n"
		"    #0 0x55 in kref_get /m/core/include/linux/kref.h:3\n"
		"    #1 0x55 in klist_next /m/core/kernel/klist.c:186:9\n"
		"    #2 0x55 in bus_for_each_dev /m/core/base/bus.c:40\n"
		"    #3 0x55 in driver_attach /m/core/base/dd.c:900\n"
		"    #4 0x55 in bus_add_driver /m/core/base/bus.c:700\n"
		"freed by thread T0 here:\n"
		"    #0 0x55 in free\n"
		"    #1 0x55 in kfree /m/core/kernel/slab.c:10\n");

	CHECK(!strcmp(s, "ASAN: heap-use-after-free READ in klist_next < bus_for_each_dev < driver_attach"),
	      "got '%s'", s);
}

/* TSan: the pair in one order whichever access the report names first. */
static void test_tsan_pair_order(void)
{
	const char *a = sig_of(
		"WARNING: ThreadSanitizer: data race (pid=12)\n"
		"  Write of size 8 at 0x7b by thread T1:\n"
		"    #0 zeta_write /m/z.c:1 (bin+0x1)\n"
		"    #1 zeta_caller /m/z.c:2 (bin+0x2)\n"
		"  Previous read of size 8 at 0x7b by thread T2:\n"
		"    #0 alpha_read /m/a.c:1 (bin+0x3)\n"
		"    #1 alpha_caller /m/a.c:2 (bin+0x4)\n");
	const char *b = sig_of(
		"WARNING: ThreadSanitizer: data race (pid=13)\n"
		"  Read of size 8 at 0x7b by thread T2:\n"
		"    #0 alpha_read /m/a.c:1 (bin+0x3)\n"
		"    #1 alpha_caller /m/a.c:2 (bin+0x4)\n"
		"  Previous write of size 8 at 0x7b by thread T1:\n"
		"    #0 zeta_write /m/z.c:1 (bin+0x1)\n"
		"    #1 zeta_caller /m/z.c:2 (bin+0x2)\n");

	CHECK(!strcmp(a, "TSAN: data race at alpha_read < alpha_caller vs zeta_write < zeta_caller"),
	      "got '%s'", a);
	CHECK(!strcmp(a, b), "the order of the report changed it: '%s' vs '%s'", a, b);
}

/*
 * Lock classes carry their device's name: the same lockdep report on
 * another slot is one signature.  Other numbers after letters stay.
 */
static void test_slot_numbers_masked(void)
{
	const char *a = sig_of("bindrace: LOCKDEP: possible recursive locking: dev0 at f < g\n");
	const char *b = sig_of("bindrace: LOCKDEP: possible recursive locking: dev4 at f < g\n");
	const char *c = sig_of("bindrace: LOCKDEP: possible recursive locking: dev3.c at f < g\n");
	const char *d = sig_of("bindrace: WARNING: WARN in sha1_step at subdev2 < drv12x\n");

	CHECK(!strcmp(a, "LOCKDEP: possible recursive locking: devN at f < g"), "got '%s'", a);
	CHECK(!strcmp(a, b), "'%s' vs '%s'", a, b);
	CHECK(!strcmp(c, "LOCKDEP: possible recursive locking: devN.c at f < g"), "got '%s'", c);
	CHECK(!strcmp(d, "WARNING: WARN in sha1_step at subdev2 < drvNx"), "got '%s'", d);
}

/* The model's own report line wins; a clean log is UNREPRODUCED. */
static void test_own_report_and_clean(void)
{
	const char *s = sig_of("noise\nbindrace: WARNING: WARN in f at f < g < h\n"
			       "==1==ERROR: AddressSanitizer: SEGV on unknown address\n");

	CHECK(!strcmp(s, "WARNING: WARN in f at f < g < h"), "got '%s'", s);
	s = sig_of("x.bin: clean, 10 schedule points\n");
	CHECK(!strcmp(s, "UNREPRODUCED"), "got '%s'", s);
}

int main(void)
{
	test_stack_overflow_names_the_recursion();
	test_stack_overflow_without_recursion();
	test_asan_top_frames();
	test_tsan_pair_order();
	test_slot_numbers_masked();
	test_own_report_and_clean();
	printf("%d checks: %d passed, %d failed\n", checks, checks - failures, failures);
	return failures ? 1 : 0;
}
