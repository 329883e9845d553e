// SPDX-License-Identifier: MIT
/* Kernel shims: workqueues, klists, fault injection, devres. */

#include <linux/completion.h>
#include <linux/delay.h>
#include <linux/jiffies.h>
#include <linux/klist.h>
#include <linux/slab.h>
#include <linux/workqueue.h>
#include "test.h"

struct counted_work {
	struct work_struct work;
	struct delayed_work dwork;
	int runs;
	uint64_t ran_at;
	unsigned int sleep_ms;
};

static void count_fn(struct work_struct *work)
{
	struct counted_work *cw = container_of(work, struct counted_work, work);

	if (cw->sleep_ms)
		msleep(cw->sleep_ms);
	__atomic_fetch_add(&cw->runs, 1, __ATOMIC_SEQ_CST);
}

static void delayed_fn(struct work_struct *work)
{
	struct counted_work *cw = container_of(to_delayed_work(work),
					       struct counted_work, dwork);

	cw->ran_at = sched_clock_ns();
	__atomic_fetch_add(&cw->runs, 1, __ATOMIC_SEQ_CST);
}

static void body_workqueue(void *arg)
{
	struct workqueue_struct *wq = alloc_ordered_workqueue("test_wq", 0);
	struct counted_work a = { .sleep_ms = 100 }, b = { 0 };

	INIT_WORK(&a.work, count_fn);
	INIT_WORK(&b.work, count_fn);
	int queued;

	CHECK(queue_work(wq, &a.work));
	/* False while still pending; true again once a worker took it. */
	queued = 1 + queue_work(wq, &a.work);
	CHECK(queue_work(wq, &b.work));
	flush_work(&a.work);
	CHECK_EQ(a.runs, queued);
	flush_workqueue(wq);
	CHECK_EQ(b.runs, 1);
	CHECK(!flush_work(&a.work));		/* idle: nothing to wait for */
	a.runs = 1;

	/* Delayed work fires at its virtual time; a cancelled one never. */
	INIT_DELAYED_WORK(&a.dwork, delayed_fn);
	INIT_DELAYED_WORK(&b.dwork, delayed_fn);
	uint64_t t0 = sched_clock_ns();

	CHECK(queue_delayed_work(wq, &a.dwork, msecs_to_jiffies(250)));
	CHECK(queue_delayed_work(wq, &b.dwork, msecs_to_jiffies(50)));
	CHECK(delayed_work_pending(&b.dwork));
	CHECK(cancel_delayed_work(&b.dwork));
	msleep(1000);
	CHECK_EQ(a.runs, 2);
	CHECK_EQ(a.ran_at - t0, 250000000ULL);
	CHECK_EQ(b.runs, 1);
	/* flush_delayed_work runs a pending one now. */
	CHECK(queue_delayed_work(wq, &a.dwork, msecs_to_jiffies(10000)));
	flush_delayed_work(&a.dwork);
	CHECK_EQ(a.runs, 3);
	CHECK(sched_clock_ns() - t0 < 2000000000ULL);
	destroy_workqueue(wq);
}

BR_TEST(workqueue_flush_delay_cancel)
{
	CHECK_EQ(br_run(body_workqueue, NULL), SCHED_OK);
}

struct reentry_work {
	struct work_struct work;
	int running, max_running, runs;
};

static void reentry_fn(struct work_struct *work)
{
	struct reentry_work *rw = container_of(work, struct reentry_work, work);

	if (++rw->running > rw->max_running)
		rw->max_running = rw->running;
	/* Queued again while it runs: another worker must not take it. */
	if (rw->runs++ == 0)
		CHECK(queue_work(system_wq, &rw->work));
	msleep(10);
	rw->running--;
}

static void body_reentry(void *arg)
{
	struct reentry_work rw = { 0 };

	INIT_WORK(&rw.work, reentry_fn);
	workqueue_start_workers(system_wq, 4);
	CHECK(queue_work(system_wq, &rw.work));
	msleep(5);
	flush_work(&rw.work);
	flush_work(&rw.work);
	CHECK_EQ(rw.runs, 2);
	CHECK_EQ(rw.max_running, 1);
}

BR_TEST(workqueue_item_never_runs_twice_at_once)
{
	CHECK_EQ(br_run(body_reentry, NULL), SCHED_OK);
}

/* Items that wait for an item of another queue, and that item. */
struct gate_work {
	struct work_struct work;
	struct completion *done;
};

static void gate_wait_fn(struct work_struct *work)
{
	wait_for_completion(container_of(work, struct gate_work, work)->done);
}

static void gate_open_fn(struct work_struct *work)
{
	complete_all(container_of(work, struct gate_work, work)->done);
}

struct gate_case {
	struct workqueue_struct *opener_wq;
	int nr_waiters;
};

static void body_gate(void *arg)
{
	const struct gate_case *gc = arg;
	struct completion done;
	struct gate_work w[4], opener = { .done = &done };

	init_completion(&done);
	for (int i = 0; i < gc->nr_waiters; i++) {
		w[i].done = &done;
		INIT_WORK(&w[i].work, gate_wait_fn);
		CHECK(queue_work(system_long_wq, &w[i].work));
	}
	msleep(1);
	INIT_WORK(&opener.work, gate_open_fn);
	CHECK(queue_work(gc->opener_wq, &opener.work));
	wait_for_completion(&done);
	flush_workqueue(system_long_wq);
}

/*
 * Bound and unbound queues have their own workers: bound items blocked on
 * an unbound one do not keep it from running, even with every worker the
 * cap allows taken (the async_done deadlock of
 * repro/async-done-shared-worker-pool).
 */
BR_TEST(workqueue_pools_do_not_starve_each_other)
{
	struct sched_opts o = { .backend = br_test_backend, .max_workers = 2 };
	struct gate_case gc = { .opener_wq = system_unbound_wq, .nr_waiters = 2 };

	CHECK_EQ(br_run_opts(&o, body_gate, &gc), SCHED_OK);
}

/*
 * Within one pool, the cap can leave an item without a worker: the kernel
 * would create one, so the deadlock says it is the model's limit.
 */
BR_TEST(workqueue_cap_deadlock_names_the_cap)
{
	struct sched_opts o = { .backend = br_test_backend, .max_workers = 2 };
	struct gate_case gc = { .opener_wq = system_wq, .nr_waiters = 2 };

	report_capture_begin();
	br_test_allow_leaks();
	CHECK_EQ(br_run_opts(&o, body_gate, &gc), SCHED_DEADLOCK);
	CHECK(report_seen("deadlock: worker pool at the model's cap: "));
}

struct kl_item {
	struct klist_node node;
	int id;
};

struct kl_ctx {
	struct klist list;
	struct kl_item items[3];
	struct completion pinned, go;
	int seen;
};

static void iterator(void *arg)
{
	struct kl_ctx *c = arg;
	struct klist_iter i;
	struct klist_node *n;

	klist_iter_init(&c->list, &i);
	n = klist_next(&i);	/* pins item 0 */
	complete(&c->pinned);
	wait_for_completion(&c->go);
	c->seen = container_of(n, struct kl_item, node)->id;
	while ((n = klist_next(&i)))
		c->seen = c->seen * 10 + container_of(n, struct kl_item, node)->id;
	klist_iter_exit(&i);
}

static void remover(void *arg)
{
	struct kl_ctx *c = arg;

	klist_remove(&c->items[0].node);	/* waits for the iterator */
}

static void body_klist(void *arg)
{
	struct kl_ctx *c = kzalloc(sizeof(*c), GFP_KERNEL);
	struct task *it, *rm;

	klist_init(&c->list, NULL, NULL);
	init_completion(&c->pinned);
	init_completion(&c->go);
	for (int k = 0; k < 3; k++) {
		c->items[k].id = k + 1;
		klist_add_tail(&c->items[k].node, &c->list);
	}
	it = sched_spawn("iterator", iterator, c);
	wait_for_completion(&c->pinned);
	rm = sched_spawn("remover", remover, c);
	msleep(10);
	/* The remover is still waiting: the iterator pins the node. */
	CHECK(klist_node_attached(&c->items[0].node));
	klist_del(&c->items[1].node);	/* dead nodes are skipped */
	complete(&c->go);
	sched_join(it);
	sched_join(rm);
	CHECK_EQ(c->seen, 13);
	CHECK(!klist_node_attached(&c->items[0].node));
	klist_remove(&c->items[2].node);
	kfree(c);
}

BR_TEST(klist_remove_waits_for_iterators)
{
	CHECK_EQ(br_run(body_klist, NULL), SCHED_OK);
}

static void body_fault_injection(void *arg)
{
	struct tdrv d;
	struct device *dev;
	int released = 0, err = 0, n;

	tdrv_init(&d, "foo", PROBE_DEFAULT_STRATEGY);
	/* Fail each allocation of device_add + driver_register in turn. */
	for (n = 1; n < 20; n++) {
		dev = tdev_alloc("foo.0", NULL, &released);
		fault_inject_set_nth(n);
		err = device_add(dev);
		if (!err)
			err = driver_register(&d.drv);
		if (!fault_inject_hits()) {
			fault_inject_set_nth(0);
			CHECK_EQ(err, 0);
			CHECK(dev->driver == &d.drv);
			driver_unregister(&d.drv);
			device_unregister(dev);
			break;
		}
		fault_inject_set_nth(0);
		CHECK_EQ(err, -ENOMEM);
		if (d.drv.p)
			driver_unregister(&d.drv);
		if (dev->p && device_is_registered(dev))
			device_unregister(dev);
		else
			put_device(dev);
	}
	printf("allocations in device_add + driver_register: %d\n", n - 1);
	CHECK(n > 2 && n < 20);
	CHECK_EQ(released, n);
}

BR_TEST(fault_injection_fail_nth_allocation)
{
	CHECK_EQ(br_run(body_fault_injection, NULL), SCHED_OK);
}

static int devm_ran;

static void devm_action(void *data)
{
	devm_ran++;
}

static void body_devres(void *arg)
{
	struct device *dev = tdev_alloc("foo.0", NULL, NULL);

	devm_ran = 0;
	CHECK_EQ(device_add(dev), 0);
	CHECK_EQ(devm_add_action(dev, devm_action, NULL), 0);
	get_device(dev);
	/* Actions run at device_del, even with a reference held (KUnit §5.2). */
	device_unregister(dev);
	CHECK_EQ(devm_ran, 1);
	put_device(dev);
	CHECK_EQ(devm_ran, 1);
}

BR_TEST(devres_released_at_del_with_reference_held)
{
	CHECK_EQ(br_run(body_devres, NULL), SCHED_OK);
}
