/* walk: history walks over raw objects (see walk.h). */
#include "walk.h"

#include <stdlib.h>
#include <string.h>

struct S_node {
	struct sup_oid id, tree;
	struct sup_oid *parents;
	size_t nparents;
	int64_t time;
	uint64_t seq;		/* push order: ties keep it, as git's walk does */
};

/* The commits already queued, with their trees, so that a child finds its
 * first parent's tree without reading the parent twice. */
struct S_seen {
	struct sup_oid id, tree;
	unsigned char used;
	unsigned char hidden;	/* reachable from a hidden commit */
};

struct sup_walk {
	struct sup_store *store;
	struct S_node *heap;
	size_t n, cap;
	uint64_t seq;
	struct S_seen *seen;
	size_t nseen, seencap;		/* seencap: a power of two */
	size_t nshown;			/* queued commits not hidden */
	struct S_node cur;
	struct sup_oid cur_ptree;
	struct sup_walk_commit out;
};

static int S_hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* 40 lowercase hex digits at p (len bytes left) into out. */
static int S_hex_oid(struct sup_oid *out, const unsigned char *p, size_t len)
{
	size_t i;

	if (len < SUP_OID_HEXSZ)
		return -1;
	for (i = 0; i < 20; i++) {
		int hi = S_hexval(p[2 * i]), lo = S_hexval(p[2 * i + 1]);

		if (hi < 0 || lo < 0)
			return -1;
		out->id[i] = (unsigned char)(hi << 4 | lo);
	}
	return 0;
}

int sup_walk_parse_commit(struct sup_oid *tree, struct sup_oid **parents,
			  size_t *nparents, int64_t *time,
			  const unsigned char *data, size_t len)
{
	const unsigned char *p = data, *end = data + len;
	size_t cap = 0;

	*parents = NULL;
	*nparents = 0;
	*time = 0;
	/* "tree HEX\n" comes first and "parent HEX\n" lines straight after,
	 * as git writes and git fsck demands */
	if (len < 5 + SUP_OID_HEXSZ + 1 || memcmp(p, "tree ", 5) ||
	    S_hex_oid(tree, p + 5, len - 5) < 0 || p[5 + SUP_OID_HEXSZ] != '\n')
		goto bad;
	p += 5 + SUP_OID_HEXSZ + 1;
	while (end - p >= 7 + SUP_OID_HEXSZ + 1 && !memcmp(p, "parent ", 7)) {
		if (*nparents == cap) {
			cap = cap ? cap * 2 : 2;
			*parents = sup_xrealloc(*parents, cap * sizeof(**parents));
		}
		if (S_hex_oid(&(*parents)[*nparents], p + 7, (size_t)(end - p - 7)) < 0 ||
		    p[7 + SUP_OID_HEXSZ] != '\n')
			goto bad;
		(*nparents)++;
		p += 7 + SUP_OID_HEXSZ + 1;
	}
	/* the committer's time: the last number but one on its line; the
	 * headers end at the first blank line */
	while (p < end && *p != '\n') {
		const unsigned char *nl = memchr(p, '\n', (size_t)(end - p));
		const unsigned char *gt;

		if (!nl)
			nl = end;
		if (nl - p > 10 && !memcmp(p, "committer ", 10)) {
			for (gt = nl; gt > p && gt[-1] != '>'; gt--)
				;
			if (gt > p) {
				while (gt < nl && *gt == ' ')
					gt++;
				while (gt < nl && *gt >= '0' && *gt <= '9' &&
				       *time < INT64_MAX / 10 - 10)
					*time = *time * 10 + (*gt++ - '0');
			}
		}
		p = nl + (nl < end);
	}
	return 0;
bad:
	free(*parents);
	*parents = NULL;
	*nparents = 0;
	return sup_error_set(SUP_EINVALID, "a damaged commit object");
}

static size_t S_hash(const struct sup_oid *id, size_t mask)
{
	size_t h;

	memcpy(&h, id->id, sizeof(h));	/* object ids are already uniform */
	return h & mask;
}

static struct S_seen *S_seen_find(struct sup_walk *w, const struct sup_oid *id)
{
	size_t mask = w->seencap - 1, i;

	for (i = S_hash(id, mask); w->seen[i].used; i = (i + 1) & mask)
		if (sup_oid_equal(&w->seen[i].id, id))
			return &w->seen[i];
	return NULL;
}

static void S_seen_add(struct sup_walk *w, const struct sup_oid *id,
		       const struct sup_oid *tree)
{
	size_t mask, i;

	if (2 * (w->nseen + 1) > w->seencap) {
		struct S_seen *old = w->seen;
		size_t oldcap = w->seencap, k;

		w->seencap = oldcap ? oldcap * 2 : 1024;
		w->seen = sup_xcalloc(w->seencap, sizeof(*w->seen));
		w->nseen = 0;
		for (k = 0; k < oldcap; k++)
			if (old[k].used)
				S_seen_add(w, &old[k].id, &old[k].tree);
		free(old);
	}
	mask = w->seencap - 1;
	for (i = S_hash(id, mask); w->seen[i].used; i = (i + 1) & mask)
		;
	w->seen[i].id = *id;
	w->seen[i].tree = *tree;
	w->seen[i].used = 1;
	w->nseen++;
}

/* max-heap on (time, then earliest pushed) */
static int S_before(const struct S_node *a, const struct S_node *b)
{
	return a->time > b->time || (a->time == b->time && a->seq < b->seq);
}

static void S_push(struct sup_walk *w, struct S_node *node)
{
	size_t i;

	if (w->n == w->cap) {
		w->cap = w->cap ? w->cap * 2 : 16;
		w->heap = sup_xrealloc(w->heap, w->cap * sizeof(*w->heap));
	}
	node->seq = w->seq++;
	for (i = w->n++; i > 0 && S_before(node, &w->heap[(i - 1) / 2]); i = (i - 1) / 2)
		w->heap[i] = w->heap[(i - 1) / 2];
	w->heap[i] = *node;
}

static void S_pop(struct S_node *out, struct sup_walk *w)
{
	struct S_node last;
	size_t i = 0;

	*out = w->heap[0];
	last = w->heap[--w->n];
	for (;;) {
		size_t c = 2 * i + 1;

		if (c >= w->n)
			break;
		if (c + 1 < w->n && S_before(&w->heap[c + 1], &w->heap[c]))
			c++;
		if (!S_before(&w->heap[c], &last))
			break;
		w->heap[i] = w->heap[c];
		i = c;
	}
	if (w->n)
		w->heap[i] = last;
}

/* The history is damaged at id: say where, and how to see more. */
static int S_damaged(const struct sup_oid *id, const char *what)
{
	char hex[SUP_OID_HEXSZ + 1];

	sup_oid_fmt(hex, id);
	return sup_error_set(SUP_EINVALID, "object %s: %s ('git fsck' shows what is wrong)",
			     hex, what);
}

/* Read a commit that has not been queued yet, and queue it. */
static int S_queue(struct sup_walk *w, const struct sup_oid *id, int hidden)
{
	struct sup_raw raw;
	struct S_node node;
	int error;

	memset(&node, 0, sizeof(node));
	if ((error = sup_store_raw_read(&raw, w->store, id, SUP_RAW_WALK)) < 0)
		return error;
	if (raw.type != SUP_OBJ_COMMIT) {
		sup_raw_release(&raw);
		return S_damaged(id, "not a commit, where the history names a commit");
	}
	error = sup_walk_parse_commit(&node.tree, &node.parents, &node.nparents,
				      &node.time, raw.data, raw.len);
	sup_raw_release(&raw);
	if (error < 0)
		return S_damaged(id, "a damaged commit");
	node.id = *id;
	S_seen_add(w, id, &node.tree);
	S_seen_find(w, id)->hidden = (unsigned char)hidden;
	if (!hidden)
		w->nshown++;
	S_push(w, &node);
	return 0;
}

int sup_walk_new(struct sup_walk **out, struct sup_store *s,
		 const struct sup_oid *head)
{
	struct sup_walk *w = sup_xcalloc(1, sizeof(*w));
	int error;

	w->store = s;
	if ((error = S_queue(w, head, 0)) < 0) {
		sup_walk_free(w);
		*out = NULL;
		return error;
	}
	*out = w;
	return 0;
}

/* Whether a commit is waiting in the queue: the queue holds only the
 * frontier of the walk (one commit on a linear history), so a scan is
 * cheap. */
static int S_queued(const struct sup_walk *w, const struct sup_oid *id)
{
	size_t i;

	for (i = 0; i < w->n; i++)
		if (sup_oid_equal(&w->heap[i].id, id))
			return 1;
	return 0;
}

int sup_walk_hide(struct sup_walk *w, const struct sup_oid *id)
{
	struct S_seen *seen = S_seen_find(w, id);

	if (!seen)
		return S_queue(w, id, 1);
	if (!seen->hidden) {
		seen->hidden = 1;
		if (S_queued(w, id))
			w->nshown--;
	}
	return 0;
}

int sup_walk_next(const struct sup_walk_commit **out, struct sup_walk *w)
{
	size_t i;
	int error;

	*out = NULL;
	for (;;) {
		struct S_seen *seen;

		free(w->cur.parents);
		memset(&w->cur, 0, sizeof(w->cur));
		/* once only hidden commits are queued, nothing more is shown */
		if (!w->n || !w->nshown)
			return 0;
		S_pop(&w->cur, w);
		seen = S_seen_find(w, &w->cur.id);
		if (!seen->hidden)
			w->nshown--;
		for (i = 0; i < w->cur.nparents; i++) {
			const struct sup_oid *p = &w->cur.parents[i];
			struct S_seen *ps = S_seen_find(w, p);

			if (!ps) {
				if ((error = S_queue(w, p, seen->hidden)) < 0)
					return error;
				seen = S_seen_find(w, &w->cur.id);	/* may have moved */
			} else if (seen->hidden && !ps->hidden) {
				/* reachable from a hidden commit after all: if it
				 * is still queued it will not be shown (a commit
				 * already shown stays shown, as the walk is by
				 * time and cannot take it back) */
				ps->hidden = 1;
				if (S_queued(w, p))
					w->nshown--;
			}
		}
		if (seen->hidden)
			continue;
		memset(&w->out, 0, sizeof(w->out));
		w->out.id = w->cur.id;
		w->out.tree = w->cur.tree;
		w->out.parents = w->cur.parents;
		w->out.nparents = w->cur.nparents;
		w->out.time = w->cur.time;
		if (w->cur.nparents) {
			w->cur_ptree = S_seen_find(w, &w->cur.parents[0])->tree;
			w->out.parent_tree = &w->cur_ptree;
		}
		*out = &w->out;
		return 1;
	}
}

void sup_walk_free(struct sup_walk *w)
{
	size_t i;

	if (!w)
		return;
	for (i = 0; i < w->n; i++)
		free(w->heap[i].parents);
	free(w->cur.parents);
	free(w->heap);
	free(w->seen);
	free(w);
}

int sup_walk_all(struct sup_store *s, const struct sup_oid *head,
		 sup_commit_fn fn, void *payload)
{
	struct sup_walk *w = NULL;
	const struct sup_walk_commit *c;
	int error;

	if ((error = sup_walk_new(&w, s, head)) < 0)
		return error;
	while ((error = sup_walk_next(&c, w)) == 1)
		if ((error = fn(&c->id, payload)) != 0)
			break;
	sup_walk_free(w);
	return error == 1 ? 0 : error;
}

/* The last few trees read: walking newest first, a commit's parent's
 * trees are the next commit's own, so each is read once.  A tree being
 * scanned is pinned (busy) so that reading its subtrees cannot evict it. */
struct S_offs {
	uint32_t *v;		/* where each entry starts, then the end */
	size_t n;		/* entries (v has n + 1) */
	int have, bad;		/* bad: the tree does not parse to its end */
};

struct S_trees {
	struct sup_store *store;
	struct sup_raw raw[16];
	struct sup_oid id[16];
	unsigned busy[16];
	struct S_offs off[16];	/* for sup_added_paths */
	unsigned next;
};

static void S_offs_reset(struct S_offs *o)
{
	free(o->v);
	memset(o, 0, sizeof(*o));
}

static void S_trees_release(struct S_trees *t)
{
	unsigned i;

	for (i = 0; i < SUP_ARRAY_SIZE(t->raw); i++) {
		sup_raw_release(&t->raw[i]);
		S_offs_reset(&t->off[i]);
	}
}

/* Pin the tree id in a slot: *slot, until S_trees_put(). */
static int S_trees_get(unsigned *slot, struct S_trees *t, const struct sup_oid *id)
{
	unsigned i, k;
	int error;

	for (i = 0; i < SUP_ARRAY_SIZE(t->raw); i++)
		if (t->raw[i].obj && sup_oid_equal(&t->id[i], id)) {
			t->busy[i]++;
			*slot = i;
			return 0;
		}
	for (k = 0; k < SUP_ARRAY_SIZE(t->raw); k++) {
		i = t->next++ % SUP_ARRAY_SIZE(t->raw);
		if (!t->busy[i])
			break;
	}
	if (t->busy[i])
		return sup_error_set(SUP_ERROR, "trees nested too deeply");
	sup_raw_release(&t->raw[i]);
	S_offs_reset(&t->off[i]);
	if ((error = sup_store_raw_read(&t->raw[i], t->store, id, SUP_RAW_WALK)) < 0)
		return error;
	if (t->raw[i].type != SUP_OBJ_TREE) {
		sup_raw_release(&t->raw[i]);
		return S_damaged(id, "not a tree, where the history names a tree");
	}
	t->id[i] = *id;
	t->busy[i] = 1;
	*slot = i;
	return 0;
}

static void S_trees_put(struct S_trees *t, unsigned slot)
{
	t->busy[slot]--;
}

static int S_entry(struct sup_oid *out, int *is_tree, struct S_trees *t,
		   const struct sup_oid *tree, const char *name, size_t nlen)
{
	const unsigned char *p, *end;
	struct sup_tree_entry e;
	unsigned slot;
	int error, found = 0;

	if ((error = S_trees_get(&slot, t, tree)) < 0)
		return error;
	p = t->raw[slot].data;
	end = p + t->raw[slot].len;
	while (sup_tree_next(&e, &p, end))
		if (e.nlen == nlen && !memcmp(e.name, name, nlen)) {
			memcpy(out->id, e.id, 20);
			*is_tree = e.is_tree;
			found = 1;
			break;
		}
	S_trees_put(t, slot);
	return found;
}

/*
 * Compare path under two root trees (root_b NULL: no parent), descending
 * only while the subtrees differ.  *changed is set; a/b receive the
 * entries (has_a/has_b).
 */
static int S_path_changed(int *changed, struct sup_oid *a, int *has_a,
			  struct sup_oid *b, int *has_b, struct S_trees *t,
			  const struct sup_oid *root_a, const struct sup_oid *root_b,
			  const char *path)
{
	struct sup_oid ca = *root_a, cb;
	int in_a = 1, in_b = root_b != NULL;
	const char *p = path;

	if (root_b)
		cb = *root_b;
	*has_a = *has_b = 0;
	*changed = 0;
	for (;;) {
		const char *slash = strchr(p, '/');
		size_t len = slash ? (size_t)(slash - p) : strlen(p);
		int ta = 0, tb = 0, fa = 0, fb = 0;

		if (in_a && in_b && sup_oid_equal(&ca, &cb))
			return 0;	/* same subtree: same file beneath */
		if (in_a && (fa = S_entry(&ca, &ta, t, &ca, p, len)) < 0)
			return fa;
		if (in_b && (fb = S_entry(&cb, &tb, t, &cb, p, len)) < 0)
			return fb;
		/* a directory on the way must be a tree; the file must not be */
		in_a = fa > 0 && (slash ? ta : !ta);
		in_b = fb > 0 && (slash ? tb : !tb);
		if (!in_a && !in_b)
			return 0;
		if (!slash) {
			*has_a = in_a;
			*has_b = in_b;
			if (in_a)
				*a = ca;
			if (in_b)
				*b = cb;
			*changed = in_a != in_b || !sup_oid_equal(&ca, &cb);
			return 0;
		}
		p = slash + 1;
	}
}

int sup_path_history(struct sup_store *s, const struct sup_oid *from,
		     const char *path, sup_history_fn fn, void *payload)
{
	struct sup_walk *w = NULL;
	const struct sup_walk_commit *c;
	struct S_trees t;
	int error;

	if ((error = sup_walk_new(&w, s, from)) < 0)
		return error;
	memset(&t, 0, sizeof(t));
	t.store = s;
	while ((error = sup_walk_next(&c, w)) == 1) {
		struct sup_oid a, b, id = c->id;
		int has_a = 0, has_b = 0, changed = 0;

		/* a root commit is compared with nothing: only a file counts */
		error = S_path_changed(&changed, &a, &has_a, &b, &has_b, &t,
				       &c->tree, c->parent_tree, path);
		if (error < 0)
			break;
		if (!changed)
			continue;
		if ((error = fn(&id, has_a ? &a : NULL, has_b ? &b : NULL, payload)) != 0)
			break;
	}
	S_trees_release(&t);
	sup_walk_free(w);
	return error == 1 ? 0 : error;
}

/* git's tree order: names compared bytewise, a directory's as if it
 * ended in '/'. */
static int S_entry_cmp(const struct sup_tree_entry *a, const struct sup_tree_entry *b)
{
	size_t n = a->nlen < b->nlen ? a->nlen : b->nlen;
	int c = memcmp(a->name, b->name, n), ca, cb;

	if (c)
		return c;
	ca = a->nlen > n ? (unsigned char)a->name[n] : a->is_tree ? '/' : 0;
	cb = b->nlen > n ? (unsigned char)b->name[n] : b->is_tree ? '/' : 0;
	return ca - cb;
}

struct S_added {
	struct S_trees trees;
	const struct sup_walk_commit *commit;
	struct sup_buf path;
	sup_added_fn fn;
	void *payload;
};

/* Where each entry of a raw tree starts, from offset from (the first
 * keep entries' offsets are in o->v already): o->bad when it does not
 * parse to its end.  With a sibling (the same bytes from stop on as
 * sib's from sib_at on, which parsed whole), parsing stops there and the
 * rest is sib's, moved. */
static void S_offs_parse(struct S_offs *o, const unsigned char *data, size_t len,
			 size_t from, size_t keep, size_t stop,
			 const struct S_offs *sib, size_t sib_at)
{
	const unsigned char *p = data + from, *end = data + len;
	struct sup_tree_entry e;
	size_t cap = keep + 64, k;

	o->v = sup_xrealloc(o->v, cap * sizeof(*o->v));
	o->n = keep;
	for (;;) {
		if (o->n + 1 >= cap) {
			cap *= 2;
			o->v = sup_xrealloc(o->v, cap * sizeof(*o->v));
		}
		o->v[o->n] = (uint32_t)(p - data);
		if (sib && (size_t)(p - data) == stop) {
			/* sib's entries sib_at.. at the same distances */
			o->v = sup_xrealloc(o->v, (o->n + sib->n - sib_at + 1) * sizeof(*o->v));
			for (k = sib_at; k <= sib->n; k++)
				o->v[o->n + k - sib_at] = (uint32_t)(sib->v[k] - sib->v[sib_at] + stop);
			o->n += sib->n - sib_at;
			o->bad = 0;
			o->have = 1;
			return;
		}
		if (!sup_tree_next(&e, &p, end))
			break;
		o->n++;
	}
	o->bad = p != end || len >= UINT32_MAX;
	o->have = 1;
}

/* The number of bytes at the start of a and b that are the same. */
static size_t S_common_prefix(const unsigned char *a, const unsigned char *b, size_t n)
{
	size_t i = 0;

	while (i + 4096 <= n && !memcmp(a + i, b + i, 4096))
		i += 4096;
	while (i + 64 <= n && !memcmp(a + i, b + i, 64))
		i += 64;
	while (i < n && a[i] == b[i])
		i++;
	return i;
}

/* ... and at the end (a and b of lengths na and nb). */
static size_t S_common_suffix(const unsigned char *a, size_t na,
			      const unsigned char *b, size_t nb)
{
	size_t n = na < nb ? na : nb, i = 0;

	while (i + 4096 <= n && !memcmp(a + na - i - 4096, b + nb - i - 4096, 4096))
		i += 4096;
	while (i + 64 <= n && !memcmp(a + na - i - 64, b + nb - i - 64, 64))
		i += 64;
	while (i < n && a[na - i - 1] == b[nb - i - 1])
		i++;
	return i;
}

/* The last entry of o that starts at or before off. */
static size_t S_offs_at(const struct S_offs *o, size_t off)
{
	size_t lo = 0, hi = o->n + 1;

	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;

		if (o->v[mid] <= off)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

/*
 * The part of now and before that can differ: a commit changes a few
 * entries of a tree of thousands, so the two raw trees are the same
 * bytes up to the first change and from the last one on.  Those spans
 * are found with memcmp, and only the entries between are merged;
 * before's entry offsets are taken from now's where the bytes are the
 * same (walking newest first, before is the next commit's now), so each
 * tree version is not parsed whole once per commit.  On return
 * [*pa, *ea) and [*pb, *eb) hold the entries to merge.
 */
static void S_differing(struct S_trees *t, unsigned sa, unsigned sb,
			const unsigned char **pa, const unsigned char **ea,
			const unsigned char **pb, const unsigned char **eb)
{
	struct S_offs *oa = &t->off[sa], *ob = &t->off[sb];
	const unsigned char *A = t->raw[sa].data, *B = t->raw[sb].data;
	size_t la = t->raw[sa].len, lb = t->raw[sb].len, i, j, start, tail, target, k;

	*pa = A;
	*ea = A + la;
	*pb = B;
	*eb = B + lb;
	if (!oa->have)
		S_offs_parse(oa, A, la, 0, 0, 0, NULL, 0);
	if (oa->bad || lb >= UINT32_MAX)
		return;
	i = S_offs_at(oa, S_common_prefix(A, B, la < lb ? la : lb));
	start = oa->v[i];
	tail = S_common_suffix(A + start, la - start, B + start, lb - start);
	/* the first entry of now wholly in the common tail */
	for (j = S_offs_at(oa, la - tail); j < oa->n && oa->v[j] < la - tail; j++)
		;
	if (j < i)
		j = i;
	target = oa->v[j] - la + lb;	/* where it would be in before */
	if (!ob->have) {
		/* before's entries up to start are now's; parse on from there */
		S_offs_reset(ob);
		ob->v = sup_xcalloc(i + 64, sizeof(*ob->v));
		memcpy(ob->v, oa->v, i * sizeof(*ob->v));
		S_offs_parse(ob, B, lb, start, i, target, oa, j);
	}
	if (ob->bad)
		return;
	*pa = A + start;
	*pb = B + start;
	*ea = A + oa->v[j];
	/* the tail lines up when before has an entry exactly there */
	k = S_offs_at(ob, target);
	*eb = ob->v[k] == target ? B + target : B + lb;
	if (*eb == B + lb)
		*ea = A + la;
}

/* Report the files under tree now (at path) that before (NULL: none)
 * lacks, merging the two sorted entry lists and descending only into
 * subtrees that differ. */
static int S_added_tree(struct S_added *a, const struct sup_oid *now,
			const struct sup_oid *before)
{
	const unsigned char *pa, *ea, *pb = NULL, *eb = NULL;
	struct sup_tree_entry ta, tb;
	unsigned sa, sb = 0;
	size_t keep = a->path.len;
	int error, have_b = 0;

	if (before && sup_oid_equal(now, before))
		return 0;
	if ((error = S_trees_get(&sa, &a->trees, now)) < 0)
		return error;
	if (before && (error = S_trees_get(&sb, &a->trees, before)) < 0) {
		S_trees_put(&a->trees, sa);
		return error;
	}
	pa = a->trees.raw[sa].data;
	ea = pa + a->trees.raw[sa].len;
	if (before) {
		S_differing(&a->trees, sa, sb, &pa, &ea, &pb, &eb);
		have_b = sup_tree_next(&tb, &pb, eb);
	}
	while (!error && sup_tree_next(&ta, &pa, ea)) {
		struct sup_oid id, old;
		int same;

		while (have_b && S_entry_cmp(&tb, &ta) < 0)
			have_b = sup_tree_next(&tb, &pb, eb);
		same = have_b && S_entry_cmp(&tb, &ta) == 0;
		if (same && !memcmp(ta.id, tb.id, 20))
			continue;
		if (!ta.is_tree && same)
			continue;	/* changed, not added */
		sup_buf_truncate(&a->path, keep);
		sup_buf_putc(&a->path, '/');
		sup_buf_put(&a->path, ta.name, ta.nlen);
		memcpy(id.id, ta.id, 20);
		if (ta.is_tree) {
			if (same)
				memcpy(old.id, tb.id, 20);
			error = S_added_tree(a, &id, same ? &old : NULL);
		} else {
			error = a->fn(sup_buf_cstr(&a->path), &a->commit->id,
				      (time_t)a->commit->time, a->payload);
		}
	}
	sup_buf_truncate(&a->path, keep);
	if (before)
		S_trees_put(&a->trees, sb);
	S_trees_put(&a->trees, sa);
	return error;
}

struct S_changes {
	struct sup_store *s;
	struct sup_buf path;
	sup_change_fn fn;
	void *payload;
};

static int S_changes_tree(struct S_changes *c, const struct sup_oid *a,
			  const struct sup_oid *b);

/* An entry of before (x_is_before) or of after, x, against the other
 * side's entry of the same name and kind, y, or NULL: a file is
 * reported, a directory walked. */
static int S_changes_entry(struct S_changes *c, const struct sup_tree_entry *x,
			   const struct sup_tree_entry *y, int x_is_before)
{
	struct sup_oid xid, yid;
	const struct sup_oid *other = NULL;
	size_t keep = c->path.len;
	int error = 0;

	memcpy(xid.id, x->id, 20);
	if (y) {
		memcpy(yid.id, y->id, 20);
		other = &yid;
	}
	sup_buf_putc(&c->path, '/');
	sup_buf_put(&c->path, x->name, x->nlen);
	if (x->is_tree)
		error = x_is_before ? S_changes_tree(c, &xid, other) :
				      S_changes_tree(c, other, &xid);
	else if (!memchr(x->name, '\0', x->nlen))
		error = x_is_before ? c->fn(sup_buf_cstr(&c->path), &xid, other, c->payload) :
				      c->fn(sup_buf_cstr(&c->path), other, &xid, c->payload);
	sup_buf_truncate(&c->path, keep);
	return error;
}

static int S_changes_tree(struct S_changes *c, const struct sup_oid *a,
			  const struct sup_oid *b)
{
	struct sup_raw ra, rb;
	const unsigned char *pa = NULL, *ea = NULL, *pb = NULL, *eb = NULL;
	struct sup_tree_entry ta, tb;
	int error = 0, have_a = 0, have_b = 0;

	if (a && b && sup_oid_equal(a, b))
		return 0;
	memset(&ra, 0, sizeof(ra));
	memset(&rb, 0, sizeof(rb));
	if ((a && (error = sup_store_raw_read(&ra, c->s, a, SUP_RAW_WALK)) < 0) ||
	    (b && (error = sup_store_raw_read(&rb, c->s, b, SUP_RAW_WALK)) < 0))
		goto out;
	if ((a && ra.type != SUP_OBJ_TREE) || (b && rb.type != SUP_OBJ_TREE)) {
		error = sup_error_set(SUP_ERROR, "%s: not a tree (run 'git fsck')",
				      sup_buf_cstr(&c->path));
		goto out;
	}
	if (a) {
		pa = ra.data;
		ea = pa + ra.len;
		have_a = sup_tree_next(&ta, &pa, ea);
	}
	if (b) {
		pb = rb.data;
		eb = pb + rb.len;
		have_b = sup_tree_next(&tb, &pb, eb);
	}
	while (!error && (have_a || have_b)) {
		int d = !have_a ? 1 : !have_b ? -1 : S_entry_cmp(&ta, &tb);

		/* a file and a directory of one name sort apart: each is
		 * then reported against nothing */
		if (d < 0) {
			error = S_changes_entry(c, &ta, NULL, 1);
			have_a = sup_tree_next(&ta, &pa, ea);
		} else if (d > 0) {
			error = S_changes_entry(c, &tb, NULL, 0);
			have_b = sup_tree_next(&tb, &pb, eb);
		} else {
			if (memcmp(ta.id, tb.id, 20))
				error = S_changes_entry(c, &ta, &tb, 1);
			have_a = sup_tree_next(&ta, &pa, ea);
			have_b = sup_tree_next(&tb, &pb, eb);
		}
	}
out:
	sup_raw_release(&ra);
	sup_raw_release(&rb);
	return error;
}

int sup_tree_changes(struct sup_store *s, const struct sup_oid *before,
		     const struct sup_oid *after, const char *prefix,
		     sup_change_fn fn, void *payload)
{
	struct S_changes c;
	int error;

	memset(&c, 0, sizeof(c));
	c.s = s;
	c.fn = fn;
	c.payload = payload;
	sup_buf_puts(&c.path, prefix);
	error = S_changes_tree(&c, before, after);
	sup_buf_release(&c.path);
	return error;
}

/* The tree at dir (a path of directories) under root: 1 and *out, or 0. */
static int S_dir_tree(struct sup_oid *out, struct S_trees *t,
		      const struct sup_oid *root, const char *dir)
{
	const char *p = dir;

	*out = *root;
	while (*p) {
		const char *slash = strchr(p, '/');
		size_t len = slash ? (size_t)(slash - p) : strlen(p);
		int is_tree = 0, found;

		if ((found = S_entry(out, &is_tree, t, out, p, len)) <= 0)
			return found;
		if (!is_tree)
			return 0;
		p += len + (slash != NULL);
	}
	return 1;
}

int sup_added_paths(struct sup_store *s, const struct sup_oid *head,
		    const struct sup_oid *exclude, const char *dir,
		    sup_added_fn fn, void *payload)
{
	struct sup_walk *w = NULL;
	const struct sup_walk_commit *c;
	struct S_added a;
	int error;

	if ((error = sup_walk_new(&w, s, head)) < 0)
		return error;
	if (exclude && (error = sup_walk_hide(w, exclude)) < 0) {
		sup_walk_free(w);
		return error;
	}
	memset(&a, 0, sizeof(a));
	a.trees.store = s;
	a.fn = fn;
	a.payload = payload;
	while ((error = sup_walk_next(&c, w)) == 1) {
		struct sup_oid now, before;
		int has_now, has_before = 0;

		if ((has_now = S_dir_tree(&now, &a.trees, &c->tree, dir)) <= 0) {
			error = has_now;
			if (error < 0)
				break;
			continue;
		}
		if (c->parent_tree &&
		    (has_before = S_dir_tree(&before, &a.trees, c->parent_tree, dir)) < 0) {
			error = has_before;
			break;
		}
		a.commit = c;
		sup_buf_truncate(&a.path, 0);
		sup_buf_puts(&a.path, dir);
		if ((error = S_added_tree(&a, &now, has_before ? &before : NULL)) < 0)
			break;
	}
	S_trees_release(&a.trees);
	sup_buf_release(&a.path);
	sup_walk_free(w);
	return error == 1 ? 0 : error;
}
