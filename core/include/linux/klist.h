/* SPDX-License-Identifier: MIT */
#ifndef _BINDRACE_LINUX_KLIST_H
#define _BINDRACE_LINUX_KLIST_H

#include <linux/kref.h>
#include <linux/list.h>
#include <linux/spinlock.h>

/*
 * Lists whose iteration pins the current node (lib/klist.c semantics):
 * klist_del() marks a node dead and drops the list's reference, so an
 * iterator that holds it carries on; klist_remove() also waits until the
 * last iterator has let go.  get/put run when a node joins and finally
 * leaves the list (the bus device list pins its devices that way).
 */
struct klist_node;

struct klist {
	spinlock_t k_lock;
	struct list_head k_list;
	void (*get)(struct klist_node *);
	void (*put)(struct klist_node *);
};

struct klist_node {
	struct klist *n_klist;
	struct list_head n_node;
	struct kref n_ref;
	bool n_dead;
};

struct klist_iter {
	struct klist *i_klist;
	struct klist_node *i_cur;
};

void klist_init(struct klist *k, void (*get)(struct klist_node *),
		void (*put)(struct klist_node *));
void klist_add_tail(struct klist_node *n, struct klist *k);
void klist_add_head(struct klist_node *n, struct klist *k);
void klist_del(struct klist_node *n);
void klist_remove(struct klist_node *n);
int klist_node_attached(struct klist_node *n);
void klist_iter_init(struct klist *k, struct klist_iter *i);
void klist_iter_init_node(struct klist *k, struct klist_iter *i, struct klist_node *n);
void klist_iter_exit(struct klist_iter *i);
struct klist_node *klist_next(struct klist_iter *i);
struct klist_node *klist_prev(struct klist_iter *i);
/* bindrace: forget remove waiters (between runs). */
void klist_reset(void);

#endif
