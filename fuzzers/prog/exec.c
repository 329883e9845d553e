// SPDX-License-Identifier: MIT
/*
 * Execute a program on the model: one task per program task, each running
 * its ops in order; then quiesce, tear down and check (reference §6).
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bindrace/oracle.h>
#include <bindrace/report.h>
#include <bindrace/stats.h>
#include <linux/async.h>
#include <linux/delay.h>
#include <linux/nd.h>
#include <linux/slab.h>
#include <linux/workqueue.h>
#include "exec.h"
#include "world.h"

#define __LF_VALUE(name, flags) flags,
static const u32 link_flag_values[] = { LINK_FLAG_SETS(__LF_VALUE) };
#undef __LF_VALUE

extern bool debug_test_driver_remove;

#define EXEC_MAX_WORKERS	64
/*
 * Programs take hundreds to a few thousand points, the longest seen in a
 * campaign corpus 47,000; far more is a loop.  Past this budget the run
 * goes on as long again on random choices, with time passing, before it
 * is called a livelock.  With 200,000, the runs of a 30-minute campaign's
 * corpus that reached it (deferred probe re-probing in a loop, a task
 * spinning on a sleeper) were half of all its schedule points (README).
 */
#define EXEC_MAX_POINTS		50000
/*
 * Threads: runs take milliseconds; one that takes this long loops.  Below
 * libFuzzer's -timeout (the .options), so the report keeps the input.
 */
#define EXEC_WALL_LIMIT_MS	10000

static void (*event_hook)(const char *what, const char *detail, bool begin);

void exec_event(const char *what, const char *detail, bool begin)
{
	if (event_hook)
		event_hook(what, detail, begin);
}

struct task_ctx {
	const struct prog *p;
	unsigned int task;
};

static bool cas_state(int *state, int from, int to)
{
	return __atomic_compare_exchange_n(state, &from, to, false,
					   __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE);
}

static void op_device_add(const struct prog_op *op)
{
	struct dev_slot *s = &world.devs[op->args[0]];
	struct device *parent = NULL;
	struct fuzz_dev *fd;
	int ret = -ENOMEM;

	if (!cas_state(&s->state, SLOT_FREE, SLOT_BUSY))
		return;
	if (op->args[1] < PROG_NR_DEVS && op->args[1] != op->args[0])
		parent = world_find_device(op->args[1]);
	fd = fuzz_dev_alloc(op->args[0], s->name, parent, &fuzz_buses[op->args[2]]);
	if (fd) {
		s->adding = &fd->dev;
		ret = device_add(&fd->dev);
		s->adding = NULL;
	}
	if (!ret) {
		s->dev = &fd->dev;
		__atomic_store_n(&s->state, SLOT_LIVE, __ATOMIC_RELEASE);
	} else {
		if (fd)
			put_device(&fd->dev);
		__atomic_store_n(&s->state, SLOT_FREE, __ATOMIC_RELEASE);
	}
	/* The device holds its own reference on the parent now. */
	put_device(parent);
}

static void op_device_remove(const struct prog_op *op, bool unregister)
{
	struct dev_slot *s = &world.devs[op->args[0]];
	struct device *dev;

	if (!cas_state(&s->state, SLOT_LIVE, SLOT_BUSY))
		return;
	dev = s->dev;
	s->dev = NULL;
	if (unregister) {
		device_unregister(dev);
	} else {
		device_del(dev);
		world.zombies[__atomic_fetch_add(&world.nr_zombies, 1, __ATOMIC_RELAXED)] = dev;
	}
	__atomic_store_n(&s->state, SLOT_FREE, __ATOMIC_RELEASE);
}

static void op_driver_register(const struct prog_op *op)
{
	struct fuzz_drv *fdrv = &world.drvs[op->args[0]];

	if (!cas_state(&fdrv->state, SLOT_FREE, SLOT_BUSY))
		return;
	fdrv->drv.bus = &fuzz_buses[op->args[1]];
	__atomic_store_n(&fdrv->state, driver_register(&fdrv->drv) ? SLOT_FREE : SLOT_LIVE,
			 __ATOMIC_RELEASE);
}

/* The driver's bind/unbind files: usable only while it is registered. */
static bool files_get(struct fuzz_drv *fdrv)
{
	atomic_inc(&fdrv->files_active);
	if (__atomic_load_n(&fdrv->state, __ATOMIC_ACQUIRE) == SLOT_LIVE)
		return true;
	if (atomic_dec_and_test(&fdrv->files_active))
		wake_up_all(&fdrv->files_drain);
	return false;
}

static void files_put(struct fuzz_drv *fdrv)
{
	if (atomic_dec_and_test(&fdrv->files_active))
		wake_up_all(&fdrv->files_drain);
}

static void op_bind(const struct prog_op *op, bool bind)
{
	struct fuzz_drv *fdrv = &world.drvs[op->args[0]];
	const char *name = world.devs[op->args[1]].name;

	if (!files_get(fdrv))
		return;
	if (bind)
		bind_store(&fdrv->drv, name, strlen(name));
	else
		unbind_store(&fdrv->drv, name, strlen(name));
	files_put(fdrv);
}

static void op_by_name(const struct prog_op *op, unsigned int task)
{
	struct device *dev = world_find_device(op->args[0]);
	char buf[64];

	if (!dev)
		return;
	switch (op->op) {
	case OP_DRIVERS_PROBE:
		drivers_probe_store(dev->bus, world.devs[op->args[0]].name,
				    strlen(world.devs[op->args[0]].name));
		break;
	case OP_DEVICE_ATTACH:
		(void)!device_attach(dev);
		break;
	case OP_DRIVER_OVERRIDE:
		if (op->args[1] < PROG_NR_DRVS)
			driver_set_override(dev, &dev->driver_override,
					    world.drvs[op->args[1]].name,
					    strlen(world.drvs[op->args[1]].name));
		else
			driver_set_override(dev, &dev->driver_override, "", 0);
		break;
	case OP_READ_UEVENT:
		dev_uevent(dev, buf, sizeof(buf));
		break;
	case OP_GET_DEVICE:
		if (world.nr_refs[task] < PROG_MAX_OPS) {
			world.refs[task][world.nr_refs[task]++] = dev;
			return;		/* keep the lookup's reference */
		}
		break;
	}
	put_device(dev);
}

static void op_link(const struct prog_op *op)
{
	struct device *con = world_find_device(op->args[0]);
	struct device *sup = world_find_device(op->args[1]);

	/*
	 * A consumer that is an ancestor of its supplier: fw_devlink never
	 * asks for one, and device_link_add() refuses it (device_is_upstream()
	 * in device_is_dependent()).  The op skips it before taking any lock,
	 * as it did before the model had that check, so stored programs keep
	 * their interleavings (repro/device-is-dependent-recursion).
	 */
	if (con && sup && con != sup &&
	    !(op->op == OP_LINK_ADD && world_is_ancestor(con, sup))) {
		if (op->op == OP_LINK_ADD) {
			u32 flags = link_flag_values[op->args[2]];

			if (flags & DL_FLAG_STATELESS) {
				if (device_link_add(con, sup, flags))
					world_link_made(con, sup);
			} else {
				/*
				 * Managed links come from firmware (fw_devlink) before
				 * the consumer probes; adding one to a probing or bound
				 * consumer is a caller error the kernel WARNs about.
				 * The consumer's lock keeps it from starting meanwhile.
				 */
				device_lock(con);
				if (!con->driver)
					device_link_add(con, sup, flags);
				device_unlock(con);
			}
		} else {
			/* Only stateless links may be deleted by their creator. */
			if (world_link_claim(con, sup))
				device_link_remove(con, sup);
		}
	}
	put_device(con);
	put_device(sup);
}

static void run_op(const struct prog_op *op, unsigned int task)
{
	switch (op->op) {
	case OP_DEVICE_ADD:
		op_device_add(op);
		break;
	case OP_DEVICE_DEL:
	case OP_DEVICE_UNREGISTER:
		op_device_remove(op, op->op == OP_DEVICE_UNREGISTER);
		break;
	case OP_DRIVER_REGISTER:
		op_driver_register(op);
		break;
	case OP_DRIVER_UNREGISTER:
		world_unregister_driver(op->args[0]);
		break;
	case OP_BIND:
	case OP_UNBIND:
		op_bind(op, op->op == OP_BIND);
		break;
	case OP_DRIVERS_PROBE:
	case OP_DEVICE_ATTACH:
	case OP_DRIVER_OVERRIDE:
	case OP_READ_UEVENT:
	case OP_GET_DEVICE:
		op_by_name(op, task);
		break;
	case OP_DRIVERS_AUTOPROBE:
		drivers_autoprobe_store(&fuzz_buses[op->args[0]], op->args[1] ? "1" : "0", 1);
		break;
	case OP_LINK_ADD:
	case OP_LINK_DEL:
		op_link(op);
		break;
	case OP_LINK_WAIT_REMOVAL:
		device_link_wait_removal();
		break;
	case OP_DEFERRED_TRIGGER:
		driver_deferred_probe_trigger();
		break;
	case OP_WAIT_FOR_PROBE:
		wait_for_device_probe();
		break;
	case OP_ASYNC_SYNC_FULL:
		async_synchronize_full();
		break;
	case OP_PUT_DEVICE:
		if (world.nr_refs[task])
			put_device(world.refs[task][--world.nr_refs[task]]);
		break;
	case OP_FAIL_NTH:
		fault_inject_set_nth(op->args[0]);
		break;
	case OP_DELETE_CHILD:
		world_delete_child(op->args[0]);
		break;
	}
}

/*
 * "op N", written once by exec_init(): formatting it for every op of every
 * run was 1 % of fuzz_bind's profile, for a detail only the trace prints.
 */
static char op_labels[PROG_MAX_OPS][8];

static void program_task(void *arg)
{
	struct task_ctx *ctx = arg;

	for (int i = 0; i < ctx->p->nr_ops; i++) {
		const struct prog_op *op = &ctx->p->ops[i];

		if (op->task != ctx->task)
			continue;
		exec_event(prog_op_table[op->op].name, op_labels[i], true);
		run_op(op, ctx->task);
		exec_event(prog_op_table[op->op].name, op_labels[i], false);
	}
}

static void exec_main(void *arg)
{
	const struct prog *p = arg;
	/*
	 * Not on this task's stack: a livelock report cancels every task,
	 * and this one can unwind out of this frame while the program tasks
	 * still run up to their next point, reading their ctx (TSan saw the
	 * frame's memory reused: repro/exec-ctx-on-cancelled-stack).  One run
	 * at a time per process.
	 */
	static struct task_ctx ctx[PROG_MAX_TASKS];
	static struct task *t[PROG_MAX_TASKS];
	static const char *const names[] = { "t0", "t1", "t2", "t3" };

	/*
	 * The header's worker count: workers present from the start, in the
	 * pool of the async entries and the deferred probe work.
	 */
	workqueue_start_workers(system_unbound_wq, p->max_workers);
	if (p->fail_nth)
		fault_inject_set_nth(p->fail_nth);
	for (unsigned int i = 0; i < p->nr_tasks; i++) {
		ctx[i].p = p;
		ctx[i].task = i;
		t[i] = sched_spawn(names[i], program_task, &ctx[i]);
	}
	for (unsigned int i = 0; i < p->nr_tasks; i++)
		sched_join(t[i]);

	/* The oracle: quiesce, tear down, and let every deferred release run. */
	fault_inject_set_nth(0);
	async_max_work = ASYNC_MAX_WORK;
	driver_deferred_probe_check_liveness();
	world_teardown();
	/* Like nvdimm_bus_unregister(): queued child deletions finish. */
	nd_synchronize();
	wait_for_device_probe();
	device_link_wait_removal();
	/*
	 * The owner of the devices' firmware nodes tears down here (reference
	 * B12, seed 003): after device_link_wait_removal() no removed link
	 * may still hold a device.
	 */
	if (br_obj_live(BR_OBJ_DEVICE_LINK) || br_obj_live(BR_OBJ_DEVICE))
		bindrace_report(REPORT_INVARIANT, "device still referenced after device_link_wait_removal",
				"%ld device(s), %ld link(s) live when the firmware-node owner tears down\n",
				br_obj_live(BR_OBJ_DEVICE), br_obj_live(BR_OBJ_DEVICE_LINK));
}

static void setup_body(void *arg)
{
	driver_core_init();
	for (int b = 0; b < PROG_NR_BUSES; b++)
		if (bus_register(&fuzz_buses[b]))
			bindrace_fatal("exec: cannot register fuzz bus %s", fuzz_buses[b].name);
}

void exec_init(void)
{
	static bool done;
	struct sched_opts o = { .backend = SCHED_FIBERS };

	if (done)
		return;
	done = true;
	for (int i = 0; i < PROG_MAX_OPS; i++)
		snprintf(op_labels[i], sizeof(op_labels[i]), "op %d", i);
	sched_run(&o, setup_body, NULL);
}

/* After the run: every object freed and every count back to zero. */
static int check_accounting(long slab0)
{
	int bad = 0;

	for (int k = 0; k < BR_OBJ_NR; k++) {
		if (br_obj_live(k)) {
			bindrace_report(REPORT_LEAK, br_obj_name(k),
					"%ld %s object(s) still live after teardown\n",
					br_obj_live(k), br_obj_name(k));
			bad++;
		}
	}
	if (slab_live_objects() != slab0) {
		bindrace_report(REPORT_LEAK, "kmalloc",
				"%ld kmalloc object(s) not freed after teardown\n",
				slab_live_objects() - slab0);
		bad++;
	}
	return bad;
}

/*
 * BINDRACE_THREADS=N: the threads backend's pool (sched_opts.nr_threads;
 * default one thread per core).  A bad value is a usage error: exit 2.
 */
static unsigned int exec_nr_threads(void)
{
	static int n = -1;
	const char *env;
	char *end;
	long v;

	if (n >= 0)
		return (unsigned int)n;
	n = 0;
	env = getenv("BINDRACE_THREADS");
	if (!env || !*env)
		return 0;
	v = strtol(env, &end, 10);
	if (*end || v < 1 || v > SCHED_MAX_THREADS) {
		fprintf(stderr, "bindrace: BINDRACE_THREADS='%s': want a number of threads from 1 to %d\n",
			env, SCHED_MAX_THREADS);
		exit(2);
	}
	n = (int)v;
	return (unsigned int)n;
}

int prog_exec(const struct prog *p, const struct exec_opts *o)
{
	struct sched_opts so = {
		.backend = o->backend,
		.choices = o->ignore_schedule ? NULL : p->sched,
		.nr_choices = o->ignore_schedule ? 0 : p->nr_sched,
		.seed = o->seed ? o->seed : p->sched_seed,
		.max_run = p->max_run,
		/*
		 * The kernel creates workers whenever work waits and none is
		 * idle; a low cap would only add pool-exhaustion deadlocks.
		 */
		.max_workers = EXEC_MAX_WORKERS,
		.max_points = EXEC_MAX_POINTS,
		.wall_limit_ms = EXEC_WALL_LIMIT_MS,
		.nr_threads = o->backend == SCHED_THREADS ? exec_nr_threads() : 0,
	};
	unsigned int before = report_count_all();
	enum sched_status st;
	unsigned long mark;
	long slab0;

	if (o->sequential) {
		static struct prog seq;

		seq = *p;
		seq.nr_tasks = 1;
		seq.nr_sched = 0;
		seq.max_run = 32;
		prog_normalize(&seq);	/* every op on task 0 */
		p = &seq;
		so.choices = NULL;
		so.nr_choices = 0;
		so.seed = 0;
		so.max_run = seq.max_run;
	}
	exec_init();
	driver_core_reset();
	world_setup(p);
	if (p->flags & PROG_F_SYNC_FALLBACK)
		async_max_work = -1;
	debug_test_driver_remove = p->flags & PROG_F_TEST_REMOVE;
	sched_set_trace_hook(o->trace);
	event_hook = o->event;
	slab0 = slab_live_objects();
	mark = slab_mark();
	st = sched_run(&so, exec_main, (void *)p);
	sched_set_trace_hook(NULL);
	event_hook = NULL;
	if (st != SCHED_OK) {
		/* Cancelled mid-flight: reset the model and reclaim its heap. */
		driver_core_reset();
		slab_reclaim_since(mark);
	} else {
		check_accounting(slab0);
	}
	/* A finding only if its report was not suppressed (known.supp). */
	return report_count_all() != before;
}
