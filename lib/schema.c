/* schema: typed fields with positioned diagnostics (see schema.h). */
#include "schema.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

void sup_schema_error(struct sup_schema *sc, const struct sup_node *n,
		      const char *fmt, ...)
{
	struct sup_buf b = SUP_BUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	sup_buf_vprintf(&b, fmt, ap);
	va_end(ap);
	sup_diag_add(SUP_EINVALID, sc->file, n && n->line ? n->line : 1,
		     n && n->line ? n->col : 1, "%s", sup_buf_cstr(&b));
	sup_buf_release(&b);
	sc->errors++;
}

int sup_schema_is_map(struct sup_schema *sc, const struct sup_node *root)
{
	if (root && root->type == SUP_NODE_MAP)
		return 1;
	sup_schema_error(sc, root, "expected a mapping of 'key: value' lines");
	return 0;
}

void sup_schema_known(struct sup_schema *sc, const struct sup_node *map,
		      const char *const *known)
{
	size_t i, k;

	for (i = 0; i < map->n; i++) {
		const char *key = map->keys[i]->value;
		const char *best = NULL;
		size_t bestd = 3;

		for (k = 0; known[k]; k++)
			if (!strcmp(key, known[k]))
				break;
		if (known[k])
			continue;
		/* unknown: the nearest known key, if near enough */
		for (k = 0; known[k]; k++) {
			size_t d = sup_edit_distance(key, known[k]);

			if (d < bestd) {
				bestd = d;
				best = known[k];
			}
		}
		if (best)
			sup_schema_error(sc, map->keys[i],
					 "unknown key '%s' (did you mean '%s'?)", key, best);
		else
			sup_schema_error(sc, map->keys[i], "unknown key '%s'", key);
	}
}

static const struct sup_node *S_scalar(struct sup_schema *sc,
				       const struct sup_node *map,
				       const char *key, int required)
{
	const struct sup_node *v = sup_node_get(map, key);

	if (!v || sup_node_is_null(v)) {
		if (required && v)
			sup_schema_error(sc, v, "'%s' is empty: it needs a value", key);
		else if (required)
			sup_schema_error(sc, map, "missing required key '%s'", key);
		return NULL;
	}
	if (v->type != SUP_NODE_SCALAR) {
		sup_schema_error(sc, v, "'%s' must be a single value, not a %s",
				 key, v->type == SUP_NODE_SEQ ? "list" : "mapping");
		return NULL;
	}
	return v;
}

const char *sup_field_str(struct sup_schema *sc, const struct sup_node *map,
			  const char *key, int required)
{
	const struct sup_node *v = S_scalar(sc, map, key, required);

	return v ? v->value : NULL;
}

const char *sup_field_id(struct sup_schema *sc, const struct sup_node *map,
			 const char *key, int required)
{
	const struct sup_node *v = S_scalar(sc, map, key, required);

	if (!v)
		return NULL;
	if (!sup_valid_id(v->value)) {
		sup_schema_error(sc, v,
				 "'%s' is not a valid id (lowercase letters, digits and '-', starting with a letter or digit)",
				 v->value);
		return NULL;
	}
	return v->value;
}

const char *sup_field_caseref(struct sup_schema *sc, const struct sup_node *map,
			      const char *key, int required)
{
	const struct sup_node *v = S_scalar(sc, map, key, required);

	if (!v)
		return NULL;
	if (!sup_valid_caseref(v->value)) {
		sup_schema_error(sc, v,
				 "'%s' is not a valid case reference (letters, digits, '.', '_' and '-'; no '/' or '..')",
				 v->value);
		return NULL;
	}
	return v->value;
}

void sup_node_date(struct sup_schema *sc, const struct sup_node *n,
		   const char *what, sup_date *out)
{
	*out = SUP_DATE_NONE;
	if (n->type != SUP_NODE_SCALAR) {
		sup_schema_error(sc, n, "'%s' must be a date YYYY-MM-DD", what);
		return;
	}
	if (sup_date_parse(out, n->value) < 0) {
		sup_schema_error(sc, n, "'%s': %s", what, sup_error_last());
		*out = SUP_DATE_NONE;
	}
}

void sup_field_date(struct sup_schema *sc, const struct sup_node *map,
		    const char *key, int required, sup_date *out)
{
	const struct sup_node *v = S_scalar(sc, map, key, required);

	*out = SUP_DATE_NONE;
	if (v)
		sup_node_date(sc, v, key, out);
}

void sup_field_bool(struct sup_schema *sc, const struct sup_node *map,
		    const char *key, int dflt, int *out)
{
	const struct sup_node *v = S_scalar(sc, map, key, 0);

	*out = dflt;
	if (v && sup_node_bool(v, out) < 0) {
		sup_schema_error(sc, v, "'%s' must be true or false, not '%s'",
				 key, v->value);
		*out = dflt;
	}
}

void sup_field_int(struct sup_schema *sc, const struct sup_node *map,
		   const char *key, long dflt, long max, long *out)
{
	const struct sup_node *v = S_scalar(sc, map, key, 0);
	char *end;
	long n;

	*out = dflt;
	if (!v)
		return;
	n = strtol(v->value, &end, 10);
	if (v->style != SUP_STYLE_PLAIN || !*v->value || *end || n < 0 || n > max) {
		sup_schema_error(sc, v, "'%s' must be a whole number from 0 to %ld, not '%s'",
				 key, max, v->value);
		return;
	}
	*out = n;
}

void sup_field_duration(struct sup_schema *sc, const struct sup_node *map,
			const char *key, int required,
			struct sup_duration *out, int *present)
{
	const struct sup_node *v = S_scalar(sc, map, key, required);

	if (present)
		*present = 0;
	if (!v)
		return;
	if (sup_duration_parse(out, v->value) < 0) {
		sup_schema_error(sc, v, "'%s': %s", key, sup_error_last());
		return;
	}
	if (present)
		*present = 1;
}

const struct sup_node *sup_field_seq(struct sup_schema *sc,
				     const struct sup_node *map,
				     const char *key, int required)
{
	const struct sup_node *v = sup_node_get(map, key);

	if (!v || sup_node_is_null(v)) {
		if (required)
			sup_schema_error(sc, map, "missing required key '%s'", key);
		return NULL;
	}
	if (v->type != SUP_NODE_SEQ) {
		sup_schema_error(sc, v, "'%s' must be a list", key);
		return NULL;
	}
	return v;
}
