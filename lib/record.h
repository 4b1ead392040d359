/*
 * record: supervision records, records/<yyyy>/<id>.md (DESIGN.md 2.3; the
 * format is documented in sup-record(5)).
 *
 * A record keeps its whole text and its front matter tree, so that what
 * sup writes back is what the person wrote, and a typed view for checks.
 */
#ifndef SUP_RECORD_H
#define SUP_RECORD_H

#include <stddef.h>

#include "policy.h"
#include "register.h"
#include "frontmatter.h"

enum sup_record_type {
	SUP_REC_SESSION,
	SUP_REC_GROUP,
	SUP_REC_OVERSIGHT,
	SUP_REC_CONTRACT,
	SUP_REC_HANDOVER
};

struct sup_pos {
	int line, col;
};

struct sup_rec_case {
	char *ref;
	char *decision;		/* NULL or "" until written */
	sup_date review;
	struct sup_pos pos;
};

struct sup_rec_review {
	char *action;		/* "<record-id>#<n>" */
	char *status;		/* done | carried | dropped, or NULL */
	struct sup_pos pos;
};

struct sup_rec_action {
	long n;
	char *text, *owner, *case_ref;
	sup_date due;
	struct sup_pos pos;
};

struct sup_signoff {
	char *by, *role, *at, *digest, *dispute;
	struct sup_pos pos;
};

struct sup_amendment {
	char *by, *at, *reason;
};

struct sup_record {
	char *path;		/* records/<yyyy>/<id>.md */
	char *text;		/* the whole file, as read (CRLF kept) */
	size_t len;
	size_t body_off;	/* where the Markdown body starts in text */
	int body_line;		/* its first line */
	struct sup_node *fm;	/* front matter */

	char *id;
	enum sup_record_type type;
	sup_date date;
	char *supervisor;	/* session, group (facilitator), oversight, contract */
	char *supervisee;	/* session, oversight, contract, handover */
	char **supervisees;	/* group */
	size_t nsupervisees;
	char *from, *to;	/* handover */
	char *case_ref;		/* oversight */
	char **functions;
	size_t nfunctions;
	struct sup_rec_case *cases;
	size_t ncases;
	struct sup_rec_review *reviewed;
	size_t nreviewed;
	struct sup_rec_action *actions;
	size_t nactions;
	sup_date next_session;
	sup_date review_due;	/* contract */
	int has_frequency;	/* contract */
	struct sup_duration frequency;
	int ground_rules_agreed;	/* group */
	struct sup_amendment *amendments;
	size_t namendments;
	struct sup_signoff *signoffs;
	size_t nsignoffs;
	char digest[72];	/* of the text, computed when parsed */
	char *arena;		/* deserialised: every string is in here */
};

/*
 * Records in bulk (list, audit, pre-fill) need only what was parsed out of
 * them: sup_record_shed() drops the text and the front matter tree, and
 * the summary can be cached by blob id (sup_record_serialize /
 * sup_record_deserialize; the latter returns NULL for damaged bytes).
 * A shed record has text and fm NULL; everything else is as parsed.
 */
void sup_record_shed(struct sup_record *rec);
void sup_record_serialize(struct sup_buf *out, const struct sup_record *rec);
struct sup_record *sup_record_deserialize(const unsigned char *data, size_t len);
/* SUP_RECORD_LEAN: without the text of case decisions, which are then
 * NULL, "" or sup_record_not_loaded (for an audit of 100,000 records,
 * which only asks whether a decision was written). */
#define SUP_RECORD_LEAN 1u
extern const char sup_record_not_loaded[];
struct sup_record *sup_record_deserialize_ex(const unsigned char *data, size_t len,
					     unsigned flags);
#define SUP_RECORD_CACHE_VERSION 3

/*
 * Which records a command wants, decided from the cached bytes before a
 * record is built (sup_record_peek), so that a command about one person
 * does not unpack 100,000 records.  person: a party (supervisor,
 * supervisee, attendee, outgoing, incoming) or NULL; type: a record type
 * or -1; since/until: SUP_DATE_NONE for open ends.
 */
struct sup_record_want {
	const char *person;
	int type;
	sup_date since, until;
};
/* 1 if the cached record is wanted, 0 if not, -1 if the bytes are damaged. */
int sup_record_peek(const unsigned char *data, size_t len,
		    const struct sup_record_want *w);
/* Each person of a cached record that sup_record_peek() matches a want's
 * person against (supervisor, supervisee, attendees, outgoing, incoming),
 * as bytes and length, in that order: 0, or -1 if the bytes are damaged
 * or cut short (give the whole entry, not a peek). */
typedef void (*sup_person_fn)(const char *id, size_t len, void *payload);
int sup_record_peek_people(const unsigned char *data, size_t len,
			   sup_person_fn fn, void *payload);
/* The same question of a built record. */
int sup_record_wanted(const struct sup_record *rec, const struct sup_record_want *w);

/* "session" ... "handover"; SUP_EINVALID with the list of types when
 * unknown. */
int sup_record_type_parse(enum sup_record_type *out, const char *s);
const char *sup_record_type_name(enum sup_record_type t);

/*
 * Parse a record: front matter syntax (the strict YAML of yaml.h), known
 * keys for its type, value types and real dates, signoffs last, the id
 * matching the file name.  line_offset is added to every reported line
 * (for text shown below a block of comments).  Diagnostics for every
 * problem; SUP_EINVALID if any.  Free with sup_record_free().
 */
int sup_record_parse(struct sup_record **out, const char *text, size_t len,
		     const char *path, int line_offset);
void sup_record_free(struct sup_record *rec);

/* Looks up a record's front matter and text by id at a commit: see
 * records.h.  Here: the checks. */

/*
 * The structure check of DESIGN.md 2.3, beyond parsing: staff ids known,
 * case references known, functions in the policy, reviewed actions that
 * exist (lookup(id, n) returns 1 when record id has action n).
 */
typedef int (*sup_action_lookup_fn)(const char *record_id, long n, void *payload);
int sup_record_check(const struct sup_record *rec, const struct sup_policy *pol,
		     const struct sup_register *reg, sup_action_lookup_fn lookup,
		     void *payload);

/*
 * The completeness check made before signing: at least one function, a
 * decision for every case, a status for every reviewed action, an owner
 * and due date for every action, and every required section of the
 * template present with text (template_body: the type's template).
 */
int sup_record_complete(const struct sup_record *rec, const char *template_body,
			size_t template_len);

/* The parties of a record: ids, and each one's role in it ("supervisor",
 * "supervisee", "facilitator", "attendee", "outgoing", "incoming").
 * Returns the count written (at most max). */
size_t sup_record_parties(const struct sup_record *rec, const char **ids,
			  const char **roles, size_t max);
/* The role of id in the record, or NULL when not a party. */
const char *sup_record_role(const struct sup_record *rec, const char *id);
/* 1 if the record concerns person as supervisee (or group attendee). */
int sup_record_about(const struct sup_record *rec, const char *person);
/* 1 if id must sign the record (DESIGN.md 2.3 "must sign"). */
int sup_record_must_sign(const struct sup_record *rec, const char *role);

/*
 * The digest of a record: "sha256:" and the hex SHA-256 of its canonical
 * form (sup-record(5)): the file with CRLF turned into LF, and with the
 * front matter's `signoffs:` line and every line after it up to (not
 * including) the closing "---" removed.  out holds 72 bytes.
 */
void sup_record_digest(char out[72], const char *text, size_t len);

/* Where each party stands with their sign-off. */
enum sup_party_state {
	SUP_PARTY_UNSIGNED,
	SUP_PARTY_SIGNED,	/* a sign-off whose digest matches */
	SUP_PARTY_DISPUTED,	/* signed, matching, with a dispute */
	SUP_PARTY_STALE		/* signed, but the record changed since */
};

#define SUP_MAX_PARTIES 64

struct sup_signstate {
	char digest[72];	/* of the record as it is */
	size_t n;
	const char *id[SUP_MAX_PARTIES];
	const char *role[SUP_MAX_PARTIES];
	int must[SUP_MAX_PARTIES];
	enum sup_party_state state[SUP_MAX_PARTIES];
	const struct sup_signoff *signoff[SUP_MAX_PARTIES];	/* latest by them */
	int complete;		/* every party who must sign has a current sign-off */
	int stale, disputed;	/* any */
};

/* Work out the sign-off state of a record (the pointers point into rec). */
void sup_record_signstate(struct sup_signstate *st, const struct sup_record *rec);
/* "signed", "disputed", "stale", or "awaiting ID, ID"; into out. */
void sup_signstate_summary(struct sup_buf *out, const struct sup_signstate *st);

/* The path for an id: records/<yyyy>/<id>.md; caller frees. */
char *sup_record_path(const char *id);

/*
 * Replace the front matter of a record with tree (emitted canonically),
 * keeping the body; the result is appended to out.
 */
void sup_record_rewrite(struct sup_buf *out, const struct sup_record *rec,
			const struct sup_node *tree);

#endif
