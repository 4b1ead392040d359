/*
 * frontmatter: the strict YAML subset of DESIGN.md section 2, parsed into a tree
 * of nodes that remember where they came from, and a stable emitter.
 *
 * This is the only module that includes <yaml.h> (libyaml).
 *
 * Strictness (every refusal is SUP_EINVALID with a diagnostic
 * "file:line:column: message" added through sup_diag_add()):
 *   - input must be valid UTF-8 with no NUL byte (sup_check_utf8), at most
 *     SUP_MAX_FILE bytes;
 *   - no anchors, no aliases, no tags (explicit "!!str" and the like);
 *   - no duplicate keys in a mapping; keys must be plain or quoted scalars;
 *   - no tab characters in indentation;
 *   - nesting no deeper than 16 collections;
 *   - exactly one document (an empty document is an empty mapping);
 *   - CRLF line endings are accepted and reported positions are the same as
 *     for LF.
 * Lines and columns are 1-based, columns count characters (not bytes), and
 * line numbers are offset by the `first_line` the caller passes so that a
 * front-matter block reports positions in the whole file.
 */
#ifndef SUP_FRONTMATTER_H
#define SUP_FRONTMATTER_H

#include <stddef.h>

#include "util.h"

enum sup_node_type {
	SUP_NODE_SCALAR,
	SUP_NODE_SEQ,
	SUP_NODE_MAP
};

/*
 * A scalar's style says how it is to be read:
 *   SUP_STYLE_PLAIN  - unquoted in the source; may be a date, number, bool
 *                      or null ("", "~", "null") by YAML 1.1/1.2 rules;
 *   SUP_STYLE_STRING - quoted or block (| >) in the source, or built by a
 *                      caller as text: always a string, never a date/bool.
 * The emitter writes a SUP_STYLE_STRING scalar plain when that reads back
 * as the same string, and double-quoted otherwise ("no", "yes", "~",
 * "2024-01-02", "123", "", ": x", leading/trailing spaces, "#", newlines
 * as \n escapes ...).  A SUP_STYLE_PLAIN scalar is written as it is (the
 * caller vouches that it is a valid plain scalar: a date, an integer,
 * true/false, or empty for null).
 */
enum sup_style {
	SUP_STYLE_PLAIN,
	SUP_STYLE_STRING
};

struct sup_node {
	enum sup_node_type type;
	int line, col;		/* 1-based start of the node in the file */
	/* scalar */
	char *value;		/* UTF-8, NUL-terminated; "" for an empty scalar */
	enum sup_style style;
	/* sequence and mapping: n children; a mapping also has keys[i] */
	size_t n, cap;
	struct sup_node **items;	/* values */
	struct sup_node **keys;		/* scalar key nodes (maps only) */
	int flow;		/* emit in flow style: [a, b] or {k: v} */
};

/*
 * Parse len bytes of YAML.  On success *out is a new tree (a mapping when
 * the document is empty) that the caller frees with sup_node_free().
 * file names the file in diagnostics; first_line is the file line of the
 * first byte of text (1 for a whole file, 2 for front matter after "---").
 */
int sup_yaml_parse(struct sup_node **out, const char *text, size_t len,
		   const char *file, int first_line);

/*
 * Split a Markdown document with YAML front matter: text must begin with a
 * line "---" and the front matter ends at the next line that is exactly
 * "---" (or "..."); CRLF is accepted.  On success *yaml_off and *yaml_len
 * delimit the YAML, *body_off is where the body starts (after the closing
 * line), *yaml_first_line is the file line of the YAML's first byte.
 * Missing delimiters: SUP_EINVALID with a diagnostic naming file:line:col.
 */
int sup_frontmatter_split(const char *text, size_t len, const char *file,
			  size_t *yaml_off, size_t *yaml_len, size_t *body_off,
			  int *yaml_first_line);

/* Emit a tree (a mapping at the top) as block-style YAML with 2-space
 * indentation, keys in node order, appending to out.  Nested sequences of
 * scalars in a mapping are written "key: [a, b]" when flow is set on the
 * node, mappings inside sequences "- {k: v, k: v}" when flow is set, else
 * in block style. */
void sup_yaml_emit(struct sup_buf *out, const struct sup_node *root);

/* Construction.  Each returns a new node; ownership passes to the parent
 * when added. line/col of built nodes are 0. */
struct sup_node *sup_node_new_map(void);
struct sup_node *sup_node_new_seq(void);
struct sup_node *sup_node_new_scalar(const char *value, enum sup_style style);
/* Append a child to a sequence. */
void sup_node_append(struct sup_node *seq, struct sup_node *item);
/* Set key in a mapping: replaces the value of an existing key in place
 * (keeping its position in the order) or appends a new key. */
void sup_node_set(struct sup_node *map, const char *key, struct sup_node *value);
/* Convenience: sup_node_set with a new scalar. */
void sup_node_set_str(struct sup_node *map, const char *key, const char *value);
void sup_node_set_plain(struct sup_node *map, const char *key, const char *value);
/* Remove key from a mapping (freeing its value); 0 if removed, SUP_ENOTFOUND. */
int sup_node_remove(struct sup_node *map, const char *key);
/* A deep copy. */
struct sup_node *sup_node_dup(const struct sup_node *n);
void sup_node_free(struct sup_node *n);

/* Lookup: the value for key in a mapping, or NULL (also NULL if map is not
 * a mapping).  The key node, for positions, through sup_node_key(). */
struct sup_node *sup_node_get(const struct sup_node *map, const char *key);
const struct sup_node *sup_node_key(const struct sup_node *map, const char *key);

/* 1 if n is NULL, or a plain scalar that YAML reads as null ("", "~",
 * "null", "Null", "NULL"). */
int sup_node_is_null(const struct sup_node *n);
/* A plain scalar that is true/false (also yes/no/on/off in any YAML-1.1
 * case form): sets *out and returns 0; else SUP_EINVALID. */
int sup_node_bool(const struct sup_node *n, int *out);

#endif
