/*
 * schema: read typed fields out of a parsed YAML mapping, adding a
 * positioned diagnostic for every problem and carrying on, so that a user
 * sees all the mistakes in a file at once.  Used by the register, the
 * policy and records.
 */
#ifndef SUP_SCHEMA_H
#define SUP_SCHEMA_H

#include "dates.h"
#include "frontmatter.h"

struct sup_schema {
	const char *file;	/* for diagnostics */
	int errors;		/* diagnostics added so far */
};

/* Add a diagnostic at node n (or at 1:1 when n is NULL). */
void sup_schema_error(struct sup_schema *sc, const struct sup_node *n,
		      const char *fmt, ...) SUP_PRINTF(3, 4);

/* The top of a document must be a mapping. */
int sup_schema_is_map(struct sup_schema *sc, const struct sup_node *root);

/* Report keys of map not in known (NULL-terminated), suggesting the
 * nearest known key. */
void sup_schema_known(struct sup_schema *sc, const struct sup_node *map,
		      const char *const *known);

/*
 * A scalar string: the value (owned by the tree) or NULL when the key is
 * absent or null.  required: absence is an error.  A collection is an
 * error.
 */
const char *sup_field_str(struct sup_schema *sc, const struct sup_node *map,
			  const char *key, int required);
/* A staff/record id, or a case reference (validated). */
const char *sup_field_id(struct sup_schema *sc, const struct sup_node *map,
			 const char *key, int required);
const char *sup_field_caseref(struct sup_schema *sc, const struct sup_node *map,
			      const char *key, int required);
/* A date: *out is SUP_DATE_NONE when absent or null. */
void sup_field_date(struct sup_schema *sc, const struct sup_node *map,
		    const char *key, int required, sup_date *out);
/* A boolean (true/false); dflt when absent or null. */
void sup_field_bool(struct sup_schema *sc, const struct sup_node *map,
		    const char *key, int dflt, int *out);
/* A non-negative integer; dflt when absent. */
void sup_field_int(struct sup_schema *sc, const struct sup_node *map,
		   const char *key, long dflt, long max, long *out);
/* A duration; *present 0 when absent. */
void sup_field_duration(struct sup_schema *sc, const struct sup_node *map,
			const char *key, int required,
			struct sup_duration *out, int *present);
/* A sequence node, or NULL when absent or null (or not a sequence: then
 * an error). */
const struct sup_node *sup_field_seq(struct sup_schema *sc,
				     const struct sup_node *map,
				     const char *key, int required);
/* A date from a scalar node. */
void sup_node_date(struct sup_schema *sc, const struct sup_node *n,
		   const char *what, sup_date *out);

#endif
