// SPDX-License-Identifier: MIT
/*
 * Lock-order checker.  Classes live in a table indexed by a small integer;
 * a map caches its class index together with the table generation so that
 * lockdep_reset() invalidates every cache at once.  Edges remember who
 * first took them (task, held chain) so a report can name both chains.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bindrace/report.h>
#include <linux/bug.h>
#include <linux/compiler.h>
#include <linux/lockdep.h>
#include "../sched/rawlock.h"
#include "../sched/task.h"

#define CLASS_NAME_LEN	64
#define CHAIN_LEN	192
#define HASH_SIZE	4096	/* power of two, > max live classes */

#define EDGE_CHAIN	8
#define EDGE_FRAMES	8

struct lock_edge {
	int to;
	/* Where the edge was taken, named only if it ends up in a report. */
	void *pcs[EDGE_FRAMES];
	int nr_pcs;
	char task[TASK_NAME_LEN];
	/* Classes held when the edge was taken, formatted only for reports. */
	int chain[EDGE_CHAIN];
	int chain_len;
};

struct lock_class {
	struct lock_class_key *key;
	char name[CLASS_NAME_LEN];
	int parent;		/* device hierarchy, -1 if none */
	bool live;
	bool reported;		/* one report per class pair is enough */
	struct lock_edge *edges;
	int nr_edges, max_edges;
};

static struct lock_class *classes;
static int nr_classes, max_classes;
/*
 * Slots whose edge buffer is set up.  lockdep_reset() keeps the table and
 * the buffers for the next run: a run learns the same classes and edges
 * again, and freeing them made lockdep most of a fuzz run's mallocs.
 */
static int nr_inited;
static int free_hint;
/* find_path()'s visited set, as large as the table (graph_lock held). */
static unsigned char *seen_buf;
static int seen_cap;
/* Open addressing; a slot from an older generation counts as empty. */
struct hash_slot {
	unsigned int gen;
	int idx;		/* class index, -1 = tombstone */
};
static struct hash_slot key_hash[HASH_SIZE];
static unsigned int generation = 1;
static unsigned int nr_edges_total;
static uint32_t graph_lock_word;
static bool graph_hidden;

/*
 * The lock graph is the runtime's, invisible to TSan.  Its own accesses
 * are uninstrumented; only libc calls (realloc, memcpy, snprintf), which
 * TSan intercepts from any caller, must be hidden, and only slow paths
 * make them.  So the hiding starts on demand: under TSan each ignore
 * region costs a stack-depot insertion, and lock_acquire() runs at
 * every lock operation.
 */
static void graph_lock(void)
{
	/*
	 * Fibers run one task at a time: no one to exclude, and the lock's
	 * two atomic operations were most of lock_acquire()'s own time.
	 */
	if (sched_backend() == SCHED_THREADS)
		raw_mutex_lock(&graph_lock_word);
}

/* Before any libc call under graph_lock. */
static void graph_hide(void)
{
	if (!graph_hidden) {
		graph_hidden = true;
		tsan_ignore_begin();
	}
}

static void graph_unlock(void)
{
	if (graph_hidden) {
		graph_hidden = false;
		tsan_ignore_end();
	}
	if (sched_backend() == SCHED_THREADS)
		raw_mutex_unlock(&graph_lock_word);
}

static void copy_name(char *dst, size_t len, const char *src)
{
	size_t n;

	graph_hide();
	n = strnlen(src, len - 1);

	memcpy(dst, src, n);
	dst[n] = 0;
}

static unsigned int hash_key(const void *key)
{
	uintptr_t k = (uintptr_t)key;

	return (unsigned int)((k >> 3) ^ (k >> 15)) & (HASH_SIZE - 1);
}

static struct hash_slot *hash_lookup(const struct lock_class_key *key)
{
	unsigned int h = hash_key(key);

	for (unsigned int i = 0; i < HASH_SIZE; i++, h = (h + 1) & (HASH_SIZE - 1)) {
		struct hash_slot *slot = &key_hash[h];

		if (slot->gen != generation)
			return NULL;
		if (slot->idx >= 0 && classes[slot->idx].key == key)
			return slot;
	}
	return NULL;
}

static int hash_find(const struct lock_class_key *key)
{
	struct hash_slot *slot = hash_lookup(key);

	return slot ? slot->idx : -1;
}

static void hash_insert(const struct lock_class_key *key, int idx)
{
	unsigned int h = hash_key(key);

	while (key_hash[h].gen == generation && key_hash[h].idx >= 0)
		h = (h + 1) & (HASH_SIZE - 1);
	key_hash[h].gen = generation;
	key_hash[h].idx = idx;
}

static void hash_remove(const struct lock_class_key *key)
{
	struct hash_slot *slot = hash_lookup(key);

	if (slot)
		slot->idx = -1;		/* tombstone */
}

/* graph_lock held. */
static int class_get(struct lock_class_key *key, const char *name)
{
	int idx = hash_find(key);
	struct lock_class *c;

	if (idx >= 0)
		return idx;
	graph_hide();
	for (idx = free_hint; idx < nr_classes; idx++)
		if (!classes[idx].live)
			break;
	if (idx == nr_classes) {
		if (nr_classes == max_classes) {
			int nmax = max_classes ? max_classes * 2 : 256;
			struct lock_class *n = realloc(classes, nmax * sizeof(*n));

			if (!n || nmax >= HASH_SIZE)
				bindrace_fatal("lockdep: too many lock classes (%d)", nmax);
			classes = n;
			max_classes = nmax;
		}
		nr_classes++;
		if (idx == nr_inited) {
			classes[idx].edges = NULL;
			classes[idx].max_edges = 0;
			nr_inited++;
		}
	}
	free_hint = idx + 1;
	c = &classes[idx];
	c->key = key;
	copy_name(c->name, sizeof(c->name), name ? name : "(unnamed)");
	c->parent = -1;
	c->live = true;
	c->reported = false;
	c->nr_edges = 0;
	hash_insert(key, idx);
	return idx;
}

static int map_class(struct lockdep_map *map)
{
	/* A map without a key is its own class (async domains, DECLARE_WORK). */
	if (!map->key)
		map->key = (struct lock_class_key *)map;
	if (map->gen != generation || map->class_idx < 0 ||
	    map->class_idx >= nr_classes || classes[map->class_idx].key != map->key) {
		map->class_idx = class_get(map->key, map->name);
		map->gen = generation;
	}
	return map->class_idx;
}

void lockdep_init_map(struct lockdep_map *map, const char *name,
		      struct lock_class_key *key)
{
	map->key = key;
	map->name = name;
	map->class_idx = -1;
	map->gen = 0;
}

void lockdep_register_key(struct lock_class_key *key, const char *name)
{
	graph_lock();
	class_get(key, name);
	graph_unlock();
}

void lockdep_set_key_name(struct lock_class_key *key, const char *name)
{
	int idx;

	graph_lock();
	idx = class_get(key, name);
	copy_name(classes[idx].name, CLASS_NAME_LEN, name);
	graph_unlock();
}

void lockdep_set_parent_key(struct lock_class_key *key, struct lock_class_key *parent)
{
	int idx, pidx;

	graph_lock();
	idx = class_get(key, NULL);
	pidx = class_get(parent, NULL);
	classes[idx].parent = pidx;
	graph_unlock();
}

void lockdep_unregister_key(struct lock_class_key *key)
{
	int idx;

	graph_lock();
	idx = hash_find(key);
	if (idx < 0) {
		graph_unlock();
		return;
	}
	graph_hide();	/* the edge copies below are memcpy() calls */
	hash_remove(key);
	classes[idx].live = false;
	nr_edges_total -= classes[idx].nr_edges;
	classes[idx].nr_edges = 0;
	for (int i = 0; i < nr_classes; i++) {
		struct lock_class *c = &classes[i];

		if (c->parent == idx)
			c->parent = -1;
		for (int e = 0; e < c->nr_edges; e++) {
			if (c->edges[e].to == idx) {
				c->edges[e] = c->edges[--c->nr_edges];
				nr_edges_total--;
				e--;
			}
		}
	}
	if (idx < free_hint)
		free_hint = idx;
	graph_unlock();
}

void lockdep_reset(void)
{
	graph_lock();
	/* The table and edge buffers stay (nr_inited); their contents go. */
	nr_classes = free_hint = 0;
	nr_edges_total = 0;
	/* Every hash slot and cached map index is stale from now on. */
	generation++;
	graph_unlock();
}

unsigned int lockdep_nr_classes(void)
{
	unsigned int n = 0;

	graph_lock();
	for (int i = 0; i < nr_classes; i++)
		n += classes[i].live;
	graph_unlock();
	return n;
}

unsigned int lockdep_nr_edges(void)
{
	return nr_edges_total;
}

static const char *class_name(int idx)
{
	return idx >= 0 ? classes[idx].name : "?";
}

static void held_chain(struct task *t, char *buf, size_t len)
{
	size_t off = 0;

	graph_hide();
	buf[0] = 0;
	for (int i = 0; i < t->lockdep_depth && off < len; i++) {
		struct lockdep_map *m = t->held_locks[i].map;

		off += snprintf(buf + off, len - off, "%s%s", i ? " -> " : "",
				m->class_idx >= 0 && m->gen == generation ?
				class_name(m->class_idx) : m->name);
	}
	if (!t->lockdep_depth)
		snprintf(buf, len, "(none)");
}

void lockdep_print_held_locks(struct task *t, char *buf, size_t len)
{
	graph_lock();
	held_chain(t, buf, len);
	graph_unlock();
}

static struct lock_edge *find_edge(int from, int to)
{
	struct lock_class *c = &classes[from];

	for (int e = 0; e < c->nr_edges; e++)
		if (c->edges[e].to == to)
			return &c->edges[e];
	return NULL;
}

/* DFS from @from looking for @target; fills @path with class indices. */
static bool find_path(int from, int target, int *path, int *len, int depth,
		      unsigned char *seen)
{
	path[depth] = from;
	if (from == target) {
		*len = depth + 1;
		return true;
	}
	if (seen[from] || depth >= 63)
		return false;
	seen[from] = 1;
	for (int e = 0; e < classes[from].nr_edges; e++)
		if (find_path(classes[from].edges[e].to, target, path, len,
			      depth + 1, seen))
			return true;
	return false;
}

static void add_edge(int from, int to, struct task *t)
{
	struct lock_class *c = &classes[from];
	struct lock_edge *e;

	graph_hide();
	if (c->nr_edges == c->max_edges) {
		int nmax = c->max_edges ? c->max_edges * 2 : 4;
		struct lock_edge *n = realloc(c->edges, nmax * sizeof(*n));

		if (!n)
			bindrace_fatal("lockdep: out of memory");
		c->edges = n;
		c->max_edges = nmax;
	}
	e = &c->edges[c->nr_edges++];
	nr_edges_total++;
	e->to = to;
	copy_name(e->task, sizeof(e->task), t->name);
	e->chain_len = 0;
	for (int i = 0; i < t->lockdep_depth && i < EDGE_CHAIN; i++)
		e->chain[e->chain_len++] = map_class(t->held_locks[i].map);
	e->nr_pcs = bindrace_capture_frames(e->pcs, EDGE_FRAMES);
}

static void edge_chain(const struct lock_edge *e, char *buf, size_t len)
{
	size_t off = 0;

	graph_hide();
	buf[0] = 0;
	for (int i = 0; i < e->chain_len && off < len; i++)
		off += snprintf(buf + off, len - off, "%s%s", i ? " -> " : "",
				class_name(e->chain[i]));
}

/* Reports are emitted after graph_lock is dropped. */
struct pending_report {
	char title[512];
	char details[2048];
};

/*
 * Reports are rare: their buffers come from the heap when one is due, so
 * that every lock_acquire() does not carry (and ASan poison) 2.5 KB of
 * stack.
 */
static struct pending_report *pending_alloc(void)
{
	struct pending_report *r;

	graph_hide();
	r = calloc(1, sizeof(*r));
	if (!r)
		bindrace_fatal("lockdep: out of memory");
	return r;
}

/* check_cycle()'s answer for a cycle already reported once. */
static struct pending_report cycle_reported;

/*
 * Only when an edge is new: out of line, and answering by its return
 * value, so that lock_acquire() keeps no stack that ASan must poison.
 * NULL: no cycle; &cycle_reported; or a report to emit.
 */
static noinline struct pending_report *
check_cycle(int prev, int next, struct task *t, const char *site)
{
	struct pending_report *r;
	int path[64], len = 0;
	unsigned char *seen;
	size_t off;
	char chain[CHAIN_LEN];

	graph_hide();
	if (seen_cap < nr_classes) {
		seen = realloc(seen_buf, max_classes);
		if (!seen)
			bindrace_fatal("lockdep: out of memory");
		seen_buf = seen;
		seen_cap = max_classes;
	}
	seen = seen_buf;
	memset(seen, 0, nr_classes);
	if (!find_path(next, prev, path, &len, 0, seen))
		return NULL;
	if (classes[prev].reported && classes[next].reported)
		return &cycle_reported;
	classes[prev].reported = classes[next].reported = true;
	r = pending_alloc();
	held_chain(t, chain, sizeof(chain));
	/* The signature names where the reverse order was first taken too. */
	struct lock_edge *first = len > 1 ? find_edge(path[0], path[1]) : NULL;
	char reverse[192] = "";

	if (first)
		bindrace_format_frames(first->pcs, first->nr_pcs, reverse, sizeof(reverse));
	snprintf(r->title, sizeof(r->title), "possible circular locking: %s -> %s%s%s%s",
		 class_name(prev), class_name(next), reverse[0] ? " (reverse" : "",
		 reverse, reverse[0] ? ")" : "");
	off = snprintf(r->details, sizeof(r->details),
		       "task %s is trying to acquire %s at %s\n"
		       "  while holding: %s\n"
		       "but the reverse order was seen before:\n",
		       t->name, class_name(next), site, chain);
	for (int i = 0; i + 1 < len && off < sizeof(r->details); i++) {
		struct lock_edge *e = find_edge(path[i], path[i + 1]);
		char echain[CHAIN_LEN] = "?", where[192] = "";

		if (e) {
			edge_chain(e, echain, sizeof(echain));
			bindrace_format_frames(e->pcs, e->nr_pcs, where, sizeof(where));
		}
		off += snprintf(r->details + off, sizeof(r->details) - off,
				"  %s -> %s  by task %s%s holding: %s\n",
				class_name(path[i]), class_name(path[i + 1]),
				e ? e->task : "?", where, echain);
	}
	return r;
}

/*
 * The report builders keep their buffers out of lock_acquire()'s frame:
 * inlined, they made every acquire set up and ASan-poison them.
 */
static noinline struct pending_report *
report_recursive(struct task *t, int next, const char *site, int i)
{
	struct pending_report *r = pending_alloc();
	char chain[CHAIN_LEN];

	held_chain(t, chain, sizeof(chain));
	snprintf(r->title, sizeof(r->title),
		 "possible recursive locking: %s", class_name(next));
	snprintf(r->details, sizeof(r->details),
		 "task %s is trying to acquire %s at %s\n"
		 "  but already holds it (taken at %s)\n"
		 "  held: %s\n",
		 t->name, class_name(next), site, t->held_locks[i].site, chain);
	return r;
}

static noinline struct pending_report *
report_parent_order(struct task *t, int next, int held, const char *site, int i)
{
	struct pending_report *r = pending_alloc();
	char chain[CHAIN_LEN];

	held_chain(t, chain, sizeof(chain));
	snprintf(r->title, sizeof(r->title),
		 "device lock order: parent %s after child %s",
		 class_name(next), class_name(held));
	snprintf(r->details, sizeof(r->details),
		 "task %s is trying to acquire %s at %s\n"
		 "  while holding its descendant %s (taken at %s)\n"
		 "  held: %s\n"
		 "parent device locks must be taken before child ones\n",
		 t->name, class_name(next), site,
		 class_name(held), t->held_locks[i].site, chain);
	return r;
}

void lock_acquire(struct lockdep_map *map, const char *site)
{
	struct task *t = current;
	struct pending_report *r = NULL;
	int next, prev;

	if (!t)
		return;
	if (t->lockdep_depth >= MAX_LOCK_DEPTH)
		bindrace_fatal("lockdep: task %s holds more than %d locks",
			       t->name, MAX_LOCK_DEPTH);
	graph_lock();
	next = map_class(map);
	for (int i = 0; i < t->lockdep_depth && !r; i++) {
		int held = map_class(t->held_locks[i].map);

		if (held == next) {
			r = report_recursive(t, next, site, i);
			break;
		}
		for (int a = classes[held].parent; a >= 0; a = classes[a].parent) {
			if (a == next) {
				r = report_parent_order(t, next, held, site, i);
				break;
			}
		}
	}
	if (!r && t->lockdep_depth) {
		prev = map_class(t->held_locks[t->lockdep_depth - 1].map);
		if (!find_edge(prev, next)) {
			r = check_cycle(prev, next, t, site);
			if (!r)
				add_edge(prev, next, t);
			else if (r == &cycle_reported)
				r = NULL;
		}
	}
	t->held_locks[t->lockdep_depth].map = map;
	t->held_locks[t->lockdep_depth].site = site;
	t->lockdep_depth++;
	graph_unlock();
	if (r) {
		bindrace_report(REPORT_LOCKDEP, r->title, "%s", r->details);
		free(r);
	}
}

void lock_release(struct lockdep_map *map)
{
	struct task *t = current;
	int i;

	if (!t)
		return;
	for (i = t->lockdep_depth - 1; i >= 0; i--)
		if (t->held_locks[i].map == map)
			break;
	if (i < 0) {
		bindrace_report(REPORT_LOCKDEP, "bad unlock balance",
				"task %s releases %s which it does not hold\n",
				t->name, map->name);
		return;
	}
	for (; i < t->lockdep_depth - 1; i++)
		t->held_locks[i] = t->held_locks[i + 1];
	t->lockdep_depth--;
}

bool lock_is_held(const struct lockdep_map *map)
{
	struct task *t = current;

	if (!t)
		return false;
	for (int i = 0; i < t->lockdep_depth; i++)
		if (t->held_locks[i].map == map)
			return true;
	return false;
}

void lock_map_wait(struct lockdep_map *map, const char *site)
{
	lock_acquire(map, site);
	lock_release(map);
}

void lockdep_task_exit_check(struct task *t)
{
	char chain[CHAIN_LEN];

	lockdep_print_held_locks(t, chain, sizeof(chain));
	bindrace_report(REPORT_LOCKDEP, "lock held when returning from task",
			"task %s exits holding: %s\n", t->name, chain);
}

/* The class name if the map has one by now, else the map's own name. */
const char *lockdep_map_name(struct lockdep_map *map)
{
	const char *name = map->name;

	graph_lock();
	if (map->gen == generation && map->class_idx >= 0 &&
	    map->class_idx < nr_classes && classes[map->class_idx].key == map->key)
		name = classes[map->class_idx].name;
	graph_unlock();
	return name ? name : "?";
}
