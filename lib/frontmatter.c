/* frontmatter: strict YAML on top of libyaml, and a stable emitter (see frontmatter.h). */
#include "frontmatter.h"

#include <yaml.h>

#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/types.h>

#define S_MAX_DEPTH 16

/* Nodes */

static struct sup_node *S_node_new(enum sup_node_type type)
{
	struct sup_node *n = sup_xcalloc(1, sizeof(*n));

	n->type = type;
	n->style = SUP_STYLE_PLAIN;
	return n;
}

static struct sup_node *S_scalar_n(const char *value, size_t len,
				   enum sup_style style)
{
	struct sup_node *n = S_node_new(SUP_NODE_SCALAR);

	n->value = sup_xstrndup(value ? value : "", value ? len : 0);
	n->style = style;
	return n;
}

struct sup_node *sup_node_new_map(void)
{
	return S_node_new(SUP_NODE_MAP);
}

struct sup_node *sup_node_new_seq(void)
{
	return S_node_new(SUP_NODE_SEQ);
}

struct sup_node *sup_node_new_scalar(const char *value, enum sup_style style)
{
	return S_scalar_n(value, value ? strlen(value) : 0, style);
}

static void S_grow(struct sup_node *n)
{
	if (n->n < n->cap)
		return;
	n->cap = n->cap ? n->cap * 2 : 4;
	n->items = sup_xrealloc(n->items, n->cap * sizeof(*n->items));
	if (n->type == SUP_NODE_MAP)
		n->keys = sup_xrealloc(n->keys, n->cap * sizeof(*n->keys));
}

void sup_node_append(struct sup_node *seq, struct sup_node *item)
{
	if (!seq || seq->type != SUP_NODE_SEQ) {
		sup_node_free(item);
		return;
	}
	S_grow(seq);
	seq->items[seq->n++] = item;
}

static void S_map_push(struct sup_node *map, struct sup_node *key,
		       struct sup_node *value)
{
	S_grow(map);
	map->keys[map->n] = key;
	map->items[map->n] = value;
	map->n++;
}

static ssize_t S_find(const struct sup_node *map, const char *key)
{
	size_t i;

	if (!map || map->type != SUP_NODE_MAP || !key)
		return -1;
	for (i = 0; i < map->n; i++)
		if (!strcmp(map->keys[i]->value, key))
			return (ssize_t)i;
	return -1;
}

void sup_node_set(struct sup_node *map, const char *key, struct sup_node *value)
{
	ssize_t i;

	if (!map || map->type != SUP_NODE_MAP || !key) {
		sup_node_free(value);
		return;
	}
	if ((i = S_find(map, key)) >= 0) {
		sup_node_free(map->items[i]);
		map->items[i] = value;
		return;
	}
	/* a key the caller names is text; the emitter quotes it if need be */
	S_map_push(map, sup_node_new_scalar(key, SUP_STYLE_STRING), value);
}

void sup_node_set_str(struct sup_node *map, const char *key, const char *value)
{
	sup_node_set(map, key, sup_node_new_scalar(value, SUP_STYLE_STRING));
}

void sup_node_set_plain(struct sup_node *map, const char *key, const char *value)
{
	sup_node_set(map, key, sup_node_new_scalar(value, SUP_STYLE_PLAIN));
}

int sup_node_remove(struct sup_node *map, const char *key)
{
	ssize_t i = S_find(map, key);
	size_t j;

	if (i < 0)
		return SUP_ENOTFOUND;
	sup_node_free(map->keys[i]);
	sup_node_free(map->items[i]);
	for (j = (size_t)i + 1; j < map->n; j++) {
		map->keys[j - 1] = map->keys[j];
		map->items[j - 1] = map->items[j];
	}
	map->n--;
	return 0;
}

struct sup_node *sup_node_dup(const struct sup_node *n)
{
	struct sup_node *d;
	size_t i;

	if (!n)
		return NULL;
	d = S_node_new(n->type);
	d->line = n->line;
	d->col = n->col;
	d->style = n->style;
	d->flow = n->flow;
	if (n->type == SUP_NODE_SCALAR) {
		d->value = sup_xstrdup(n->value ? n->value : "");
		return d;
	}
	if (n->n) {
		d->cap = n->n;
		d->items = sup_xmalloc(d->cap * sizeof(*d->items));
		if (n->type == SUP_NODE_MAP)
			d->keys = sup_xmalloc(d->cap * sizeof(*d->keys));
	}
	for (i = 0; i < n->n; i++) {
		d->items[i] = sup_node_dup(n->items[i]);
		if (n->type == SUP_NODE_MAP)
			d->keys[i] = sup_node_dup(n->keys[i]);
	}
	d->n = n->n;
	return d;
}

void sup_node_free(struct sup_node *n)
{
	size_t i;

	if (!n)
		return;
	for (i = 0; i < n->n; i++) {
		sup_node_free(n->items[i]);
		if (n->keys)
			sup_node_free(n->keys[i]);
	}
	free(n->items);
	free(n->keys);
	free(n->value);
	free(n);
}

struct sup_node *sup_node_get(const struct sup_node *map, const char *key)
{
	ssize_t i = S_find(map, key);

	return i < 0 ? NULL : map->items[i];
}

const struct sup_node *sup_node_key(const struct sup_node *map, const char *key)
{
	ssize_t i = S_find(map, key);

	return i < 0 ? NULL : map->keys[i];
}

int sup_node_is_null(const struct sup_node *n)
{
	static const char *const nulls[] = { "", "~", "null", "Null", "NULL" };
	size_t i;

	if (!n)
		return 1;
	if (n->type != SUP_NODE_SCALAR || n->style != SUP_STYLE_PLAIN)
		return 0;
	for (i = 0; i < SUP_ARRAY_SIZE(nulls); i++)
		if (!strcmp(n->value, nulls[i]))
			return 1;
	return 0;
}

int sup_node_bool(const struct sup_node *n, int *out)
{
	/* YAML 1.1 spells each as lower, Capitalised or UPPER case only */
	static const char *const yes[] = {
		"true", "True", "TRUE", "yes", "Yes", "YES", "on", "On", "ON"
	};
	static const char *const no[] = {
		"false", "False", "FALSE", "no", "No", "NO", "off", "Off", "OFF"
	};
	size_t i;

	if (!n || n->type != SUP_NODE_SCALAR || n->style != SUP_STYLE_PLAIN)
		return SUP_EINVALID;
	for (i = 0; i < SUP_ARRAY_SIZE(yes); i++) {
		if (!strcmp(n->value, yes[i])) {
			*out = 1;
			return 0;
		}
		if (!strcmp(n->value, no[i])) {
			*out = 0;
			return 0;
		}
	}
	return SUP_EINVALID;
}

/* Parsing */

struct S_parse {
	yaml_parser_t parser;
	const char *file;
	int first_line;
	const char *text;	/* what libyaml reads: LF line endings */
	size_t len;
};

/* Line and column (characters, 1-based within the text) of byte off. */
static void S_pos(const char *text, size_t off, int *line, int *col)
{
	size_t i;
	int ln = 1, cl = 1;

	for (i = 0; i < off; i++) {
		unsigned char c = (unsigned char)text[i];

		if (c == '\n') {
			ln++;
			cl = 1;
		} else if ((c & 0xc0) != 0x80) {
			cl++;
		}
	}
	*line = ln;
	*col = cl;
}

static int S_err_at(const char *file, int line, int col, const char *fmt, ...)
	SUP_PRINTF(4, 5);

static int S_err_at(const char *file, int line, int col, const char *fmt, ...)
{
	struct sup_buf b = SUP_BUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	sup_buf_vprintf(&b, fmt, ap);
	va_end(ap);
	sup_diag_add(SUP_EINVALID, file, line, col, "%s", sup_buf_cstr(&b));
	sup_buf_release(&b);
	return SUP_EINVALID;
}

static int S_line(const struct S_parse *p, const yaml_mark_t *m)
{
	return p->first_line + (int)m->line;
}

static int S_col(const yaml_mark_t *m)
{
	return (int)m->column + 1;
}

#define S_err_mark(p, m, ...) \
	S_err_at((p)->file, S_line(p, m), S_col(m), __VA_ARGS__)

static int S_parser_error(struct S_parse *p)
{
	yaml_parser_t *y = &p->parser;
	const char *problem = y->problem ? y->problem : "invalid YAML";
	int line, col;

	if (y->error == YAML_MEMORY_ERROR) {
		fputs("sup: out of memory\n", stderr);
		abort();
	}
	if (y->error == YAML_READER_ERROR) {
		/* the reader knows only the byte offset */
		size_t off = y->problem_offset < p->len ? y->problem_offset : p->len;

		S_pos(p->text, off, &line, &col);
		line += p->first_line - 1;
	} else {
		line = S_line(p, &y->problem_mark);
		col = S_col(&y->problem_mark);
	}
	if (y->context)
		return S_err_at(p->file, line, col, "%s %s", problem, y->context);
	return S_err_at(p->file, line, col, "%s", problem);
}

static int S_next(struct S_parse *p, yaml_event_t *ev)
{
	if (!yaml_parser_parse(&p->parser, ev))
		return S_parser_error(p);
	return 0;
}

static int S_check_props(struct S_parse *p, const yaml_event_t *ev,
			 const yaml_char_t *anchor, const yaml_char_t *tag)
{
	if (anchor)
		return S_err_mark(p, &ev->start_mark, "anchors are not allowed");
	if (tag)
		return S_err_mark(p, &ev->start_mark, "tags are not allowed");
	return 0;
}

/*
 * Duplicate keys are found through a small open-addressing table so that a
 * hostile 1 MiB mapping of short keys costs linear, not quadratic, time.
 */
struct S_keyset {
	size_t *slot;		/* index + 1 into map->keys; 0 is empty */
	size_t cap, used;
};

static size_t S_hash(const char *s)
{
	size_t h = 2166136261u;

	while (*s)
		h = (h ^ (unsigned char)*s++) * 16777619u;
	return h;
}

static void S_keyset_insert(struct S_keyset *ks, const struct sup_node *map,
			    size_t idx)
{
	size_t h = S_hash(map->keys[idx]->value) & (ks->cap - 1);

	while (ks->slot[h])
		h = (h + 1) & (ks->cap - 1);
	ks->slot[h] = idx + 1;
	ks->used++;
}

/* The index of an earlier key equal to map->keys[idx], or -1 after adding it. */
static ssize_t S_keyset_add(struct S_keyset *ks, const struct sup_node *map,
			    size_t idx)
{
	const char *key = map->keys[idx]->value;
	size_t h, i;

	if (2 * (ks->used + 1) > ks->cap) {
		size_t *old = ks->slot, oldcap = ks->cap;

		ks->cap = ks->cap ? ks->cap * 2 : 16;
		ks->slot = sup_xcalloc(ks->cap, sizeof(*ks->slot));
		ks->used = 0;
		for (i = 0; i < oldcap; i++)
			if (old[i])
				S_keyset_insert(ks, map, old[i] - 1);
		free(old);
	}
	for (h = S_hash(key) & (ks->cap - 1); ks->slot[h];
	     h = (h + 1) & (ks->cap - 1))
		if (!strcmp(map->keys[ks->slot[h] - 1]->value, key))
			return (ssize_t)(ks->slot[h] - 1);
	ks->slot[h] = idx + 1;
	ks->used++;
	return -1;
}

static int S_scalar(struct S_parse *p, yaml_event_t *ev, struct sup_node **out)
{
	const char *v = (const char *)ev->data.scalar.value;
	size_t len = ev->data.scalar.length;
	struct sup_node *n;
	int error;

	if ((error = S_check_props(p, ev, ev->data.scalar.anchor,
				   ev->data.scalar.tag)) < 0)
		return error;
	/* "\0" in a double-quoted string would silently cut the value short */
	if (len && memchr(v, '\0', len))
		return S_err_mark(p, &ev->start_mark,
				  "NUL character in a string (remove the \\0 escape)");
	n = S_scalar_n(v, len, ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE ?
		       SUP_STYLE_PLAIN : SUP_STYLE_STRING);
	n->line = S_line(p, &ev->start_mark);
	n->col = S_col(&ev->start_mark);
	*out = n;
	return 0;
}

static int S_node(struct S_parse *p, yaml_event_t *ev, int depth,
		  struct sup_node **out);

static int S_seq(struct S_parse *p, struct sup_node *seq, int depth)
{
	struct sup_node *item;
	yaml_event_t ev;
	int error;

	for (;;) {
		if ((error = S_next(p, &ev)) < 0)
			return error;
		if (ev.type == YAML_SEQUENCE_END_EVENT) {
			yaml_event_delete(&ev);
			return 0;
		}
		if ((error = S_node(p, &ev, depth, &item)) < 0)
			return error;
		sup_node_append(seq, item);
	}
}

static int S_key(struct S_parse *p, yaml_event_t *ev, struct sup_node **out)
{
	int error = 0;

	switch (ev->type) {
	case YAML_ALIAS_EVENT:
		error = S_err_mark(p, &ev->start_mark,
				   "aliases are not allowed (write the value out in full)");
		break;
	case YAML_SCALAR_EVENT:
		if (ev->data.scalar.style == YAML_LITERAL_SCALAR_STYLE ||
		    ev->data.scalar.style == YAML_FOLDED_SCALAR_STYLE)
			error = S_err_mark(p, &ev->start_mark,
					   "a mapping key must be a plain or quoted scalar");
		else
			error = S_scalar(p, ev, out);
		break;
	default:
		error = S_err_mark(p, &ev->start_mark,
				   "a mapping key must be a plain or quoted scalar");
		break;
	}
	yaml_event_delete(ev);
	return error;
}

static int S_map(struct S_parse *p, struct sup_node *map, int depth)
{
	struct S_keyset ks = { NULL, 0, 0 };
	struct sup_node *key = NULL, *value;
	yaml_event_t ev;
	ssize_t first;
	int error;

	for (;;) {
		if ((error = S_next(p, &ev)) < 0)
			goto out;
		if (ev.type == YAML_MAPPING_END_EVENT) {
			yaml_event_delete(&ev);
			break;
		}
		if ((error = S_key(p, &ev, &key)) < 0)
			goto out;
		S_map_push(map, key, NULL);
		if ((first = S_keyset_add(&ks, map, map->n - 1)) >= 0) {
			error = S_err_at(p->file, key->line, key->col,
					 "duplicate key '%s' (first at line %d)",
					 key->value, map->keys[first]->line);
			goto out;
		}
		if ((error = S_next(p, &ev)) < 0 ||
		    (error = S_node(p, &ev, depth, &value)) < 0)
			goto out;
		map->items[map->n - 1] = value;
	}
out:
	free(ks.slot);
	return error;
}

/* Builds the node that starts with ev, which it consumes; depth counts the
 * collections around it. */
static int S_node(struct S_parse *p, yaml_event_t *ev, int depth,
		  struct sup_node **out)
{
	struct sup_node *n = NULL;
	int error = 0;

	*out = NULL;
	switch (ev->type) {
	case YAML_SCALAR_EVENT:
		error = S_scalar(p, ev, out);
		yaml_event_delete(ev);
		return error;
	case YAML_ALIAS_EVENT:
		error = S_err_mark(p, &ev->start_mark,
				   "aliases are not allowed (write the value out in full)");
		yaml_event_delete(ev);
		return error;
	case YAML_SEQUENCE_START_EVENT:
		error = S_check_props(p, ev, ev->data.sequence_start.anchor,
				      ev->data.sequence_start.tag);
		n = sup_node_new_seq();
		n->flow = ev->data.sequence_start.style == YAML_FLOW_SEQUENCE_STYLE;
		break;
	case YAML_MAPPING_START_EVENT:
		error = S_check_props(p, ev, ev->data.mapping_start.anchor,
				      ev->data.mapping_start.tag);
		n = sup_node_new_map();
		n->flow = ev->data.mapping_start.style == YAML_FLOW_MAPPING_STYLE;
		break;
	default:
		/* libyaml's grammar allows nothing else here */
		error = S_err_mark(p, &ev->start_mark, "unexpected YAML event");
		yaml_event_delete(ev);
		return error;
	}
	n->line = S_line(p, &ev->start_mark);
	n->col = S_col(&ev->start_mark);
	if (!error && depth + 1 > S_MAX_DEPTH)
		error = S_err_mark(p, &ev->start_mark,
				   "nesting deeper than %d levels", S_MAX_DEPTH);
	yaml_event_delete(ev);
	if (!error)
		error = n->type == SUP_NODE_SEQ ? S_seq(p, n, depth + 1) :
						  S_map(p, n, depth + 1);
	if (error < 0) {
		sup_node_free(n);
		return error;
	}
	*out = n;
	return 0;
}

static int S_document(struct S_parse *p, struct sup_node **out)
{
	struct sup_node *root = NULL;
	yaml_event_t ev;
	int error;

	/* the stream's start, then a document's start or the stream's end */
	if ((error = S_next(p, &ev)) < 0)
		return error;
	yaml_event_delete(&ev);
	if ((error = S_next(p, &ev)) < 0)
		return error;
	if (ev.type == YAML_STREAM_END_EVENT) {
		/* nothing, or only comments */
		yaml_event_delete(&ev);
		goto empty;
	}
	if (ev.data.document_start.version_directive ||
	    ev.data.document_start.tag_directives.start !=
	    ev.data.document_start.tag_directives.end) {
		error = S_err_mark(p, &ev.start_mark,
				   "directives (%%YAML, %%TAG) are not allowed");
		yaml_event_delete(&ev);
		return error;
	}
	yaml_event_delete(&ev);
	if ((error = S_next(p, &ev)) < 0 ||
	    (error = S_node(p, &ev, 0, &root)) < 0)
		return error;
	/* the document's end, then the stream's end or another document */
	if ((error = S_next(p, &ev)) < 0)
		goto fail;
	yaml_event_delete(&ev);
	if ((error = S_next(p, &ev)) < 0)
		goto fail;
	if (ev.type == YAML_DOCUMENT_START_EVENT)
		error = S_err_mark(p, &ev.start_mark, "more than one YAML document");
	yaml_event_delete(&ev);
	if (error < 0)
		goto fail;
	/* "---" with nothing after it reads as an empty plain scalar */
	if (root->type == SUP_NODE_SCALAR && root->style == SUP_STYLE_PLAIN &&
	    !*root->value) {
		sup_node_free(root);
		goto empty;
	}
	*out = root;
	return 0;
empty:
	root = sup_node_new_map();
	root->line = p->first_line;
	root->col = 1;
	*out = root;
	return 0;
fail:
	sup_node_free(root);
	return error;
}

/*
 * libyaml's complaint about a tab in indentation names neither the tab nor
 * the fix, so look for one first: a tab among the blanks that start a line
 * with something on it.
 */
static int S_check_tabs(const char *text, size_t len, const char *file,
			int first_line)
{
	size_t i = 0, j, tab;
	int line = first_line;

	while (i < len) {
		tab = SIZE_MAX;
		for (j = i; j < len && (text[j] == ' ' || text[j] == '\t'); j++)
			if (text[j] == '\t' && tab == SIZE_MAX)
				tab = j;
		if (tab != SIZE_MAX && j < len && text[j] != '\n')
			return S_err_at(file, line, (int)(tab - i) + 1,
					"tab character in indentation (use spaces)");
		while (j < len && text[j] != '\n')
			j++;
		i = j + 1;
		line++;
	}
	return 0;
}

/*
 * Turn CRLF into LF so that values never hold "\r" and positions match the
 * LF file.  A lone CR is refused: libyaml would count it as a line break
 * that no editor shows.  *copy is NULL when the text has no CR at all.
 */
static int S_normalize(char **copy, size_t *copy_len, const char *text,
		       size_t len, const char *file, int first_line)
{
	char *c;
	size_t i, k = 0;
	int line, col;

	*copy = NULL;
	if (!memchr(text, '\r', len))
		return 0;
	c = sup_xmalloc(len + 1);
	for (i = 0; i < len; i++) {
		if (text[i] == '\r') {
			if (i + 1 < len && text[i + 1] == '\n')
				continue;
			S_pos(c, k, &line, &col);
			free(c);
			return S_err_at(file, line + first_line - 1, col,
					"carriage return without a line feed (use LF or CRLF line endings)");
		}
		c[k++] = text[i];
	}
	c[k] = '\0';
	*copy = c;
	*copy_len = k;
	return 0;
}

static int S_check_encoding(const char *text, size_t len, const char *file,
			    int first_line)
{
	const char *nul = memchr(text, '\0', len);
	int line, col;

	if (sup_check_utf8(text, len, &line, &col) == 0)
		return 0;
	line += first_line - 1;
	/* the first bad byte is the NUL only if everything before it is fine */
	if (nul && sup_check_utf8(text, (size_t)(nul - text), NULL, NULL) == 0)
		return S_err_at(file, line, col, "NUL byte in file");
	return S_err_at(file, line, col, "not valid UTF-8 (save the file as UTF-8)");
}

int sup_yaml_parse(struct sup_node **out, const char *text, size_t len,
		   const char *file, int first_line)
{
	struct S_parse p;
	char *copy = NULL;
	size_t copy_len = 0;
	int error;

	*out = NULL;
	if (!text) {
		text = "";
		len = 0;
	}
	if (len > SUP_MAX_FILE)
		return S_err_at(file, 0, 0,
				"file is larger than 1 MiB (%zu bytes; the limit is %d)",
				len, SUP_MAX_FILE);
	if ((error = S_check_encoding(text, len, file, first_line)) < 0 ||
	    (error = S_normalize(&copy, &copy_len, text, len, file, first_line)) < 0)
		return error;
	if (copy) {
		text = copy;
		len = copy_len;
	}
	if ((error = S_check_tabs(text, len, file, first_line)) < 0)
		goto out;

	memset(&p, 0, sizeof(p));
	p.file = file;
	p.first_line = first_line;
	p.text = text;
	p.len = len;
	if (!yaml_parser_initialize(&p.parser)) {
		fputs("sup: out of memory\n", stderr);
		abort();
	}
	yaml_parser_set_input_string(&p.parser, (const unsigned char *)text, len);
	error = S_document(&p, out);
	yaml_parser_delete(&p.parser);
out:
	free(copy);
	return error;
}

/* Front matter */

/* The end of the line that starts at i: its '\n', or len. */
static size_t S_line_end(const char *text, size_t len, size_t i)
{
	const char *nl = memchr(text + i, '\n', len - i);

	return nl ? (size_t)(nl - text) : len;
}

/* Whether the line [start, end), less a final "\r", is exactly word. */
static int S_line_is(const char *text, size_t start, size_t end, const char *word)
{
	size_t n = strlen(word);

	if (end > start && text[end - 1] == '\r')
		end--;
	return end - start == n && !memcmp(text + start, word, n);
}

int sup_frontmatter_split(const char *text, size_t len, const char *file,
			  size_t *yaml_off, size_t *yaml_len, size_t *body_off,
			  int *yaml_first_line)
{
	size_t open_end, i, end;

	if (!text) {
		text = "";
		len = 0;
	}
	open_end = S_line_end(text, len, 0);
	if (!S_line_is(text, 0, open_end, "---"))
		return S_err_at(file, 1, 1,
				"missing front matter: a record starts with a line '---'");
	for (i = open_end + 1; i < len; i = end + 1) {
		end = S_line_end(text, len, i);
		if (S_line_is(text, i, end, "---") || S_line_is(text, i, end, "...")) {
			*yaml_off = open_end + 1;
			*yaml_len = i - *yaml_off;
			*body_off = end < len ? end + 1 : len;
			*yaml_first_line = 2;
			return 0;
		}
	}
	return S_err_at(file, 1, 1,
			"front matter is not closed: add a line '---' after it");
}

/* Emitting */

static int S_is_word(const char *s, const char *const *words, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcasecmp(s, words[i]))
			return 1;
	return 0;
}

/*
 * Could a resolver read s as a number under YAML 1.1 or 1.2: ints in any
 * base, floats, .inf/.nan, sexagesimal "1:20"?  Erring towards yes only
 * costs a pair of quotes.
 */
static int S_looks_numeric(const char *s)
{
	static const char *const special[] = { ".inf", ".nan" };
	const char *t = s;

	if (*t == '+' || *t == '-')
		t++;
	if (S_is_word(t, special, SUP_ARRAY_SIZE(special)))
		return 1;
	if (!(*t >= '0' && *t <= '9') &&
	    !(*t == '.' && t[1] >= '0' && t[1] <= '9'))
		return 0;
	return strspn(t, "0123456789abcdefABCDEFxXoO_.:+-") == strlen(t);
}

/*
 * Whether a string must be quoted to read back as the same string, by YAML
 * 1.1 and 1.2 readers alike; in flow context (inside [] or {}) the flow
 * indicators and ':' count too.
 */
static int S_needs_quotes(const char *s, int flow)
{
	static const char *const words[] = {
		"y", "n", "yes", "no", "true", "false", "on", "off",
		"null", "~", "<<", "="
	};
	const unsigned char *u = (const unsigned char *)s;
	size_t len = strlen(s), i;

	if (!len)
		return 1;
	if (strchr("-?:,[]{}#&*!|>'\"%@`", s[0]))
		return 1;
	if (s[0] == ' ' || s[len - 1] == ' ' || s[len - 1] == ':')
		return 1;
	if (strstr(s, ": ") || strstr(s, " #") || !strncmp(s, "...", 3))
		return 1;
	if (flow && strpbrk(s, ",[]{}:"))
		return 1;
	for (i = 0; i < len; i++) {
		if (u[i] < 0x20 || u[i] == 0x7f)
			return 1;
		/* C1 controls, NEL, LS, PS, BOM, U+FFFE/F: libyaml refuses
		 * some raw and reads the others as line breaks */
		if (u[i] == 0xc2 && u[i + 1] >= 0x80 && u[i + 1] <= 0x9f)
			return 1;
		if (u[i] == 0xe2 && u[i + 1] == 0x80 &&
		    (u[i + 2] == 0xa8 || u[i + 2] == 0xa9))
			return 1;
		if (u[i] == 0xef && ((u[i + 1] == 0xbb && u[i + 2] == 0xbf) ||
				     (u[i + 1] == 0xbf && u[i + 2] >= 0xbe)))
			return 1;
	}
	if (S_is_word(s, words, SUP_ARRAY_SIZE(words)))
		return 1;
	if (S_looks_numeric(s))
		return 1;
	/* dates and timestamps: 2024-01-02, 2024-1-2 10:00 ... */
	if (len >= 5 && strspn(s, "0123456789") == 4 && s[4] == '-')
		return 1;
	return 0;
}

static void S_put_quoted(struct sup_buf *out, const char *s)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i;

	sup_buf_putc(out, '"');
	for (i = 0; u[i]; i++) {
		unsigned char c = u[i];

		switch (c) {
		case '\\':
			sup_buf_puts(out, "\\\\");
			continue;
		case '"':
			sup_buf_puts(out, "\\\"");
			continue;
		case '\n':
			sup_buf_puts(out, "\\n");
			continue;
		case '\t':
			sup_buf_puts(out, "\\t");
			continue;
		case '\r':
			sup_buf_puts(out, "\\r");
			continue;
		default:
			break;
		}
		if (c < 0x20 || c == 0x7f) {
			sup_buf_printf(out, "\\x%02X", c);
		} else if (c == 0xc2 && u[i + 1] >= 0x80 && u[i + 1] <= 0x9f) {
			sup_buf_printf(out, "\\u%04X", u[i + 1]);
			i++;
		} else if (c == 0xe2 && u[i + 1] == 0x80 &&
			   (u[i + 2] == 0xa8 || u[i + 2] == 0xa9)) {
			sup_buf_printf(out, "\\u%04X", 0x2000 + u[i + 2] - 0x80);
			i += 2;
		} else if (c == 0xef && u[i + 1] == 0xbb && u[i + 2] == 0xbf) {
			sup_buf_puts(out, "\\uFEFF");
			i += 2;
		} else if (c == 0xef && u[i + 1] == 0xbf && u[i + 2] >= 0xbe) {
			sup_buf_printf(out, "\\u%04X", 0xff40 + u[i + 2]);
			i += 2;
		} else {
			sup_buf_putc(out, c);
		}
	}
	sup_buf_putc(out, '"');
}

static void S_put_scalar(struct sup_buf *out, const struct sup_node *n, int flow)
{
	const char *v = n->value ? n->value : "";

	if (n->style == SUP_STYLE_PLAIN || !S_needs_quotes(v, flow))
		sup_buf_puts(out, v);
	else
		S_put_quoted(out, v);
}

static int S_is_empty_plain(const struct sup_node *n)
{
	return n->type == SUP_NODE_SCALAR && n->style == SUP_STYLE_PLAIN &&
	       (!n->value || !*n->value);
}

/* Flow style is used only where asked for and where every child is a
 * scalar that can be written there ("[a, ]" is no way to write a null). */
static int S_use_flow(const struct sup_node *n)
{
	size_t i;

	if (!n->flow)
		return 0;
	for (i = 0; i < n->n; i++) {
		if (n->items[i]->type != SUP_NODE_SCALAR ||
		    S_is_empty_plain(n->items[i]))
			return 0;
		if (n->type == SUP_NODE_MAP && S_is_empty_plain(n->keys[i]))
			return 0;
	}
	return 1;
}

static void S_put_flow(struct sup_buf *out, const struct sup_node *n)
{
	size_t i;

	sup_buf_putc(out, n->type == SUP_NODE_MAP ? '{' : '[');
	for (i = 0; i < n->n; i++) {
		if (i)
			sup_buf_puts(out, ", ");
		if (n->type == SUP_NODE_MAP) {
			S_put_scalar(out, n->keys[i], 1);
			sup_buf_puts(out, ": ");
		}
		S_put_scalar(out, n->items[i], 1);
	}
	sup_buf_putc(out, n->type == SUP_NODE_MAP ? '}' : ']');
}

static void S_indent(struct sup_buf *out, int n)
{
	while (n-- > 0)
		sup_buf_putc(out, ' ');
}

static void S_emit_map(struct sup_buf *out, const struct sup_node *map,
		       int indent, int inline_first);
static void S_emit_seq(struct sup_buf *out, const struct sup_node *seq,
		       int indent, int inline_first);

/*
 * Writes what follows "key:" or "-": the value on the same line, or a
 * newline and the block collection at indent.  inline_block puts the first
 * line of a block collection on the same line ("- k: v").
 */
static void S_emit_value(struct sup_buf *out, const struct sup_node *v,
			 int indent, int inline_block)
{
	if (v->type == SUP_NODE_SCALAR) {
		if (!S_is_empty_plain(v)) {
			sup_buf_putc(out, ' ');
			S_put_scalar(out, v, 0);
		}
		sup_buf_putc(out, '\n');
		return;
	}
	if (!v->n) {
		sup_buf_puts(out, v->type == SUP_NODE_MAP ? " {}\n" : " []\n");
		return;
	}
	if (S_use_flow(v)) {
		sup_buf_putc(out, ' ');
		S_put_flow(out, v);
		sup_buf_putc(out, '\n');
		return;
	}
	sup_buf_putc(out, inline_block ? ' ' : '\n');
	if (v->type == SUP_NODE_MAP)
		S_emit_map(out, v, indent, inline_block);
	else
		S_emit_seq(out, v, indent, inline_block);
}

static void S_emit_map(struct sup_buf *out, const struct sup_node *map,
		       int indent, int inline_first)
{
	size_t i;

	for (i = 0; i < map->n; i++) {
		if (i || !inline_first)
			S_indent(out, indent);
		S_put_scalar(out, map->keys[i], 0);
		sup_buf_putc(out, ':');
		S_emit_value(out, map->items[i], indent + 2, 0);
	}
}

static void S_emit_seq(struct sup_buf *out, const struct sup_node *seq,
		       int indent, int inline_first)
{
	size_t i;

	for (i = 0; i < seq->n; i++) {
		if (i || !inline_first)
			S_indent(out, indent);
		sup_buf_putc(out, '-');
		S_emit_value(out, seq->items[i], indent + 2, 1);
	}
}

void sup_yaml_emit(struct sup_buf *out, const struct sup_node *root)
{
	if (!root)
		return;
	switch (root->type) {
	case SUP_NODE_MAP:
		S_emit_map(out, root, 0, 0);
		break;
	case SUP_NODE_SEQ:
		if (root->n)
			S_emit_seq(out, root, 0, 0);
		else
			sup_buf_puts(out, "[]\n");
		break;
	case SUP_NODE_SCALAR:
		S_put_scalar(out, root, 0);
		sup_buf_putc(out, '\n');
		break;
	}
}
