// SPDX-License-Identifier: MIT
/*
 * Interleaving feedback tests (ctest label unit): a race between two tasks
 * sets pairs; the pairs depend on what the tasks did, not on where the ops
 * stand in the program; the same run gives the same pairs, also after
 * another run.
 */

#include <stdio.h>
#include <string.h>

#include "feedback.h"
#include "prog/exec.h"
#include "prog/prog.h"

#include "tests/check.h"

#define HEADER								\
	"tasks 2\n"							\
	"sched_seed 77\n"						\
	"driver 0 probe_type=async match=name results=0,0,0,0 probe=sleep remove=yield arg=1\n"

/* Task 1's ops listed first, then task 0's: each task runs the same ops. */
static const char *const texts[] = {
	HEADER
	"t0 driver_register(drv=0, bus=0)\n"
	"t1 device_add(dev=1, parent=none, bus=0)\n"
	"t0 bind(drv=0, dev=1)\n"
	"t1 read_uevent(dev=1)\n"
	"t1 device_del(dev=1)\n"
	"t0 driver_unregister(drv=0)\n",
	HEADER
	"t1 device_add(dev=1, parent=none, bus=0)\n"
	"t1 read_uevent(dev=1)\n"
	"t1 device_del(dev=1)\n"
	"t0 driver_register(drv=0, bus=0)\n"
	"t0 bind(drv=0, dev=1)\n"
	"t0 driver_unregister(drv=0)\n",
};

static unsigned char seen[2][8192];

static size_t run(const char *text, unsigned char *out, uint64_t *hash)
{
	static struct prog p;
	struct exec_opts o = {
		.backend = SCHED_FIBERS,
		.trace = feedback_point,
		.event = feedback_event,
	};
	const unsigned char *c;
	char err[256];
	size_t n, set = 0;

	CHECK(prog_from_text(&p, text, err, sizeof(err)) == 0, "parse: %s", err);
	c = feedback_counters(&n);
	CHECK(n <= sizeof(seen[0]), "%zu counters", n);
	memset((void *)c, 0, n);
	feedback_reset();
	CHECK(prog_exec(&p, &o) == 0, "the program reported a finding");
	*hash = sched_trace_hash();
	memcpy(out, c, n);
	for (size_t i = 0; i < n; i++)
		set += c[i] != 0;
	return set;
}

static void test_pairs_keyed_by_op_kind(void)
{
	unsigned char again[sizeof(seen[0])];
	uint64_t h0, h1, h2;
	size_t n0, n1;

	n0 = run(texts[0], seen[0], &h0);
	n1 = run(texts[1], seen[1], &h1);
	CHECK(h0 == h1, "listing order changed the interleaving: %llx vs %llx",
	      (unsigned long long)h0, (unsigned long long)h1);
	CHECK(n0 >= 2, "a bind racing a delete set %zu pairs", n0);
	CHECK(n0 == n1 && !memcmp(seen[0], seen[1], sizeof(seen[0])),
	      "the same ops in other program positions set other pairs (%zu vs %zu)", n0, n1);
	run(texts[0], again, &h2);
	CHECK(h2 == h0 && !memcmp(seen[0], again, sizeof(again)),
	      "the same run set other pairs");
}

/*
 * feedback_reset() forgets the last run: static objects (bus locks, the
 * deferred lists) have the same address in every run, so a record left
 * over would pair the previous run's last access with this run's first.
 */
static void test_reset_forgets_the_last_run(void)
{
	static const char *const other =
		"tasks 3\n"
		"driver 1 probe_type=default match=name results=0,0,0,0 probe=none remove=none arg=0\n"
		"t2 device_add(dev=2, parent=none, bus=1)\n"
		"t1 driver_register(drv=1, bus=1)\n"
		"t0 device_add(dev=3, parent=none, bus=0)\n"
		"t1 driver_unregister(drv=1)\n"
		"t2 device_del(dev=2)\n"
		"t0 device_del(dev=3)\n";
	unsigned char before[sizeof(seen[0])], after[sizeof(seen[0])];
	uint64_t h0, h1;

	run(texts[0], before, &h0);
	run(other, seen[1], &h1);
	run(texts[0], after, &h1);
	CHECK(h0 == h1 && !memcmp(before, after, sizeof(before)),
	      "a run after another set other pairs than the same run alone");
}

/*
 * The model-state sample: dev1 is dev0's child and dev2 consumes dev1, a
 * chain of two edges; the same devices without the parent and the link
 * make none.
 */
static void test_state_chain_depth(void)
{
	static const char *const chain =
		"tasks 1\n"
		"t0 device_add(dev=0, parent=none, bus=0)\n"
		"t0 device_add(dev=1, parent=0, bus=0)\n"
		"t0 device_add(dev=2, parent=none, bus=0)\n"
		"t0 device_link_add(dev=2, dev=1, flags=stateless)\n"
		"t0 read_uevent(dev=0)\n";
	static const char *const flat =
		"tasks 1\n"
		"t0 device_add(dev=0, parent=none, bus=0)\n"
		"t0 device_add(dev=1, parent=none, bus=0)\n"
		"t0 device_add(dev=2, parent=none, bus=0)\n"
		"t0 read_uevent(dev=0)\n";
	unsigned char out[sizeof(seen[0])];
	uint64_t h;

	run(chain, out, &h);
	CHECK(feedback_state_depth() == 2, "chain: depth %d, not 2", feedback_state_depth());
	run(flat, out, &h);
	CHECK(feedback_state_depth() == 0, "flat: depth %d, not 0", feedback_state_depth());
}

/*
 * A link made to a device still inside device_add() (the program of
 * repro/device-is-dependent-unlisted-child, which the clean model
 * survives): the samples see the window.  The same ops on one task, one
 * after another, never do.
 */
#define UNLISTED_OPS(a, b, c)						\
	a " device_add(dev=0, parent=none, bus=1)\n"			\
	a " device_add(dev=3, parent=0, bus=0)\n"			\
	b " device_add(dev=1, parent=none, bus=1)\n"			\
	c " device_add(dev=2, parent=none, bus=1)\n"			\
	b " read_uevent(dev=0)\n"					\
	b " device_link_add(dev=1, dev=3, flags=stateless)\n"		\
	c " read_uevent(dev=0)\n"					\
	c " device_link_add(dev=0, dev=1, flags=stateless)\n"		\
	a " device_link_add(dev=0, dev=2, flags=stateless)\n"
#define UNLISTED_DRV							\
	"driver 0 probe_type=default match=all results=0,0,0,0 probe=none remove=none arg=0\n" \
	"t0 driver_register(drv=0, bus=0)\n"

/* Some sample of the racing program counts, none of the serial one's. */
static void racing_not_serial(const char *racing, const char *serial, int (*count)(void),
			      const char *what)
{
	unsigned char out[sizeof(seen[0])];
	uint64_t h;

	run(racing, out, &h);
	CHECK(count() > 0, "no sample saw %s", what);
	run(serial, out, &h);
	CHECK(count() == 0, "%d samples saw %s in a serial program", count(), what);
}

static void test_state_add_window(void)
{
	racing_not_serial("tasks 3\nmax_run 1\n" UNLISTED_DRV UNLISTED_OPS("t0", "t1", "t2"),
			  "tasks 1\nmax_run 1\n" UNLISTED_DRV UNLISTED_OPS("t0", "t0", "t0"),
			  feedback_state_windows, "a link inside device_add()");
}

/*
 * dev1 consumes dev0 and is deleted while task 0 works: some sample falls
 * between device_del()'s kill_device() and its purge of the link.  The
 * same ops on one task never leave an op with the link half gone.
 */
#define DEAD_OPS(a, b)							\
	a " device_add(dev=0, parent=none, bus=0)\n"			\
	b " device_add(dev=1, parent=none, bus=0)\n"			\
	b " device_link_add(dev=1, dev=0, flags=stateless)\n"		\
	b " device_del(dev=1)\n"					\
	a " read_uevent(dev=0)\n" a " read_uevent(dev=0)\n"		\
	a " read_uevent(dev=0)\n" a " read_uevent(dev=0)\n"		\
	a " read_uevent(dev=0)\n" a " read_uevent(dev=0)\n"

static void test_state_dead_link(void)
{
	racing_not_serial("tasks 2\nmax_run 1\n" DEAD_OPS("t0", "t1"),
			  "tasks 1\nmax_run 1\n" DEAD_OPS("t0", "t0"),
			  feedback_state_dead_links, "a link to a killed consumer");
}

int main(void)
{
	test_pairs_keyed_by_op_kind();
	test_reset_forgets_the_last_run();
	test_state_chain_depth();
	test_state_add_window();
	test_state_dead_link();
	printf("%d checks: %d passed, %d failed\n", checks, checks - failures, failures);
	return failures ? 1 : 0;
}
