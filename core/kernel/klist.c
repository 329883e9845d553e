// SPDX-License-Identifier: MIT
/* Pinning lists, written from the semantics of lib/klist.c. */

#include <linux/bug.h>
#include <linux/completion.h>
#include <linux/klist.h>
#include <linux/sched.h>
#include <linux/slab.h>

/* Waiters of klist_remove(): one per node being removed. */
struct klist_waiter {
	struct list_head list;
	struct klist_node *node;
	struct completion done;
};

static LIST_HEAD(klist_remove_waiters);
static DEFINE_SPINLOCK(klist_remove_lock);

void klist_init(struct klist *k, void (*get)(struct klist_node *),
		void (*put)(struct klist_node *))
{
	INIT_LIST_HEAD(&k->k_list);
	spin_lock_init(&k->k_lock);
	k->get = get;
	k->put = put;
}

static void knode_init(struct klist *k, struct klist_node *n)
{
	INIT_LIST_HEAD(&n->n_node);
	kref_init(&n->n_ref);
	n->n_klist = k;
	n->n_dead = false;
	if (k->get)
		k->get(n);
}

void klist_add_tail(struct klist_node *n, struct klist *k)
{
	knode_init(k, n);
	spin_lock(&k->k_lock);
	list_add_tail(&n->n_node, &k->k_list);
	spin_unlock(&k->k_lock);
}

void klist_add_head(struct klist_node *n, struct klist *k)
{
	knode_init(k, n);
	spin_lock(&k->k_lock);
	list_add(&n->n_node, &k->k_list);
	spin_unlock(&k->k_lock);
}

static void klist_release(struct kref *kref)
{
	struct klist_node *n = container_of(kref, struct klist_node, n_ref);
	struct klist_waiter *w, *tmp;

	list_del(&n->n_node);
	/*
	 * bindrace finding (repro/klist-release-late-store): lib/klist.c
	 * clears n_klist after waking the klist_remove() waiter, which may
	 * already have freed the node (bus_remove_driver frees the
	 * driver_private holding it).  Clear it first.
	 */
	n->n_klist = NULL;
	spin_lock(&klist_remove_lock);
	list_for_each_entry_safe(w, tmp, &klist_remove_waiters, list) {
		if (w->node != n)
			continue;
		list_del(&w->list);
		complete(&w->done);
	}
	spin_unlock(&klist_remove_lock);
}

static int klist_dec_and_del(struct klist_node *n)
{
	return kref_put(&n->n_ref, klist_release);
}

/* Drop a reference; the put callback runs outside k_lock. */
static void klist_put(struct klist_node *n, bool kill)
{
	struct klist *k = n->n_klist;
	void (*put)(struct klist_node *) = k->put;

	spin_lock(&k->k_lock);
	if (kill) {
		WARN_ON(n->n_dead);
		n->n_dead = true;
	}
	/* Only the final reference runs release and the put callback. */
	if (!klist_dec_and_del(n))
		put = NULL;
	spin_unlock(&k->k_lock);
	if (put)
		put(n);
}

void klist_del(struct klist_node *n)
{
	klist_put(n, true);
}

void klist_remove(struct klist_node *n)
{
	struct klist_waiter waiter;

	waiter.node = n;
	init_completion(&waiter.done);
	spin_lock(&klist_remove_lock);
	list_add(&waiter.list, &klist_remove_waiters);
	spin_unlock(&klist_remove_lock);

	klist_del(n);
	wait_for_completion(&waiter.done);
}

int klist_node_attached(struct klist_node *n)
{
	return READ_ONCE(n->n_klist) != NULL;
}

void klist_iter_init_node(struct klist *k, struct klist_iter *i, struct klist_node *n)
{
	i->i_klist = k;
	i->i_cur = NULL;
	if (n && kref_get_unless_zero(&n->n_ref))
		i->i_cur = n;
}

void klist_iter_init(struct klist *k, struct klist_iter *i)
{
	klist_iter_init_node(k, i, NULL);
}

void klist_iter_exit(struct klist_iter *i)
{
	if (i->i_cur) {
		klist_put(i->i_cur, false);
		i->i_cur = NULL;
	}
}

static struct klist_node *to_klist_node(struct list_head *n)
{
	return container_of(n, struct klist_node, n_node);
}

static struct klist_node *klist_step(struct klist_iter *i, bool forward)
{
	void (*put)(struct klist_node *) = i->i_klist->put;
	struct klist_node *last = i->i_cur;
	struct klist_node *next;
	struct list_head *pos;

	spin_lock(&i->i_klist->k_lock);
	if (last) {
		pos = forward ? last->n_node.next : last->n_node.prev;
		if (!klist_dec_and_del(last))
			put = NULL;
	} else {
		pos = forward ? i->i_klist->k_list.next : i->i_klist->k_list.prev;
		put = NULL;
	}
	i->i_cur = NULL;
	while (pos != &i->i_klist->k_list) {
		next = to_klist_node(pos);
		if (!next->n_dead) {
			kref_get(&next->n_ref);
			i->i_cur = next;
			break;
		}
		pos = forward ? pos->next : pos->prev;
	}
	spin_unlock(&i->i_klist->k_lock);
	if (put && last)
		put(last);
	return i->i_cur;
}

struct klist_node *klist_next(struct klist_iter *i)
{
	return klist_step(i, true);
}

struct klist_node *klist_prev(struct klist_iter *i)
{
	return klist_step(i, false);
}

/* Between runs: waiters of a cancelled run lived on stacks now gone. */
void klist_reset(void)
{
	INIT_LIST_HEAD(&klist_remove_waiters);
	spin_lock_init(&klist_remove_lock);
}
