// SPDX-License-Identifier: MIT
/*
 * The checkers fire: lock-order inversions through wait pseudo-locks and
 * device-lock ancestry, refcount misuse, sleeping in atomic context, bad
 * input to the model, and TSan on a racy write (in the TSan build).
 */

#include <linux/async.h>
#include <linux/kref.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>
#include <linux/completion.h>
#include <linux/delay.h>
#include <linux/jiffies.h>
#include <linux/timer.h>

#include <string.h>

#include <bindrace/oracle.h>
#include "../base/base.h"
#include "test.h"

static void lock_dev_job(void *data, async_cookie_t cookie)
{
	struct device *dev = data;

	device_lock(dev);
	device_unlock(dev);
}

static void body_async_sync_under_lock(void *arg)
{
	struct device *dev = tdev_alloc("foo.0", NULL, NULL);

	CHECK_EQ(device_add(dev), 0);
	/* The job takes the device lock; let it run once. */
	async_schedule(lock_dev_job, dev);
	async_synchronize_full();
	CHECK_EQ(report_count(REPORT_LOCKDEP), 0);
	/* B1's shape: waiting for async work under a lock the work takes. */
	device_lock(dev);
	async_synchronize_full();
	device_unlock(dev);
	device_unregister(dev);
}

BR_TEST(lockdep_async_synchronize_full_under_device_lock)
{
	report_capture_begin();
	CHECK_EQ(br_run(body_async_sync_under_lock, NULL), SCHED_OK);
	CHECK_EQ(report_count(REPORT_LOCKDEP), 1);
	CHECK(report_seen("possible circular locking: foo.0 -> (async_synchronize_full)"));
	CHECK(report_seen("by task kworker"));
}

static DEFINE_MUTEX(work_lock);

static void locking_work_fn(struct work_struct *work)
{
	mutex_lock(&work_lock);
	mutex_unlock(&work_lock);
}

static void body_flush_under_lock(void *arg)
{
	struct work_struct w;

	INIT_WORK(&w, locking_work_fn);
	queue_work(system_wq, &w);
	flush_work(&w);
	CHECK_EQ(report_count(REPORT_LOCKDEP), 0);
	mutex_lock(&work_lock);
	queue_work(system_wq, &w);
	flush_work(&w);		/* would deadlock: the work waits for us */
	mutex_unlock(&work_lock);
}

BR_TEST(lockdep_flush_work_under_lock_the_work_takes)
{
	report_capture_begin();
	br_test_allow_leaks();
	/* The flush really deadlocks, and lockdep said so before it did. */
	CHECK_EQ(br_run(body_flush_under_lock, NULL), SCHED_DEADLOCK);
	CHECK(report_seen("possible circular locking: work_lock -> (work_completion)locking_work_fn"));
	CHECK_EQ(report_count(REPORT_DEADLOCK), 1);
}

static void body_parent_child(void *arg)
{
	struct device *parent = tdev_alloc("parent", NULL, NULL);
	struct device *child;

	CHECK_EQ(device_add(parent), 0);
	child = tdev_alloc("child", parent, NULL);
	CHECK_EQ(device_add(child), 0);
	/* Parent before child: legal. */
	device_lock(parent);
	device_lock(child);
	device_unlock(child);
	device_unlock(parent);
	CHECK_EQ(report_count(REPORT_LOCKDEP), 0);
	/* Child before parent: reported at once, no deadlock needed. */
	device_lock(child);
	device_lock(parent);
	device_unlock(parent);
	device_unlock(child);
	CHECK_EQ(report_count(REPORT_LOCKDEP), 1);
	device_unregister(child);
	device_unregister(parent);
}

BR_TEST(lockdep_device_lock_parent_before_child)
{
	report_capture_begin();
	CHECK_EQ(br_run(body_parent_child, NULL), SCHED_OK);
	CHECK(report_seen("device lock order: parent parent after child child"));
}

static void kref_noop(struct kref *kref)
{
}

static void body_refcount(void *arg)
{
	struct kref k;

	kref_init(&k);
	CHECK_EQ(kref_put(&k, kref_noop), 1);
	CHECK_EQ(report_count(REPORT_REFCOUNT), 0);
	kref_get(&k);		/* use after release */
	CHECK_EQ(report_count(REPORT_REFCOUNT), 1);
	kref_init(&k);
	kref_put(&k, kref_noop);
	kref_put(&k, kref_noop);	/* underflow */
	CHECK_EQ(report_count(REPORT_REFCOUNT), 2);
}

BR_TEST(refcount_underflow_and_use_after_release)
{
	report_capture_begin();
	CHECK_EQ(br_run(body_refcount, NULL), SCHED_OK);
	CHECK(report_seen("addition on 0; use-after-free"));
	CHECK(report_seen("underflow; use-after-free"));
}

static void body_sleep_in_atomic(void *arg)
{
	static DEFINE_SPINLOCK(lock);
	static DEFINE_MUTEX(m);

	spin_lock(&lock);
	mutex_lock(&m);
	mutex_unlock(&m);
	spin_unlock(&lock);
	CHECK(!in_atomic());
}

BR_TEST(might_sleep_under_spinlock)
{
	report_capture_begin();
	CHECK_EQ(br_run(body_sleep_in_atomic, NULL), SCHED_OK);
	CHECK_EQ(report_count(REPORT_SLEEP), 1);
	CHECK(report_seen("sleeping function called from invalid context"));
}

struct last_put {
	struct timer_list timer;
	struct device *dev;
	struct completion done;
};

static void last_put_fn(struct timer_list *t)
{
	struct last_put *lp = from_timer(lp, t, timer);

	put_device(lp->dev);	/* the final put, in a timer: atomic context */
	complete(&lp->done);	/* orders the release before the check */
}

static void body_release_in_atomic(void *arg)
{
	struct last_put lp;
	int released = 0;

	lp.dev = tdev_alloc("foo.0", NULL, &released);
	CHECK_EQ(device_add(lp.dev), 0);
	device_del(lp.dev);
	init_completion(&lp.done);
	timer_setup(&lp.timer, last_put_fn, 0);
	mod_timer(&lp.timer, jiffies + 1);
	wait_for_completion(&lp.done);
	CHECK_EQ(released, 1);
}

BR_TEST(device_release_from_atomic_context_is_reported)
{
	report_capture_begin();
	CHECK_EQ(br_run(body_release_in_atomic, NULL), SCHED_OK);
	CHECK_EQ(report_count(REPORT_SLEEP), 1);
}

static void body_bad_input(void *arg)
{
	struct device *dev = tdev_alloc("foo.0", NULL, NULL);
	struct device *never = tdev_alloc("never.0", NULL, NULL);

	CHECK_EQ(device_add(dev), 0);
	device_del(dev);
	device_del(dev);	/* double del: refused with a WARN */
	CHECK_EQ(report_count(REPORT_WARN), 1);
	put_device(dev);
	device_del(never);	/* never added */
	CHECK_EQ(report_count(REPORT_WARN), 2);
	put_device(never);
	CHECK(device_add(NULL) == -EINVAL);
	put_device(NULL);
	CHECK(!get_device(NULL));
	CHECK(device_link_add(NULL, NULL, 0) == NULL);

	/* Entry points on a device that was never added: WARN, no crash. */
	never = tdev_alloc("never.1", NULL, NULL);
	CHECK_EQ(device_attach(never), -ENODEV);
	CHECK_EQ(device_reprobe(never), -ENODEV);
	device_release_driver(never);
	device_driver_detach(never);
	CHECK_EQ(report_count(REPORT_WARN), 6);
	put_device(never);
	device_unregister(NULL);
	driver_unregister(NULL);
	CHECK_EQ(report_count(REPORT_WARN), 8);
	CHECK_EQ(bus_register(NULL), -EINVAL);
	CHECK(!bus_find_device_by_name(NULL, NULL, "x"));
	CHECK_EQ(bus_rescan_devices(NULL), -EINVAL);
}

BR_TEST(bad_input_gets_the_kernel_answer)
{
	report_capture_begin();
	CHECK_EQ(br_run(body_bad_input, NULL), SCHED_OK);
	CHECK(report_seen("of a dead device"));
	CHECK(report_seen("never added"));
}

/* ---- a site that reports again gets the same signature (names cached) ---- */

void br_test_warn_site(void);
noinline void br_test_warn_site(void)
{
	WARN_ON(1);
}

BR_TEST(signature_frames_same_when_a_site_reports_again)
{
	char first[768];

	report_capture_begin();
	br_test_warn_site();
	snprintf(first, sizeof(first), "%s", report_last_title());
	CHECK(strstr(first, "WARN in br_test_warn_site at br_test_warn_site < "));
	for (int i = 0; i < 3; i++) {
		br_test_warn_site();
		CHECK(!strcmp(report_last_title(), first));
	}
}

/* ---- TSan sees races between tasks, and none through the shim mutex ---- */

#ifdef BINDRACE_TSAN
static int tsan_reports;

void __tsan_on_report(void *report);
void __tsan_on_report(void *report)
{
	(void)report;
	tsan_reports++;
}
#endif

struct shared {
	struct mutex lock;
	int value;
	bool writer_locks;
};

static void writer(void *arg)
{
	struct shared *s = arg;

	if (s->writer_locks)
		mutex_lock(&s->lock);
	s->value++;
	if (s->writer_locks)
		mutex_unlock(&s->lock);
}

static __maybe_unused void body_tsan(void *arg)
{
	struct shared *s = kzalloc(sizeof(*s), GFP_KERNEL);
	struct task *t;

	mutex_init(&s->lock);
	s->writer_locks = *(bool *)arg;
	t = sched_spawn("writer", writer, s);
	mutex_lock(&s->lock);
	s->value++;
	mutex_unlock(&s->lock);
	sched_join(t);
	CHECK_EQ(s->value, 2);
	kfree(s);
}

BR_TEST(tsan_reports_unlocked_write)
{
	bool locked = false;

#ifndef BINDRACE_TSAN
	br_test_skip("needs the tsan preset");
#else
	CHECK_EQ(br_run(body_tsan, &locked), SCHED_OK);
	printf("TSan reports: %d\n", tsan_reports);
	CHECK(tsan_reports > 0);
#endif
	(void)locked;
}

BR_TEST(tsan_clean_with_shim_mutex)
{
	bool locked = true;

#ifndef BINDRACE_TSAN
	br_test_skip("needs the tsan preset");
#else
	CHECK_EQ(br_run(body_tsan, &locked), SCHED_OK);
	CHECK_EQ(tsan_reports, 0);
#endif
	(void)locked;
}

/*
 * The feedback's view of a device reads with plain loads what the model
 * writes under its locks: TSan must not see those reads.  The writer
 * writes every field device_lifecycle_state() reads, with nothing
 * ordering its writes against the reads.
 */
struct lifecycle {
	struct device *dev;
	struct list_head list;
};

static void lifecycle_writer(void *arg)
{
	struct lifecycle *l = arg;

	list_add(&l->dev->p->deferred_probe, &l->list);
	l->dev->p->dead = true;
	l->dev->flags |= BIT(DEV_FLAG_CAN_MATCH);
	l->dev->driver = NULL;
}

static __maybe_unused void body_lifecycle(void *arg)
{
	struct lifecycle *l = arg;
	struct task *t;

	INIT_LIST_HEAD(&l->list);
	l->dev = tdev_alloc("life.0", NULL, NULL);
	CHECK_EQ(device_add(l->dev), 0);
	t = sched_spawn("writer", lifecycle_writer, l);
	/* After the spawn: nothing orders this read and the writer's writes. */
	(void)device_lifecycle_state(l->dev);
	sched_join(t);
	CHECK_EQ(device_lifecycle_state(l->dev),
		 DEV_STATE_DEAD | DEV_STATE_CAN_MATCH | DEV_STATE_DEFERRED);
	list_del_init(&l->dev->p->deferred_probe);
	l->dev->p->dead = false;
	l->dev->flags &= ~BIT(DEV_FLAG_CAN_MATCH);
	device_unregister(l->dev);
}

BR_TEST(tsan_blind_to_lifecycle_state)
{
	struct lifecycle l;

#ifndef BINDRACE_TSAN
	br_test_skip("needs the tsan preset");
#else
	CHECK_EQ(br_run(body_lifecycle, &l), SCHED_OK);
	CHECK_EQ(tsan_reports, 0);
#endif
	(void)l;
}
