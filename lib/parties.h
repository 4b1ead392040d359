/*
 * parties: which records each person is a party of, at a records tree.
 *
 * A command about one person (sup list --supervisee, sup new --with)
 * needs that person's records, not the 100,000 others: reading every
 * records/<yyyy> tree and looking at every record's summary was most of
 * such a command on a large repository.  The answer is kept in a derived,
 * disposable file, .git/sup/cache/parties, keyed by the id of the
 * records/ tree it describes; when the tree has moved on, only the files
 * that differ between the two trees are looked at (sup_tree_changes), and
 * the file is written again.  Deleting it changes no answer.
 *
 * A person is a party of a record when sup_record_peek() says so: its
 * supervisor, supervisee, an attendee, the outgoing or the incoming
 * worker.  A record that does not parse belongs to no one and so is given
 * to every asker, who parses it and reports it, as without the index.
 */
#ifndef SUP_PARTIES_H
#define SUP_PARTIES_H

#include "record.h"
#include "records.h"

/* One file of an indexed directory. */
struct sup_party_file {
	char *path;
	struct sup_oid blob;
};

/* What is indexed: the files under dir that is_file() takes, each with
 * the people people() names (through add); a file with none (one that
 * does not parse) is given to everyone. */
struct sup_parties_kind {
	const char *dir;		/* "records", "cases" */
	const char *cache;		/* the file under .git/sup/cache */
	int (*is_file)(const char *path);
	int (*people)(void *ctx, const char *path, const struct sup_oid *blob,
		      sup_person_fn add, void *payload);
	void *ctx;
};

/* The files of kind at commit that person is one of the people of, and
 * those of no one, in no set order; free with sup_party_files_free(). */
int sup_parties_of(struct sup_party_file **out, size_t *n, struct sup_store *s,
		   const struct sup_oid *commit, const struct sup_parties_kind *kind,
		   const char *person);
void sup_party_files_free(struct sup_party_file *f, size_t n);

/*
 * The records at commit that person is a party of (and any that do not
 * parse), as an index like sup_records_index() builds (sorted by id;
 * release with sup_records_release()).
 */
int sup_records_of(struct sup_records *out, struct sup_store *s,
		   const struct sup_oid *commit, const char *person);

#endif
