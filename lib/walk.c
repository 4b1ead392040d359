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
};

struct sup_walk {
	struct sup_store *store;
	struct S_node *heap;
	size_t n, cap;
	uint64_t seq;
	struct S_seen *seen;
	size_t nseen, seencap;		/* seencap: a power of two */
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

/* Read a commit that has not been queued yet, and queue it. */
static int S_queue(struct sup_walk *w, const struct sup_oid *id)
{
	struct sup_raw raw;
	struct S_node node;
	int error;

	memset(&node, 0, sizeof(node));
	if ((error = sup_store_raw_read(&raw, w->store, id, SUP_RAW_WALK)) < 0)
		return error;
	if (raw.type != SUP_OBJ_COMMIT) {
		sup_raw_release(&raw);
		return sup_error_set(SUP_EINVALID, "an object in the history is not a commit");
	}
	error = sup_walk_parse_commit(&node.tree, &node.parents, &node.nparents,
				      &node.time, raw.data, raw.len);
	sup_raw_release(&raw);
	if (error < 0)
		return error;
	node.id = *id;
	S_seen_add(w, id, &node.tree);
	S_push(w, &node);
	return 0;
}

int sup_walk_new(struct sup_walk **out, struct sup_store *s,
		 const struct sup_oid *head)
{
	struct sup_walk *w = sup_xcalloc(1, sizeof(*w));
	int error;

	w->store = s;
	if ((error = S_queue(w, head)) < 0) {
		sup_walk_free(w);
		*out = NULL;
		return error;
	}
	*out = w;
	return 0;
}

int sup_walk_next(const struct sup_walk_commit **out, struct sup_walk *w)
{
	size_t i;
	int error;

	*out = NULL;
	free(w->cur.parents);
	memset(&w->cur, 0, sizeof(w->cur));
	if (!w->n)
		return 0;
	S_pop(&w->cur, w);
	for (i = 0; i < w->cur.nparents; i++)
		if (!S_seen_find(w, &w->cur.parents[i]) &&
		    (error = S_queue(w, &w->cur.parents[i])) < 0)
			return error;
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
 * trees are the next commit's own, so each is read once. */
struct S_trees {
	struct sup_store *store;
	struct sup_raw raw[8];
	struct sup_oid id[8];
	unsigned next;
};

static void S_trees_release(struct S_trees *t)
{
	unsigned i;

	for (i = 0; i < SUP_ARRAY_SIZE(t->raw); i++)
		sup_raw_release(&t->raw[i]);
}

static int S_trees_get(const struct sup_raw **out, struct S_trees *t,
		       const struct sup_oid *id)
{
	unsigned i;
	int error;

	for (i = 0; i < SUP_ARRAY_SIZE(t->raw); i++)
		if (t->raw[i].obj && sup_oid_equal(&t->id[i], id)) {
			*out = &t->raw[i];
			return 0;
		}
	i = t->next++ % SUP_ARRAY_SIZE(t->raw);
	sup_raw_release(&t->raw[i]);
	if ((error = sup_store_raw_read(&t->raw[i], t->store, id, SUP_RAW_WALK)) < 0)
		return error;
	if (t->raw[i].type != SUP_OBJ_TREE) {
		sup_raw_release(&t->raw[i]);
		return sup_error_set(SUP_EINVALID, "an object in the history is not a tree");
	}
	t->id[i] = *id;
	*out = &t->raw[i];
	return 0;
}

/*
 * Find name in a tree by scanning the raw object ("MODE SP NAME NUL
 * 20-byte-id", sorted by name) in place: a records/<yyyy> directory holds
 * thousands of entries, and parsing it into a tree object for one lookup
 * is most of the cost.  Returns 1 and sets *out (*is_tree) when found, 0
 * when absent.
 */
static int S_entry(struct sup_oid *out, int *is_tree, struct S_trees *t,
		   const struct sup_oid *tree, const char *name, size_t nlen)
{
	const struct sup_raw *raw = NULL;
	const unsigned char *p, *end;
	int error;

	if ((error = S_trees_get(&raw, t, tree)) < 0)
		return error;
	p = raw->data;
	end = p + raw->len;
	while (p < end) {
		const unsigned char *sp = memchr(p, ' ', (size_t)(end - p));
		const unsigned char *nul = sp ? memchr(sp, '\0', (size_t)(end - sp)) : NULL;

		if (!sp || !nul || end - nul < 21)
			break;		/* a damaged tree: the entry is absent */
		if ((size_t)(nul - sp - 1) == nlen && !memcmp(sp + 1, name, nlen)) {
			memcpy(out->id, nul + 1, 20);
			*is_tree = *p == '4';	/* "40000": a directory */
			return 1;
		}
		p = nul + 21;
	}
	return 0;
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
