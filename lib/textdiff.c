/* textdiff: line and field differences (see textdiff.h). */
#include "textdiff.h"

#include <stdlib.h>
#include <string.h>

struct S_lines {
	const char **s;
	size_t *len;
	size_t n;
};

static void S_split(struct S_lines *l, const char *t, size_t len)
{
	const char *p = t, *end = t + len;
	size_t cap = 0;

	memset(l, 0, sizeof(*l));
	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		size_t n = eol ? (size_t)(eol - p) + 1 : (size_t)(end - p);

		if (l->n == cap) {
			cap = cap ? cap * 2 : 64;
			l->s = sup_xrealloc(l->s, cap * sizeof(*l->s));
			l->len = sup_xrealloc(l->len, cap * sizeof(*l->len));
		}
		l->s[l->n] = p;
		l->len[l->n++] = n;
		p += n;
	}
}

static int S_eq(const struct S_lines *a, size_t i, const struct S_lines *b, size_t j)
{
	return a->len[i] == b->len[j] && !memcmp(a->s[i], b->s[j], a->len[i]);
}

/* An edit script: for each line of a, whether kept; same for b. */
static void S_myers(const struct S_lines *a, const struct S_lines *b,
		    unsigned char *keep_a, unsigned char *keep_b)
{
	size_t n = a->n, m = b->n, max = n + m, d;
	long *v, **trace;
	long k;

	v = sup_xcalloc(2 * max + 3, sizeof(*v));
	trace = sup_xcalloc(max + 2, sizeof(*trace));
	for (d = 0; d <= max; d++) {
		for (k = -(long)d; k <= (long)d; k += 2) {
			long x, y;

			if (k == -(long)d || (k != (long)d && v[max + k - 1] < v[max + k + 1]))
				x = v[max + k + 1];
			else
				x = v[max + k - 1] + 1;
			y = x - k;
			while ((size_t)x < n && (size_t)y < m && S_eq(a, (size_t)x, b, (size_t)y)) {
				x++;
				y++;
			}
			v[max + k] = x;
			if ((size_t)x >= n && (size_t)y >= m)
				goto found;
		}
		trace[d] = sup_xmalloc((2 * max + 3) * sizeof(**trace));
		memcpy(trace[d], v, (2 * max + 3) * sizeof(*v));
	}
found:
	{
		long x = (long)n, y = (long)m;
		long dd = (long)d;

		/* walk back through the saved frontiers */
		while (dd > 0) {
			long *pv = trace[dd - 1];
			long kk = x - y, pk, px, py;

			if (kk == -dd || (kk != dd && pv[max + kk - 1] < pv[max + kk + 1]))
				pk = kk + 1;
			else
				pk = kk - 1;
			px = pv[max + pk];
			py = px - pk;
			while (x > px && y > py) {
				keep_a[--x] = 1;
				keep_b[--y] = 1;
			}
			if (x > px)
				x--;	/* a deletion: keep_a stays 0 */
			else
				y--;	/* an insertion */
			dd--;
		}
		while (x > 0 && y > 0) {
			keep_a[--x] = 1;
			keep_b[--y] = 1;
		}
	}
	for (d = 0; d <= max + 1; d++)
		free(trace[d]);
	free(trace);
	free(v);
}

size_t sup_unified_diff(struct sup_buf *out, const char *a, size_t alen,
			const char *b, size_t blen, const char *label_a,
			const char *label_b)
{
	struct S_lines la, lb;
	unsigned char *ka, *kb;
	size_t i = 0, j = 0, changed = 0;
	const size_t ctx = 3;

	S_split(&la, a, alen);
	S_split(&lb, b, blen);
	ka = sup_xcalloc(la.n + 1, 1);
	kb = sup_xcalloc(lb.n + 1, 1);
	S_myers(&la, &lb, ka, kb);
	for (i = 0; i < la.n; i++)
		changed += !ka[i];
	for (j = 0; j < lb.n; j++)
		changed += !kb[j];
	if (changed)
		sup_buf_printf(out, "--- %s\n+++ %s\n", label_a, label_b);
	i = j = 0;
	while (changed && (i < la.n || j < lb.n)) {
		size_t si, sj, ei, ej, ti, tj, quiet;

		/* find the next change */
		while (i < la.n && j < lb.n && ka[i] && kb[j]) {
			i++;
			j++;
		}
		if (i >= la.n && j >= lb.n)
			break;
		si = i > ctx ? i - ctx : 0;
		sj = j - (i - si);
		/* extend the hunk while changes are within 2*ctx lines */
		ei = i;
		ej = j;
		for (;;) {
			while ((ei < la.n && !ka[ei]) || (ej < lb.n && !kb[ej])) {
				if (ei < la.n && !ka[ei])
					ei++;
				else
					ej++;
			}
			quiet = 0;
			ti = ei;
			tj = ej;
			while (ti < la.n && tj < lb.n && ka[ti] && kb[tj] && quiet < 2 * ctx + 1) {
				ti++;
				tj++;
				quiet++;
			}
			if ((ti < la.n || tj < lb.n) && quiet <= 2 * ctx &&
			    ((ti < la.n && !ka[ti]) || (tj < lb.n && !kb[tj]))) {
				ei = ti;
				ej = tj;
				continue;
			}
			break;
		}
		/* trailing context */
		for (quiet = 0; quiet < ctx && ei < la.n && ej < lb.n && ka[ei] && kb[ej]; quiet++) {
			ei++;
			ej++;
		}
		sup_buf_printf(out, "@@ -%zu,%zu +%zu,%zu @@\n", ei > si ? si + 1 : si,
			       ei - si, ej > sj ? sj + 1 : sj, ej - sj);
		i = si;
		j = sj;
		while (i < ei || j < ej) {
			if (i < ei && !ka[i]) {
				sup_buf_putc(out, '-');
				sup_buf_put(out, la.s[i], la.len[i]);
				if (la.s[i][la.len[i] - 1] != '\n')
					sup_buf_puts(out, "\n\\ No newline at end of file\n");
				i++;
			} else if (j < ej && !kb[j]) {
				sup_buf_putc(out, '+');
				sup_buf_put(out, lb.s[j], lb.len[j]);
				if (lb.s[j][lb.len[j] - 1] != '\n')
					sup_buf_puts(out, "\n\\ No newline at end of file\n");
				j++;
			} else {
				sup_buf_putc(out, ' ');
				sup_buf_put(out, la.s[i], la.len[i]);
				if (la.s[i][la.len[i] - 1] != '\n')
					sup_buf_puts(out, "\n\\ No newline at end of file\n");
				i++;
				j++;
			}
		}
	}
	free(ka);
	free(kb);
	free(la.s);
	free(la.len);
	free(lb.s);
	free(lb.len);
	return changed;
}

/* ---- fields ---- */

static void S_flow(struct sup_buf *out, const struct sup_node *n)
{
	size_t i;

	if (!n) {
		return;
	}
	if (n->type == SUP_NODE_SCALAR) {
		sup_buf_puts(out, n->value);
		return;
	}
	sup_buf_putc(out, n->type == SUP_NODE_MAP ? '{' : '[');
	for (i = 0; i < n->n; i++) {
		if (i)
			sup_buf_puts(out, ", ");
		if (n->type == SUP_NODE_MAP)
			sup_buf_printf(out, "%s: ", n->keys[i]->value);
		S_flow(out, n->items[i]);
	}
	sup_buf_putc(out, n->type == SUP_NODE_MAP ? '}' : ']');
}

static char *S_text(const struct sup_node *n)
{
	struct sup_buf b = SUP_BUF_INIT;

	S_flow(&b, n);
	return sup_buf_detach(&b);
}

struct S_acc {
	struct sup_field_diff *v;
	size_t n;
};

static void S_push(struct S_acc *acc, enum sup_field_change c, const char *path,
		   const struct sup_node *a, const struct sup_node *b)
{
	acc->v = sup_xrealloc(acc->v, (acc->n + 1) * sizeof(*acc->v));
	acc->v[acc->n].change = c;
	acc->v[acc->n].path = sup_xstrdup(path);
	acc->v[acc->n].old_value = a ? S_text(a) : NULL;
	acc->v[acc->n].new_value = b ? S_text(b) : NULL;
	acc->v[acc->n].summary = NULL;
	/* a sign-off coming or going reads "jsmith (supervisee)" */
	if (sup_starts_with(path, "signoffs[") && c != SUP_FIELD_CHANGED) {
		const struct sup_node *n = a ? a : b;
		const struct sup_node *by = sup_node_get(n, "by"), *role = sup_node_get(n, "role");
		const struct sup_node *dispute = sup_node_get(n, "dispute");

		if (by && role && by->type == SUP_NODE_SCALAR && role->type == SUP_NODE_SCALAR)
			acc->v[acc->n].summary = sup_xasprintf("%s (%s)%s%s", by->value,
				role->value, dispute ? ", disputed: " : "",
				dispute && dispute->type == SUP_NODE_SCALAR ? dispute->value : "");
	}
	acc->n++;
}

static const char *S_ident_key(const char *path)
{
	const char *last = strrchr(path, '.');

	last = last ? last + 1 : path;
	if (!strcmp(last, "signoffs") || !strcmp(last, "amendments"))
		return "by";
	if (!strcmp(last, "cases"))
		return "ref";
	if (!strcmp(last, "actions"))
		return "n";
	if (!strcmp(last, "reviewed_actions"))
		return "action";
	return NULL;
}

static const char *S_ident(const struct sup_node *item, const char *key)
{
	const struct sup_node *v;

	if (!key || !item || item->type != SUP_NODE_MAP)
		return NULL;
	v = sup_node_get(item, key);
	return v && v->type == SUP_NODE_SCALAR ? v->value : NULL;
}

static void S_diff(struct S_acc *acc, const char *path, const struct sup_node *a,
		   const struct sup_node *b);

static void S_diff_seq(struct S_acc *acc, const char *path, const struct sup_node *a,
		       const struct sup_node *b)
{
	const char *key = S_ident_key(path);
	size_t i, k;
	int keyed = key != NULL;

	/* keyed matching only when every item has a distinct key */
	for (i = 0; keyed && i < a->n; i++)
		if (!S_ident(a->items[i], key))
			keyed = 0;
	for (i = 0; keyed && i < b->n; i++)
		if (!S_ident(b->items[i], key))
			keyed = 0;
	/* ... and only when the keys are distinct on each side */
	for (i = 0; keyed && i < a->n; i++)
		for (k = i + 1; keyed && k < a->n; k++)
			if (!strcmp(S_ident(a->items[i], key), S_ident(a->items[k], key)))
				keyed = 0;
	for (i = 0; keyed && i < b->n; i++)
		for (k = i + 1; keyed && k < b->n; k++)
			if (!strcmp(S_ident(b->items[i], key), S_ident(b->items[k], key)))
				keyed = 0;
	if (!keyed) {
		for (i = 0; i < a->n || i < b->n; i++) {
			char *p = sup_xasprintf("%s[%zu]", path, i + 1);

			S_diff(acc, p, i < a->n ? a->items[i] : NULL,
			       i < b->n ? b->items[i] : NULL);
			free(p);
		}
		return;
	}
	for (i = 0; i < a->n; i++) {
		const char *id = S_ident(a->items[i], key);
		char *p = sup_xasprintf("%s[%s]", path, id);

		for (k = 0; k < b->n; k++)
			if (!strcmp(S_ident(b->items[k], key), id))
				break;
		S_diff(acc, p, a->items[i], k < b->n ? b->items[k] : NULL);
		free(p);
	}
	for (k = 0; k < b->n; k++) {
		const char *id = S_ident(b->items[k], key);

		for (i = 0; i < a->n; i++)
			if (!strcmp(S_ident(a->items[i], key), id))
				break;
		if (i == a->n) {
			char *p = sup_xasprintf("%s[%s]", path, id);

			S_diff(acc, p, NULL, b->items[k]);
			free(p);
		}
	}
}

static void S_diff(struct S_acc *acc, const char *path, const struct sup_node *a,
		   const struct sup_node *b)
{
	size_t i;

	if (!a && !b)
		return;
	if ((!a || !b) && S_ident_key(path) && (a ? a : b)->type == SUP_NODE_SEQ) {
		/* a keyed list appearing or going: item by item, so that a
		 * first sign-off reads "signoffs: + akhan (supervisor)" */
		struct sup_node empty;

		memset(&empty, 0, sizeof(empty));
		empty.type = SUP_NODE_SEQ;
		S_diff_seq(acc, path, a ? a : &empty, b ? b : &empty);
		return;
	}
	if ((!a || !b) && !*path && (a ? a : b)->type == SUP_NODE_MAP) {
		/* a record appearing or going: one line per field */
		struct sup_node empty;

		memset(&empty, 0, sizeof(empty));
		empty.type = SUP_NODE_MAP;
		S_diff(acc, path, a ? a : &empty, b ? b : &empty);
		return;
	}
	if (!a || !b) {
		S_push(acc, a ? SUP_FIELD_REMOVED : SUP_FIELD_ADDED, path, a, b);
		return;
	}
	if (a->type != b->type) {
		S_push(acc, SUP_FIELD_CHANGED, path, a, b);
		return;
	}
	if (a->type == SUP_NODE_SCALAR) {
		if (strcmp(a->value, b->value))
			S_push(acc, SUP_FIELD_CHANGED, path, a, b);
		return;
	}
	if (a->type == SUP_NODE_SEQ) {
		S_diff_seq(acc, path, a, b);
		return;
	}
	for (i = 0; i < a->n; i++) {
		char *p = *path ? sup_xasprintf("%s.%s", path, a->keys[i]->value) :
			  sup_xstrdup(a->keys[i]->value);

		S_diff(acc, p, a->items[i], sup_node_get(b, a->keys[i]->value));
		free(p);
	}
	for (i = 0; i < b->n; i++) {
		if (sup_node_get(a, b->keys[i]->value))
			continue;
		{
			char *p = *path ? sup_xasprintf("%s.%s", path, b->keys[i]->value) :
				  sup_xstrdup(b->keys[i]->value);

			S_diff(acc, p, NULL, b->items[i]);
			free(p);
		}
	}
}

void sup_fields_diff(struct sup_field_diff **out, size_t *n,
		     const struct sup_node *a, const struct sup_node *b)
{
	struct S_acc acc = { NULL, 0 };

	S_diff(&acc, "", a, b);
	*out = acc.v;
	*n = acc.n;
}

void sup_fields_diff_free(struct sup_field_diff *d, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(d[i].path);
		free(d[i].old_value);
		free(d[i].new_value);
		free(d[i].summary);
	}
	free(d);
}

void sup_field_diff_format(struct sup_buf *out, const struct sup_field_diff *d)
{
	if (d->summary) {
		sup_buf_printf(out, "signoffs: %c %s",
			       d->change == SUP_FIELD_ADDED ? '+' : '-', d->summary);
		return;
	}
	switch (d->change) {
	case SUP_FIELD_CHANGED:
		sup_buf_printf(out, "%s: %s \xe2\x86\x92 %s", d->path,
			       *d->old_value ? d->old_value : "(empty)",
			       *d->new_value ? d->new_value : "(empty)");
		break;
	case SUP_FIELD_ADDED:
		sup_buf_printf(out, "+ %s: %s", d->path, d->new_value);
		break;
	case SUP_FIELD_REMOVED:
		sup_buf_printf(out, "- %s: %s", d->path, d->old_value);
		break;
	}
}
