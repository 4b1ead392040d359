/*
 * gen: write a realistic supervision records repository, for benchmarks.
 *
 *	gen --size tiny|small|medium|large [--seed N] [--templates DIR]
 *	    [--check] --out DIR
 *
 * Models a children's services workforce: a director, heads of service,
 * team managers, practitioners, ASYE social workers, students and DSLs in
 * a supervision hierarchy, with starters, leavers, long absences and
 * changes of supervisor (handovers); caseloads of about 16 open cases per
 * practitioner, opened and closed through weekly case imports; and years
 * of one-to-one sessions on each role's frequency (some late, some missed,
 * some never signed, some disputed), yearly supervision agreements,
 * quarterly group supervision and management oversight notes.
 *
 * Every record is created by its author and then signed by each party in
 * commits of their own, in time order, each commit signed in-process with
 * that person's own Ed25519 key in the SSHSIG format git uses, so that
 * stock `git verify-commit` accepts them.  Everything derives from the
 * seed: the same seed and size give the same repository, commit ids
 * included.
 *
 * Writes DIR/repo (the repository) and DIR/keys/<id> (each person's
 * OpenSSH private key, and <id>.pub), and prints statistics.
 */
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "dates.h"
#include "error.h"
#include "frontmatter.h"
#include "record.h"
#include "register.h"
#include "sshsig.h"
#include "store.h"
#include "util.h"

static const char usage_str[] =
	"usage: gen --size tiny|small|medium|large [--seed n] [--templates dir]\n"
	"           [--check] --out dir";

/* ---- deterministic randomness (splitmix64 / xoshiro256**) ---- */

static uint64_t S_rng[4];

static uint64_t S_splitmix(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static uint64_t S_rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

static uint64_t S_next(void)
{
	uint64_t r = S_rotl(S_rng[1] * 5, 7) * 9, t = S_rng[1] << 17;

	S_rng[2] ^= S_rng[0];
	S_rng[3] ^= S_rng[1];
	S_rng[1] ^= S_rng[2];
	S_rng[0] ^= S_rng[3];
	S_rng[2] ^= t;
	S_rng[3] = S_rotl(S_rng[3], 45);
	return r;
}

/* 0 <= r < n */
static int S_rand(int n)
{
	return n <= 1 ? 0 : (int)(S_next() % (uint64_t)n);
}

/* lo <= r <= hi */
static int S_between(int lo, int hi)
{
	return lo + S_rand(hi - lo + 1);
}

/* true with probability p */
static int S_chance(double p)
{
	return (double)(S_next() >> 11) * (1.0 / 9007199254740992.0) < p;
}

static const char *S_pick(const char *const *a, size_t n)
{
	return a[S_rand((int)n)];
}

#define PICK(a) S_pick((a), sizeof(a) / sizeof((a)[0]))

/* ---- words ---- */

static const char *const S_first[] = {
	"Aisha", "Ben", "Chloe", "Daniel", "Ella", "Farah", "George", "Hannah",
	"Imran", "Jade", "Kieran", "Laura", "Mohammed", "Nadia", "Oliver", "Priya",
	"Rachel", "Sam", "Tom", "Uma", "Victoria", "Will", "Yasmin", "Zoe",
	"Amir", "Beth", "Callum", "Deborah", "Emeka", "Fiona", "Grace", "Harry",
	"Joanne", "Kwame", "Lucy", "Marcus", "Natalie", "Owen", "Paula", "Ruth",
	"Sophie", "Tariq", "Amy", "Bilal", "Claire", "Dev", "Eve", "Femi",
};
static const char *const S_last[] = {
	"Smith", "Jones", "Khan", "Taylor", "Brown", "Williams", "Wilson", "Evans",
	"Patel", "Thomas", "Roberts", "Walker", "Wright", "Robinson", "Hughes",
	"Edwards", "Green", "Hall", "Wood", "Harris", "Lewis", "Martin", "Jackson",
	"Clarke", "Clark", "Turner", "Hill", "Scott", "Cooper", "Morris", "Ward",
	"Moore", "King", "Watson", "Baker", "Harrison", "Morgan", "Young", "Allen",
	"Mitchell", "Anderson", "Okafor", "Begum", "Ali", "Hussain", "Nowak",
	"Kowalski", "Mensah", "Adeyemi", "Shah", "Ahmed", "Murphy", "Kelly",
	"Campbell", "Stewart", "Bennett", "Price", "Bailey", "Lloyd", "Davies",
};
static const char *const S_rooms[] = {
	"Room 4", "Room 2", "Meeting room 1", "Team room", "Teams (remote)",
	"Family centre, room 3", "Quiet room", "Room 7",
};
static const char *const S_decisions[] = {
	"Keep to the child protection plan; review at the next core group",
	"Step down to child in need; agree the plan with the family",
	"Convene a strategy discussion if there is no progress by the review",
	"Continue weekly visits and see the child alone each time",
	"Legal planning meeting to consider pre-proceedings",
	"Ask the school for an attendance and wellbeing update",
	"Refer to the family support service for parenting work",
	"Update the assessment with the health visitor's view",
	"Plan the transition to the leaving care team",
	"Close the case with a clear safety plan and signposting",
	"Request a family group conference",
	"Review the contact arrangements with the independent reviewing officer",
};
static const char *const S_action_texts[] = {
	"Book the core group", "Update the chronology", "Visit and see the child alone",
	"Send the assessment to the family", "Chase the school report",
	"Arrange the family group conference", "Complete the case summary",
	"Book a place on the court skills course", "Read the practice guidance on neglect",
	"Write up the direct work session", "Agree the contact plan with the carers",
	"Share the plan with the health visitor",
};
static const char *const S_para[] = {
	"Workload and the most worrying cases first; then learning from the month.",
	"We agreed which cases to look at in depth and which to update briefly.",
	"Visits, assessments and recording are up to date; two reviews are due.",
	"The plan is making a difference to the child's day: school attendance is up.",
	"The child was seen alone and said that things are calmer at home.",
	"We tested the evidence for the current view and looked for drift.",
	"Feedback from the family was positive about the direct work.",
	"Discussed the emotional impact of a difficult visit and the support available.",
	"Offered; nothing raised.",
	"Booked onto the court skills course; reading on contextual safeguarding.",
	"Capacity is stretched this month; agreed what can wait.",
	"Good practice to recognise in the chronology and the analysis.",
	"Agreed to bring the case back to the next session with the school's update.",
	"The worries are about neglect; the family agree with the plan.",
};

enum role { R_PRACT, R_ASYE, R_STUDENT, R_DSL, R_MANAGER };
static const char *const S_role_names[] = {
	"practitioner", "asye", "student", "dsl", "manager"
};

/* ---- the organisation ---- */

struct person {
	struct sup_staff st;	/* as in the register */
	enum role role;
	int level;		/* 0 director, 1 head, 2 team manager, 3 worker */
	int sup;		/* supervisor, -1 none */
	int team;		/* team manager's index for workers, -1 else */
	int active;		/* in the register and in post */
	int leaving;		/* leaving has been arranged */
	sup_date left;
	unsigned char seed[32];
	sup_date next_due, next_oversight, next_group;
	sup_date contract_date;	/* last contract with contract_sup */
	int contract_sup;
	sup_date absent_to;	/* within an absence until this date */
	char **open_actions;	/* "<record>#<n>" */
	size_t nopen;
	int *cases;		/* open cases, in ref order */
	int ncases, capcases;
	int successor;		/* who takes over as supervisor, -1 */
	sup_date last_session;
};

struct kase {
	struct sup_case c;
	int worker;
	sup_date close_on;
	int open;
};

struct size_spec {
	const char *name;
	int staff, years;
};

static const struct size_spec S_sizes[] = {
	{ "tiny", 8, 1 }, { "small", 40, 2 }, { "medium", 215, 7 },
	{ "large", 600, 10 },
};

/* a record in the making: its front matter and body, and who is to sign */
struct rec {
	char *id, *path;
	enum sup_record_type type;
	struct sup_buf fm, body;	/* YAML without signoffs, Markdown */
	struct sup_node *signoffs;
	char digest[72];
	int pending;			/* sign events still to come */
};

enum ev_kind { EV_NEW, EV_SIGN, EV_STAFF, EV_CASES, EV_SUPCHANGE, EV_LEAVE };

struct event {
	int64_t t;
	uint32_t seq;
	enum ev_kind kind;
	int rec, who, arg;
	int dispute;
};

static struct {
	struct person *p;
	size_t np, capp;
	struct kase *k;
	size_t nk, capk;
	struct rec **recs;
	size_t nrecs, caprecs;
	char **ids;			/* every record id used */
	size_t nids, capids;
	struct event *heap;
	size_t nheap, capheap;
	uint32_t seq;
	struct sup_bulk *bulk;
	struct sup_holidays hol;
	sup_date start, end, today;
	int admin;
	int check;
	const char *templates;
	struct sup_buf tmpl[5];
	size_t ncommits, nrecords, nsigned, nunsigned, ndisputed, nlate, nmissed;
	size_t nstarters, nleavers, nabsences, nhandovers, ncase_imports;
	size_t type_count[5];
	int *pending_cases;		/* case indices changed since the import */
	size_t npending, cappending;
	uint64_t seedval;
} G;

static void S_die(const char *what)
{
	fprintf(stderr, "gen: %s: %s\n", what, sup_error_last());
	exit(2);
}

/* ---- time ---- */

static int64_t S_epoch_day;

static int64_t S_time(sup_date d, int minute)
{
	return ((int64_t)d - S_epoch_day) * 86400 + (int64_t)minute * 60;
}

static sup_date S_day_of(int64_t t)
{
	return (sup_date)(t / 86400 + S_epoch_day);
}

static sup_date S_working(sup_date d)
{
	while (!sup_is_working_day(&G.hol, d))
		d++;
	return d;
}

/* ---- events ---- */

static int S_ev_less(const struct event *a, const struct event *b)
{
	return a->t < b->t || (a->t == b->t && a->seq < b->seq);
}

static void S_push(struct event e)
{
	size_t i;

	e.seq = G.seq++;
	if (G.nheap == G.capheap) {
		G.capheap = G.capheap ? G.capheap * 2 : 1024;
		G.heap = sup_xrealloc(G.heap, G.capheap * sizeof(*G.heap));
	}
	i = G.nheap++;
	while (i > 0 && S_ev_less(&e, &G.heap[(i - 1) / 2])) {
		G.heap[i] = G.heap[(i - 1) / 2];
		i = (i - 1) / 2;
	}
	G.heap[i] = e;
}

static struct event S_pop(void)
{
	struct event top = G.heap[0], last = G.heap[--G.nheap];
	size_t i = 0;

	for (;;) {
		size_t c = 2 * i + 1;

		if (c >= G.nheap)
			break;
		if (c + 1 < G.nheap && S_ev_less(&G.heap[c + 1], &G.heap[c]))
			c++;
		if (!S_ev_less(&G.heap[c], &last))
			break;
		G.heap[i] = G.heap[c];
		i = c;
	}
	if (G.nheap)
		G.heap[i] = last;
	return top;
}

static void S_event(int64_t t, enum ev_kind kind, int rec, int who, int arg)
{
	struct event e;

	memset(&e, 0, sizeof(e));
	e.t = t;
	e.kind = kind;
	e.rec = rec;
	e.who = who;
	e.arg = arg;
	S_push(e);
}

/* ---- keys ---- */

static const char S_b64[] =
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static void S_base64(struct sup_buf *out, const unsigned char *p, size_t n)
{
	size_t i;

	for (i = 0; i + 2 < n; i += 3) {
		sup_buf_putc(out, S_b64[p[i] >> 2]);
		sup_buf_putc(out, S_b64[((p[i] & 3) << 4) | (p[i + 1] >> 4)]);
		sup_buf_putc(out, S_b64[((p[i + 1] & 15) << 2) | (p[i + 2] >> 6)]);
		sup_buf_putc(out, S_b64[p[i + 2] & 63]);
	}
	if (n - i == 1) {
		sup_buf_putc(out, S_b64[p[i] >> 2]);
		sup_buf_putc(out, S_b64[(p[i] & 3) << 4]);
		sup_buf_puts(out, "==");
	} else if (n - i == 2) {
		sup_buf_putc(out, S_b64[p[i] >> 2]);
		sup_buf_putc(out, S_b64[((p[i] & 3) << 4) | (p[i + 1] >> 4)]);
		sup_buf_putc(out, S_b64[(p[i + 1] & 15) << 2]);
		sup_buf_putc(out, '=');
	}
}

static void S_u32(struct sup_buf *b, uint32_t v)
{
	unsigned char x[4] = { (unsigned char)(v >> 24), (unsigned char)(v >> 16),
			       (unsigned char)(v >> 8), (unsigned char)v };

	sup_buf_put(b, x, 4);
}

static void S_sshstr(struct sup_buf *b, const void *p, size_t n)
{
	S_u32(b, (uint32_t)n);
	sup_buf_put(b, p, n);
}

/* An unencrypted OpenSSH private key file for an Ed25519 seed, as
 * ssh-keygen writes it (PROTOCOL.key), so that git and ssh-keygen can sign
 * as this person. */
static void S_write_keys(const char *dir, const struct person *p,
			 const struct sup_sshkey *k)
{
	struct sup_buf blob = SUP_BUF_INIT, priv = SUP_BUF_INIT, text = SUP_BUF_INIT;
	unsigned char secret[64];
	const unsigned char *pub = k->blob + k->len - 32;
	uint32_t check = (uint32_t)(S_next() >> 32);
	char *path, *comment = sup_xasprintf("%s@bench", p->st.id);
	size_t i;
	int pad;

	memcpy(secret, p->seed, 32);
	memcpy(secret + 32, pub, 32);
	sup_buf_put(&blob, "openssh-key-v1", 15);
	S_sshstr(&blob, "none", 4);
	S_sshstr(&blob, "none", 4);
	S_sshstr(&blob, "", 0);
	S_u32(&blob, 1);
	S_sshstr(&blob, k->blob, k->len);
	S_u32(&priv, check);
	S_u32(&priv, check);
	S_sshstr(&priv, "ssh-ed25519", 11);
	S_sshstr(&priv, pub, 32);
	S_sshstr(&priv, secret, 64);
	S_sshstr(&priv, comment, strlen(comment));
	for (pad = 1; priv.len % 8; pad++)
		sup_buf_putc(&priv, pad);
	S_sshstr(&blob, priv.ptr, priv.len);
	sup_buf_truncate(&priv, 0);
	S_base64(&priv, (const unsigned char *)blob.ptr, blob.len);
	sup_buf_puts(&text, "-----BEGIN OPENSSH PRIVATE KEY-----\n");
	for (i = 0; i < priv.len; i += 70) {
		sup_buf_put(&text, priv.ptr + i, priv.len - i < 70 ? priv.len - i : 70);
		sup_buf_putc(&text, '\n');
	}
	sup_buf_puts(&text, "-----END OPENSSH PRIVATE KEY-----\n");
	path = sup_xasprintf("%s/%s", dir, p->st.id);
	if (sup_write_file(path, text.ptr, text.len) < 0)
		S_die(path);
	chmod(path, 0600);
	free(path);
	path = sup_xasprintf("%s/%s.pub", dir, p->st.id);
	sup_buf_truncate(&text, 0);
	sup_buf_printf(&text, "%s\n", p->st.keys[0]);
	if (sup_write_file(path, text.ptr, text.len) < 0)
		S_die(path);
	free(path);
	free(comment);
	sup_buf_release(&blob);
	sup_buf_release(&priv);
	sup_buf_release(&text);
}

/* ---- people ---- */

static const char *S_keydir;

static int S_new_person(enum role role, int level, int sup, int team,
			sup_date started)
{
	struct person *p;
	const char *first = PICK(S_first), *last = PICK(S_last);
	char id[64], *lower;
	struct sup_sshkey key;
	struct sup_buf line = SUP_BUF_INIT;
	uint64_t ks;
	size_t i, k, n;
	int idx, suffix = 1;

	if (G.np == G.capp) {
		G.capp = G.capp ? G.capp * 2 : 64;
		G.p = sup_xrealloc(G.p, G.capp * sizeof(*G.p));
	}
	idx = (int)G.np++;
	p = &G.p[idx];
	memset(p, 0, sizeof(*p));
	lower = sup_xasprintf("%c%s", first[0], last);
	for (i = 0; lower[i]; i++)
		lower[i] = (char)(lower[i] >= 'A' && lower[i] <= 'Z' ? lower[i] + 32 : lower[i]);
	for (;;) {
		if (suffix == 1)
			snprintf(id, sizeof(id), "%s", lower);
		else
			snprintf(id, sizeof(id), "%s%d", lower, suffix);
		for (k = 0; k < (size_t)idx; k++)
			if (!strcmp(G.p[k].st.id, id))
				break;
		if (k == (size_t)idx)
			break;
		suffix++;
	}
	free(lower);
	p->st.id = sup_xstrdup(id);
	p->st.name = sup_xasprintf("%s %s", first, last);
	if (suffix == 1)
		p->st.email = sup_xasprintf("%s.%s@example.org", first, last);
	else
		p->st.email = sup_xasprintf("%s.%s%d@example.org", first, last, suffix);
	for (i = 0; p->st.email[i]; i++)
		if (p->st.email[i] >= 'A' && p->st.email[i] <= 'Z')
			p->st.email[i] = (char)(p->st.email[i] + 32);
	p->st.role = sup_xstrdup(S_role_names[role]);
	p->st.started = started;
	p->st.phase_start = role == R_ASYE || role == R_STUDENT ? started : SUP_DATE_NONE;
	p->st.left = SUP_DATE_NONE;
	p->st.supervisor = sup >= 0 ? sup_xstrdup(G.p[sup].st.id) : NULL;
	p->st.supervisor_trained = SUP_DATE_NONE;
	if (level <= 2 && (level < 2 || S_chance(0.95)))
		p->st.supervisor_trained = started - S_between(30, 2000);
	p->role = role;
	p->level = level;
	p->sup = sup;
	p->team = team;
	p->left = SUP_DATE_NONE;
	p->contract_sup = -1;
	p->successor = -1;
	p->contract_date = SUP_DATE_NONE;
	p->absent_to = SUP_DATE_NONE;
	p->last_session = SUP_DATE_NONE;
	/* the key: from the seed and the person's number, not the stream */
	ks = G.seedval ^ (0x51ed270b27a3c5e1ULL * (uint64_t)(idx + 1));
	for (n = 0; n < 32; n += 8) {
		uint64_t v = S_splitmix(&ks);

		memcpy(p->seed + n, &v, 8);
	}
	if (sup_sshkey_from_ed25519_seed(&key, p->seed) < 0)
		S_die("key");
	sup_sshkey_format(&line, &key);
	sup_buf_printf(&line, " %s@bench", p->st.id);
	p->st.keys = sup_xcalloc(1, sizeof(char *));
	p->st.keys[0] = sup_buf_detach(&line);
	p->st.nkeys = 1;
	S_write_keys(S_keydir, p, &key);
	sup_sshkey_release(&key);
	return idx;
}

static int S_freq_days(const struct person *p, sup_date d)
{
	sup_date ph = p->st.phase_start != SUP_DATE_NONE ? p->st.phase_start : p->st.started;
	int since = d - ph;

	switch (p->role) {
	case R_PRACT: return 28;
	case R_DSL: case R_MANAGER: return 42;
	case R_STUDENT: return since < 42 ? 7 : 14;
	case R_ASYE: return since < 42 ? 7 : since < 182 ? 14 : 28;
	}
	return 28;
}

static const char *S_freq_text(const struct person *p, sup_date d)
{
	switch (S_freq_days(p, d)) {
	case 7: return "1 week";
	case 14: return "2 weeks";
	case 42: return "6 weeks";
	default: return "4 weeks";
	}
}

/* ---- commits ---- */

struct signer {
	const struct person *p;
};

static int S_sign(struct sup_buf *sig, const char *content, size_t len,
		  void *payload)
{
	struct signer *s = payload;

	return sup_sshsig_sign_ed25519(sig, s->p->seed, content, len, "git");
}

static void S_commit(int who, int64_t t, const char *subject, const char *record,
		     const char *action)
{
	struct sup_commit_opts o;
	struct sup_buf msg = SUP_BUF_INIT;
	struct signer s;
	struct sup_oid oid;

	memset(&o, 0, sizeof(o));
	s.p = &G.p[who];
	sup_buf_printf(&msg, "sup: %s\n\n", subject);
	if (record)
		sup_buf_printf(&msg, "Sup-Record: %s\n", record);
	sup_buf_printf(&msg, "Sup-Action: %s\nSup-Actor: %s\n", action, G.p[who].st.id);
	o.author.name = o.committer.name = G.p[who].st.name;
	o.author.email = o.committer.email = G.p[who].st.email;
	o.author.when = o.committer.when = (time_t)t;
	o.message = msg.ptr;
	o.sign = S_sign;
	o.payload = &s;
	if (sup_bulk_commit(&oid, G.bulk, &o) < 0)
		S_die("commit");
	G.ncommits++;
	sup_buf_release(&msg);
}

static void S_put_staff(const struct person *p)
{
	struct sup_buf text = SUP_BUF_INIT;
	char *path = sup_staff_path(p->st.id);

	sup_staff_emit(&text, &p->st);
	if (sup_bulk_put(G.bulk, path, text.ptr, text.len) < 0)
		S_die(path);
	free(path);
	sup_buf_release(&text);
}

static void S_put_case(const struct kase *k)
{
	struct sup_buf text = SUP_BUF_INIT;
	char *path = sup_case_path(k->c.ref);

	sup_case_emit(&text, &k->c);
	if (sup_bulk_put(G.bulk, path, text.ptr, text.len) < 0)
		S_die(path);
	free(path);
	sup_buf_release(&text);
}

static void S_case_changed(int k)
{
	if (G.npending == G.cappending) {
		G.cappending = G.cappending ? G.cappending * 2 : 256;
		G.pending_cases = sup_xrealloc(G.pending_cases,
					       G.cappending * sizeof(int));
	}
	G.pending_cases[G.npending++] = k;
}

/* ---- records ---- */

static char *S_record_id(const char *base)
{
	char *id = sup_xstrdup(base);
	size_t i;
	int k = 2;

again:
	/* ids are new per day, so look only at the recent end */
	for (i = G.nids; i > 0 && i + 4000 > G.nids; i--)
		if (!strcmp(G.ids[i - 1], id)) {
			free(id);
			id = sup_xasprintf("%s-%d", base, k++);
			goto again;
		}
	if (G.nids == G.capids) {
		G.capids = G.capids ? G.capids * 2 : 1024;
		G.ids = sup_xrealloc(G.ids, G.capids * sizeof(char *));
	}
	G.ids[G.nids++] = sup_xstrdup(id);
	return id;
}

static void S_date_node(struct sup_node *map, const char *key, sup_date d)
{
	char buf[11];

	sup_date_format(buf, d);
	sup_node_set_plain(map, key, buf);
}

static void S_text(struct sup_buf *b, const char *heading)
{
	sup_buf_printf(b, "## %s\n%s\n\n", heading, PICK(S_para));
}

static struct rec *S_rec_new(const char *id, enum sup_record_type type)
{
	struct rec *r = sup_xcalloc(1, sizeof(*r));

	r->id = sup_xstrdup(id);
	r->path = sup_record_path(id);
	r->type = type;
	r->signoffs = sup_node_new_seq();
	return r;
}

static void S_rec_text(struct sup_buf *out, const struct rec *r)
{
	sup_buf_puts(out, "---\n");
	sup_buf_put(out, r->fm.ptr, r->fm.len);
	if (r->signoffs->n) {
		struct sup_node *wrap = sup_node_new_map();

		sup_node_set(wrap, "signoffs", sup_node_dup(r->signoffs));
		sup_yaml_emit(out, wrap);
		sup_node_free(wrap);
	}
	sup_buf_puts(out, "---\n");
	sup_buf_put(out, r->body.ptr, r->body.len);
}

/* Parse what was written and run sup's completeness check on it. */
static void S_rec_check(const struct rec *r, const char *text, size_t len)
{
	struct sup_record *rec = NULL;
	const struct sup_buf *t = &G.tmpl[r->type];

	if (sup_record_parse(&rec, text, len, r->path, 0) < 0 ||
	    sup_record_complete(rec, t->ptr, t->len) < 0) {
		sup_perror("gen");
		fprintf(stderr, "%.*s\n", (int)len, text);
		exit(2);
	}
	sup_record_free(rec);
}

static int S_rec_add(struct rec *r, struct sup_node *fm)
{
	struct sup_buf text = SUP_BUF_INIT;

	sup_yaml_emit(&r->fm, fm);
	sup_node_free(fm);
	S_rec_text(&text, r);
	sup_record_digest(r->digest, text.ptr, text.len);
	if (G.check)
		S_rec_check(r, text.ptr, text.len);
	sup_buf_release(&text);
	if (G.nrecs == G.caprecs) {
		G.caprecs = G.caprecs ? G.caprecs * 2 : 1024;
		G.recs = sup_xrealloc(G.recs, G.caprecs * sizeof(*G.recs));
	}
	G.recs[G.nrecs] = r;
	G.nrecords++;
	G.type_count[r->type]++;
	return (int)G.nrecs++;
}

static void S_rec_free(struct rec *r)
{
	free(r->id);
	free(r->path);
	sup_buf_release(&r->fm);
	sup_buf_release(&r->body);
	sup_node_free(r->signoffs);
	free(r);
}

/* When the record is committed (working days after the meeting), and the
 * sign-offs after it. */
static int64_t S_when_written(sup_date meeting, int late)
{
	int wd = late ? S_between(6, 15) : S_between(0, 3);
	sup_date d = wd ? sup_add_working_days(&G.hol, meeting, wd) : meeting;

	return S_time(d, wd ? S_between(8 * 60 + 30, 17 * 60 + 30) :
		      S_between(14 * 60, 18 * 60));
}

static int64_t S_later(int64_t t, int lo, int hi)
{
	sup_date d = S_day_of(t);
	int wd = S_between(lo, hi);

	if (wd == 0)
		return t + S_between(5, 90) * 60;
	d = sup_add_working_days(&G.hol, d, wd);
	return S_time(d, S_between(8 * 60 + 30, 17 * 60 + 30));
}

static void S_sign_event(int rec, int who, int64_t t, int dispute, int nth)
{
	struct event e;

	memset(&e, 0, sizeof(e));
	e.t = t;
	e.kind = EV_SIGN;
	e.rec = rec;
	e.who = who;
	e.dispute = dispute;
	e.arg = nth;
	G.recs[rec]->pending++;
	S_push(e);
}

/* The open cases of a person, in ref order (a copy). */
static size_t S_cases_of(int **out, int who)
{
	const struct person *p = &G.p[who];
	int *v = sup_xcalloc((size_t)p->ncases + 1, sizeof(int));

	memcpy(v, p->cases, (size_t)p->ncases * sizeof(int));
	*out = v;
	return (size_t)p->ncases;
}

static void S_give(int who, int k)
{
	struct person *p = &G.p[who];
	int i;

	if (p->ncases == p->capcases) {
		p->capcases = p->capcases ? p->capcases * 2 : 32;
		p->cases = sup_xrealloc(p->cases, (size_t)p->capcases * sizeof(int));
	}
	for (i = p->ncases; i > 0 && p->cases[i - 1] > k; i--)
		p->cases[i] = p->cases[i - 1];
	p->cases[i] = k;
	p->ncases++;
}

static void S_take(int who, int k)
{
	struct person *p = &G.p[who];
	int i;

	for (i = 0; i < p->ncases; i++)
		if (p->cases[i] == k) {
			memmove(&p->cases[i], &p->cases[i + 1],
				(size_t)(p->ncases - i - 1) * sizeof(int));
			p->ncases--;
			return;
		}
}

static struct sup_node *S_cases_node(const int *cases, size_t n, sup_date d)
{
	struct sup_node *seq = sup_node_new_seq();
	size_t i;

	for (i = 0; i < n; i++) {
		struct sup_node *c = sup_node_new_map();

		sup_node_set_str(c, "ref", G.k[cases[i]].c.ref);
		sup_node_set_str(c, "decision", PICK(S_decisions));
		S_date_node(c, "review", d + S_between(14, 42));
		sup_node_append(seq, c);
	}
	return seq;
}

static void S_meeting_fields(struct sup_node *fm, const char *supervisor)
{
	static const char *const starts[] = { "09:30", "10:00", "11:00", "13:30", "14:00", "15:00" };
	static const char *const mins[] = { "60", "75", "90", "90", "120" };

	sup_node_set_str(fm, "start", PICK(starts));
	sup_node_set_plain(fm, "minutes", PICK(mins));
	if (supervisor)
		sup_node_set_str(fm, "supervisor", supervisor);
}

/* A one-to-one session of person `see` with their supervisor on date d. */
static int S_make_session(int see, sup_date d)
{
	struct person *p = &G.p[see];
	const char *sor = G.p[p->sup].st.id;
	char date[11], *base, *id;
	struct sup_node *fm = sup_node_new_map(), *seq, *a;
	struct rec *r;
	int *cases, nact, k;
	size_t nc, i, keep;
	char **still = NULL;
	size_t nstill = 0;

	sup_date_format(date, d);
	base = sup_xasprintf("%s-%s", date, p->st.id);
	id = S_record_id(base);
	free(base);
	r = S_rec_new(id, SUP_REC_SESSION);
	sup_node_set_str(fm, "id", id);
	sup_node_set_plain(fm, "type", "session");
	sup_node_set_plain(fm, "date", date);
	S_meeting_fields(fm, sor);
	sup_node_set_str(fm, "supervisee", p->st.id);
	sup_node_set_str(fm, "location", PICK(S_rooms));
	seq = sup_node_new_seq();
	seq->flow = 1;
	if (S_chance(0.88)) {
		sup_node_append(seq, sup_node_new_scalar("performance", SUP_STYLE_STRING));
		sup_node_append(seq, sup_node_new_scalar("development", SUP_STYLE_STRING));
		sup_node_append(seq, sup_node_new_scalar("support", SUP_STYLE_STRING));
	} else {
		sup_node_append(seq, sup_node_new_scalar("performance", SUP_STYLE_STRING));
		sup_node_append(seq, sup_node_new_scalar(S_chance(0.5) ? "support" :
							 "development", SUP_STYLE_STRING));
	}
	sup_node_set(fm, "functions", seq);
	nc = S_cases_of(&cases, see);
	sup_node_set(fm, "cases", S_cases_node(cases, nc, d));
	/* earlier actions: done, carried or dropped */
	seq = sup_node_new_seq();
	for (i = 0; i < p->nopen; i++) {
		int roll = S_rand(10);
		const char *status = roll < 7 ? "done" : roll < 9 ? "carried" : "dropped";

		a = sup_node_new_map();
		a->flow = 1;
		sup_node_set_str(a, "action", p->open_actions[i]);
		sup_node_set_plain(a, "status", status);
		sup_node_append(seq, a);
		if (!strcmp(status, "carried")) {
			still = sup_xrealloc(still, (nstill + 1) * sizeof(char *));
			still[nstill++] = p->open_actions[i];
		} else {
			free(p->open_actions[i]);
		}
	}
	free(p->open_actions);
	p->open_actions = still;
	p->nopen = nstill;
	sup_node_set(fm, "reviewed_actions", seq);
	seq = sup_node_new_seq();
	nact = S_between(1, 3);
	keep = p->nopen;
	for (k = 1; k <= nact; k++) {
		char n[8];

		a = sup_node_new_map();
		a->flow = 1;
		snprintf(n, sizeof(n), "%d", k);
		sup_node_set_plain(a, "n", n);
		sup_node_set_str(a, "text", PICK(S_action_texts));
		sup_node_set_str(a, "owner", k == 3 ? sor : p->st.id);
		S_date_node(a, "due", d + S_between(7, 28));
		if (nc && S_chance(0.5))
			sup_node_set_str(a, "case", G.k[cases[S_rand((int)nc)]].c.ref);
		sup_node_append(seq, a);
		p->open_actions = sup_xrealloc(p->open_actions, (keep + 1) * sizeof(char *));
		p->open_actions[keep++] = sup_xasprintf("%s#%d", id, k);
	}
	p->nopen = keep;
	sup_node_set(fm, "actions", seq);
	S_date_node(fm, "next_session", d + S_freq_days(p, d));
	/* the body */
	S_text(&r->body, "Agenda");
	sup_buf_printf(&r->body, "## Review of previous actions\n%s\n\n",
		       fm && sup_node_get(fm, "reviewed_actions")->n ?
		       "Went through the actions listed above." : "None.");
	sup_buf_puts(&r->body, "## Case discussions\n");
	if (!nc)
		sup_buf_puts(&r->body, "No open cases.\n");
	for (i = 0; i < nc; i++)
		sup_buf_printf(&r->body, "### %s\n%s\n", G.k[cases[i]].c.ref, PICK(S_para));
	sup_buf_putc(&r->body, '\n');
	S_text(&r->body, "Performance and practice");
	S_text(&r->body, "Professional development");
	S_text(&r->body, "Personal support and wellbeing");
	sup_buf_puts(&r->body, "## Supervisee's comments\n");
	if (S_chance(0.2))
		sup_buf_printf(&r->body, "%s\n", PICK(S_para));
	free(cases);
	free(id);
	p->last_session = d;
	return S_rec_add(r, fm);
}

static int S_make_contract(int see, sup_date d)
{
	struct person *p = &G.p[see];
	char date[11], *base, *id;
	struct sup_node *fm = sup_node_new_map();
	struct rec *r;

	sup_date_format(date, d);
	base = sup_xasprintf("%s-%s-contract", date, p->st.id);
	id = S_record_id(base);
	free(base);
	r = S_rec_new(id, SUP_REC_CONTRACT);
	sup_node_set_str(fm, "id", id);
	sup_node_set_plain(fm, "type", "contract");
	sup_node_set_plain(fm, "date", date);
	S_meeting_fields(fm, G.p[p->sup].st.id);
	sup_node_set_str(fm, "supervisee", p->st.id);
	sup_node_set_str(fm, "location", PICK(S_rooms));
	sup_node_set_str(fm, "frequency", S_freq_text(p, d));
	S_date_node(fm, "review_due", sup_date_add_months(d, 12));
	sup_buf_printf(&r->body, "Supervision agreement between %s (supervisee) and\n%s (supervisor), made on %s.\n\n",
		       p->st.name, G.p[p->sup].st.name, date);
	sup_buf_printf(&r->body, "## Frequency and duration agreed\nEvery %s, 90 minutes, booked three months ahead.\n\n",
		       S_freq_text(p, d));
	S_text(&r->body, "Location and privacy");
	sup_buf_puts(&r->body, "## Confidentiality and its limits\nPrivate but not confidential; records belong to the organisation.\n\n");
	sup_buf_puts(&r->body, "## Recording and sharing of records\n- The supervisor records every session, within the deadline.\n- Both of us read and sign each record.\n\n");
	sup_buf_puts(&r->body, "## Resolving difficulties\nTalk it through first; then the supervisor's line manager.\n\n");
	S_text(&r->body, "Expectations of the supervisor");
	S_text(&r->body, "Expectations of the supervisee");
	sup_buf_printf(&r->body, "## Review date\nBy %s, or sooner if either of us changes role.\n",
		       date);
	p->contract_date = d;
	p->contract_sup = p->sup;
	free(id);
	return S_rec_add(r, fm);
}

static int S_make_oversight(int see, sup_date d, int kase)
{
	struct person *p = &G.p[see];
	char date[11], *base, *id, n[4] = "1";
	struct sup_node *fm = sup_node_new_map(), *seq, *a;
	struct rec *r;

	sup_date_format(date, d);
	base = sup_xasprintf("%s-%s-oversight", date, p->st.id);
	id = S_record_id(base);
	free(base);
	r = S_rec_new(id, SUP_REC_OVERSIGHT);
	sup_node_set_str(fm, "id", id);
	sup_node_set_plain(fm, "type", "oversight");
	sup_node_set_plain(fm, "date", date);
	S_meeting_fields(fm, G.p[p->sup].st.id);
	sup_node_set_str(fm, "supervisee", p->st.id);
	sup_node_set_str(fm, "location", PICK(S_rooms));
	sup_node_set_str(fm, "case", G.k[kase].c.ref);
	seq = sup_node_new_seq();
	a = sup_node_new_map();
	a->flow = 1;
	sup_node_set_plain(a, "n", n);
	sup_node_set_str(a, "text", PICK(S_action_texts));
	sup_node_set_str(a, "owner", p->st.id);
	S_date_node(a, "due", d + S_between(3, 14));
	sup_node_set_str(a, "case", G.k[kase].c.ref);
	sup_node_append(seq, a);
	sup_node_set(fm, "actions", seq);
	p->open_actions = sup_xrealloc(p->open_actions, (p->nopen + 1) * sizeof(char *));
	p->open_actions[p->nopen++] = sup_xasprintf("%s#1", id);
	S_text(&r->body, "Context");
	S_text(&r->body, "Discussion");
	S_text(&r->body, "Decision and rationale");
	S_text(&r->body, "Next steps and review");
	free(id);
	return S_rec_add(r, fm);
}

static int S_make_group(int fac, const int *who, size_t n, sup_date d)
{
	struct person *f = &G.p[fac];
	char date[11], *base, *id;
	struct sup_node *fm = sup_node_new_map(), *seq;
	struct rec *r;
	int *cases = NULL;
	size_t nc = 0, i;

	sup_date_format(date, d);
	base = sup_xasprintf("%s-group-%s", date, f->st.id);
	id = S_record_id(base);
	free(base);
	r = S_rec_new(id, SUP_REC_GROUP);
	sup_node_set_str(fm, "id", id);
	sup_node_set_plain(fm, "type", "group");
	sup_node_set_plain(fm, "date", date);
	S_meeting_fields(fm, f->st.id);
	seq = sup_node_new_seq();
	seq->flow = 1;
	for (i = 0; i < n; i++)
		sup_node_append(seq, sup_node_new_scalar(G.p[who[i]].st.id, SUP_STYLE_STRING));
	sup_node_set(fm, "supervisees", seq);
	sup_node_set_str(fm, "location", PICK(S_rooms));
	sup_node_set_plain(fm, "ground_rules_agreed", "true");
	seq = sup_node_new_seq();
	seq->flow = 1;
	sup_node_append(seq, sup_node_new_scalar("development", SUP_STYLE_STRING));
	sup_node_append(seq, sup_node_new_scalar("support", SUP_STYLE_STRING));
	sup_node_set(fm, "functions", seq);
	/* one or two cases presented by the group */
	for (i = 0; i < n && nc < 2; i++) {
		int *mine;
		size_t m = S_cases_of(&mine, who[i]);

		if (m) {
			cases = sup_xrealloc(cases, (nc + 1) * sizeof(int));
			cases[nc++] = mine[S_rand((int)m)];
		}
		free(mine);
	}
	sup_node_set(fm, "cases", S_cases_node(cases, nc, d));
	sup_node_set(fm, "reviewed_actions", sup_node_new_seq());
	sup_node_set(fm, "actions", sup_node_new_seq());
	S_date_node(fm, "next_session", sup_date_add_months(d, 3));
	sup_buf_puts(&r->body, "## Attendees and apologies\nThe team as listed above; no apologies.\n\n");
	sup_buf_puts(&r->body, "## Ground rules and confidentiality agreed\nAgreed as at the last session.\n\n");
	sup_buf_puts(&r->body, "## Cases discussed\n");
	if (!nc)
		sup_buf_puts(&r->body, "No cases presented.\n");
	for (i = 0; i < nc; i++)
		sup_buf_printf(&r->body, "### %s\n%s\n", G.k[cases[i]].c.ref, PICK(S_para));
	sup_buf_putc(&r->body, '\n');
	S_text(&r->body, "Learning and reflection");
	sup_buf_puts(&r->body, "## Actions\nNone for the group.\n");
	free(cases);
	free(id);
	return S_rec_add(r, fm);
}

static int S_make_handover(int see, int from, int to, sup_date d)
{
	struct person *p = &G.p[see];
	char date[11], *base, *id;
	struct sup_node *fm = sup_node_new_map();
	struct rec *r;
	int *cases;
	size_t nc, i;

	sup_date_format(date, d);
	base = sup_xasprintf("%s-%s-handover", date, p->st.id);
	id = S_record_id(base);
	free(base);
	r = S_rec_new(id, SUP_REC_HANDOVER);
	sup_node_set_str(fm, "id", id);
	sup_node_set_plain(fm, "type", "handover");
	sup_node_set_plain(fm, "date", date);
	sup_node_set_str(fm, "from", G.p[from].st.id);
	sup_node_set_str(fm, "to", G.p[to].st.id);
	sup_node_set_str(fm, "supervisee", p->st.id);
	sup_node_set_str(fm, "location", PICK(S_rooms));
	nc = S_cases_of(&cases, see);
	sup_node_set(fm, "cases", S_cases_node(cases, nc, d));
	sup_node_set(fm, "actions", sup_node_new_seq());
	sup_buf_printf(&r->body, "Handover of supervision for %s, %s.\n\n", p->st.name, date);
	sup_buf_printf(&r->body, "## Reason for the change\n%s is leaving the service.\n\n",
		       G.p[from].st.name);
	sup_buf_puts(&r->body, "## Supervisee's current caseload and risks\n");
	if (!nc)
		sup_buf_puts(&r->body, "No open cases.\n");
	for (i = 0; i < nc; i++)
		sup_buf_printf(&r->body, "### %s\n%s\n", G.k[cases[i]].c.ref, PICK(S_para));
	sup_buf_putc(&r->body, '\n');
	sup_buf_puts(&r->body, "## Open actions\nAs listed in the last session record.\n\n");
	S_text(&r->body, "Development and support needs");
	sup_buf_puts(&r->body, "## Agreed arrangements for the first session with the new supervisor\nWithin two weeks, starting with a new supervision agreement.\n");
	free(cases);
	free(id);
	G.nhandovers++;
	return S_rec_add(r, fm);
}

/* Schedule the creation of record rec by author at t, and its sign-offs:
 * the author first, then the others (each with their own chances). */
struct signplan {
	int who;
	double p_sign;		/* signs at all */
	double p_dispute;
};

static void S_schedule(int rec, int author, int64_t t, const struct signplan *plan,
		       size_t n)
{
	int64_t when;
	size_t i;

	S_event(t, EV_NEW, rec, author, 0);
	G.recs[rec]->pending++;
	when = S_later(t, 0, 1);
	for (i = 0; i < n; i++) {
		int late = S_chance(0.05);

		if (!S_chance(plan[i].p_sign)) {
			G.nunsigned++;
			continue;
		}
		S_sign_event(rec, plan[i].who, i == 0 ? when :
			     S_later(when, late ? 11 : 1, late ? 20 : 6),
			     S_chance(plan[i].p_dispute), (int)i);
	}
}

static void S_commit_record(int rec, int author, int64_t t)
{
	struct rec *r = G.recs[rec];
	struct sup_buf text = SUP_BUF_INIT;
	char *subject = sup_xasprintf("new %s", r->id);

	S_rec_text(&text, r);
	if (sup_bulk_put(G.bulk, r->path, text.ptr, text.len) < 0)
		S_die(r->path);
	S_commit(author, t, subject, r->id, "new");
	free(subject);
	sup_buf_release(&text);
}

/* The role of the i-th party of a sign plan (the author is the first). */
static const char *S_role_in(const struct rec *r, int i)
{
	switch (r->type) {
	case SUP_REC_GROUP: return i ? "attendee" : "facilitator";
	case SUP_REC_HANDOVER: return i ? "incoming" : "outgoing";
	default: return i ? "supervisee" : "supervisor";
	}
}

static void S_do_sign(const struct event *e)
{
	struct rec *r = G.recs[e->rec];
	struct person *p = &G.p[e->who];
	struct sup_node *entry = sup_node_new_map();
	struct sup_buf text = SUP_BUF_INIT;
	char at[21], *subject;
	const char *role;

	if (p->active) {
		role = S_role_in(r, e->arg);
		entry->flow = 1;
		sup_node_set_str(entry, "by", p->st.id);
		sup_node_set_str(entry, "role", role);
		sup_timestamp_format(at, (time_t)e->t);
		sup_node_set_plain(entry, "at", at);
		sup_node_set_str(entry, "digest", r->digest);
		if (e->dispute)
			sup_node_set_str(entry, "dispute",
					 "I do not agree with the summary of the case discussion");
		sup_node_append(r->signoffs, entry);
		entry = NULL;
		S_rec_text(&text, r);
		if (G.check)
			S_rec_check(r, text.ptr, text.len);
		if (sup_bulk_put(G.bulk, r->path, text.ptr, text.len) < 0)
			S_die(r->path);
		subject = sup_xasprintf("%s %s", e->dispute ? "dispute" : "sign", r->id);
		S_commit(e->who, e->t, subject, r->id, e->dispute ? "dispute" : "sign");
		free(subject);
		G.nsigned++;
		if (e->dispute)
			G.ndisputed++;
	}
	sup_node_free(entry);
	sup_buf_release(&text);
	if (--r->pending == 0) {
		S_rec_free(r);
		G.recs[e->rec] = NULL;
	}
}

/* ---- the organisation over time ---- */

static int S_present(const struct person *p, sup_date d)
{
	return p->active && (p->absent_to == SUP_DATE_NONE || d > p->absent_to);
}

static void S_staff_commit(int who, int64_t t, const char *verb)
{
	char *subject = sup_xasprintf("staff %s %s", verb, G.p[who].st.id);

	S_put_staff(&G.p[who]);
	S_commit(G.admin, t, subject, NULL, "staff");
	free(subject);
}

static int S_workload_target(const struct person *p)
{
	switch (p->role) {
	case R_PRACT: return 16;
	case R_ASYE: return 10;
	case R_STUDENT: return 4;
	default: return 0;
	}
}

static int S_next_case_ref;

static void S_open_case(int worker, sup_date d)
{
	struct kase *k;
	char ref[32];

	if (G.nk == G.capk) {
		G.capk = G.capk ? G.capk * 2 : 1024;
		G.k = sup_xrealloc(G.k, G.capk * sizeof(*G.k));
	}
	k = &G.k[G.nk];
	memset(k, 0, sizeof(*k));
	snprintf(ref, sizeof(ref), "C-%06d", S_next_case_ref++);
	k->c.ref = sup_xstrdup(ref);
	k->c.worker = sup_xstrdup(G.p[worker].st.id);
	k->c.opened = d - (d == G.start ? S_between(0, 300) : 0);
	k->c.closed = SUP_DATE_NONE;
	k->c.child_protection = S_chance(0.2);
	k->worker = worker;
	k->open = 1;
	k->close_on = d + S_between(60, 540);
	S_give(worker, (int)G.nk);
	S_case_changed((int)G.nk);
	G.nk++;
}

/* A teammate with the smallest caseload, to take over a case. */
static int S_reallocate_to(int from)
{
	int best = -1;
	size_t i;

	for (i = 0; i < G.np; i++) {
		const struct person *q = &G.p[i];

		if ((int)i == from || !q->active || q->leaving || !S_workload_target(q) ||
		    (q->team != G.p[from].team && best >= 0))
			continue;
		if (best < 0 || (q->team == G.p[from].team && G.p[best].team != G.p[from].team) ||
		    (q->team == G.p[best].team && q->ncases < G.p[best].ncases))
			best = (int)i;
	}
	return best;
}

/* The weekly case import: close what is due, reallocate the cases of
 * leavers, give new cases to those below their caseload. */
static void S_case_import(sup_date d)
{
	size_t i, n;
	int64_t t = S_time(d, 7 * 60 + 30);
	char *subject;

	for (i = 0; i < G.nk; i++) {
		struct kase *k = &G.k[i];

		if (!k->open)
			continue;
		if (k->close_on <= d) {
			k->open = 0;
			k->c.closed = d;
			S_take(k->worker, (int)i);
			S_case_changed((int)i);
		} else if (!G.p[k->worker].active || G.p[k->worker].leaving) {
			int to = S_reallocate_to(k->worker);

			if (to < 0)
				continue;
			S_take(k->worker, (int)i);
			k->worker = to;
			free(k->c.worker);
			k->c.worker = sup_xstrdup(G.p[to].st.id);
			S_give(to, (int)i);
			S_case_changed((int)i);
		}
	}
	for (i = 0; i < G.np; i++) {
		struct person *p = &G.p[i];
		int want = S_workload_target(p);

		if (!p->active || p->leaving || p->st.started > d)
			continue;
		while (p->ncases < want && (p->ncases < want - 2 || S_chance(0.5)))
			S_open_case((int)i, d);
	}
	if (!G.npending)
		return;
	for (i = 0, n = 0; i < G.npending; i++) {
		int k = G.pending_cases[i];

		if (k < 0)
			continue;
		S_put_case(&G.k[k]);
		n++;
	}
	G.npending = 0;
	subject = sup_xasprintf("case import %zu case%s", n, n == 1 ? "" : "s");
	S_commit(G.admin, t, subject, NULL, "case");
	free(subject);
	G.ncase_imports++;
}

static int S_hire(enum role role, int level, int sup, int team, sup_date start,
		  int64_t t)
{
	int who;

	while (sup >= 0 && G.p[sup].successor >= 0)
		sup = G.p[sup].successor;
	if (team >= 0 && G.p[team].successor >= 0)
		team = sup;
	who = S_new_person(role, level, sup, team, start);

	G.p[who].active = 1;
	G.p[who].next_due = S_working(start + S_between(5, 25));
	G.p[who].next_oversight = start + S_between(60, 150);
	G.p[who].next_group = start + S_between(20, 90);
	S_staff_commit(who, t, "add");
	G.nstarters++;
	return who;
}

/* Someone decides to leave: their replacement is hired; a supervisor's
 * supervisees are handed over to the replacement before the last day. */
static void S_leave(int who, sup_date d)
{
	struct person *p = &G.p[who];
	sup_date last = S_working(d + S_between(20, 40));
	enum role role = p->role;
	int repl;
	size_t i;

	p->leaving = 1;
	p->left = last;
	if (role == R_STUDENT || (role == R_PRACT && S_chance(0.3)))
		role = role == R_STUDENT ? R_STUDENT : R_ASYE;
	repl = S_hire(role, p->level, p->sup, p->team,
		      p->level <= 2 ? last - S_between(7, 14) : last + S_between(0, 45),
		      S_time(d, S_between(9 * 60, 10 * 60)));
	p = &G.p[who];		/* hiring may have moved the array */
	p->successor = repl;
	if (p->level <= 2) {
		/* the team passes to the new manager */
		for (i = 0; i < G.np; i++)
			if (G.p[i].sup == who)
				G.p[i].team = (G.p[i].team == who) ? repl : G.p[i].team;
		G.p[repl].team = -1;
		for (i = 0; i < G.np; i++) {
			struct person *q = &G.p[i];

			if (q->sup != who || !q->active || q->leaving)
				continue;
			S_event(S_time(last - 6, 0), EV_SUPCHANGE, -1, (int)i, repl);
		}
	}
	S_event(S_time(last, 17 * 60 + 30), EV_LEAVE, -1, who, 0);
}

static void S_do_supchange(const struct event *e)
{
	struct person *q = &G.p[e->who];
	int from = q->sup, to = e->arg;
	sup_date d = S_working(S_day_of(e->t));
	int rec;
	struct signplan plan[2];

	if (!q->active || q->leaving || from < 0 || !G.p[from].active)
		return;
	rec = S_make_handover(e->who, from, to, d);
	plan[0].who = from;
	plan[0].p_sign = 0.97;
	plan[0].p_dispute = 0;
	plan[1].who = to;
	plan[1].p_sign = 0.97;
	plan[1].p_dispute = 0;
	S_schedule(rec, from, S_time(d, S_between(10 * 60, 15 * 60)), plan, 2);
	/* the register changes at the end of that week */
	free(q->st.supervisor);
	q->sup = to;
	q->st.supervisor = sup_xstrdup(G.p[to].st.id);
	S_staff_commit(e->who, S_time(d, 8 * 60 + 45), "set");
}

static void S_do_leave(const struct event *e)
{
	struct person *p = &G.p[e->who];

	p->st.left = p->left;
	S_staff_commit(e->who, e->t, "set");
	p->active = 0;
	G.nleavers++;
}

/* A day in the life of the organisation. */
static void S_day(sup_date d)
{
	int working = sup_is_working_day(&G.hol, d);
	size_t i, np = G.np;

	if (sup_date_weekday(d) == 0 && d != G.start)
		S_case_import(d);
	if (!working)
		return;
	for (i = 0; i < np; i++) {
		struct person *p = &G.p[i];
		double rate;

		if (!p->active || p->leaving || p->st.started > d || (int)i == G.admin)
			continue;
		/* leaving */
		rate = p->role == R_STUDENT ? 0.0 : p->level <= 1 ? 0.05 :
		       p->level == 2 ? 0.08 : 0.15;
		if ((p->role == R_STUDENT && d - p->st.started >= 100) ||
		    S_chance(rate / 250.0)) {
			S_leave((int)i, d);
			continue;
		}
		/* a long absence: maternity leave, sickness */
		if (p->absent_to == SUP_DATE_NONE && p->level == 3 && S_chance(0.04 / 250.0)) {
			struct sup_absence *ab;
			int len = S_between(40, 270);

			p->st.absences = sup_xrealloc(p->st.absences,
						      (p->st.nabsences + 1) * sizeof(*ab));
			ab = &p->st.absences[p->st.nabsences++];
			ab->from = d;
			ab->to = d + len;
			ab->reason = sup_xstrdup(len > 150 ? "maternity leave" : "sick leave");
			p->absent_to = d + len;
			S_staff_commit((int)i, S_time(d, 8 * 60 + 50), "absence");
			G.nabsences++;
		}
		if (p->absent_to != SUP_DATE_NONE && d > p->absent_to)
			p->absent_to = SUP_DATE_NONE;
		if (p->sup < 0)
			continue;
		/* a one-to-one is due */
		if (d >= p->next_due) {
			const struct person *s = &G.p[p->sup];
			struct signplan plan[2];
			int64_t t;
			int rec, late;

			if (!S_present(p, d) || !S_present(s, d) || s->st.started > d) {
				p->next_due = d + S_between(1, 5);
				continue;
			}
			if (S_chance(0.05)) {	/* missed, rebooked next cycle */
				G.nmissed++;
				p->next_due = S_working(d + S_freq_days(p, d));
				continue;
			}
			late = S_chance(0.08);
			G.nlate += late;
			t = S_when_written(d, late);
			plan[0].who = p->sup;
			plan[0].p_sign = 0.99;
			plan[0].p_dispute = 0;
			plan[1].who = (int)i;
			plan[1].p_sign = 0.96;
			plan[1].p_dispute = 0.02;
			if (p->contract_sup != p->sup ||
			    d - p->contract_date >= 350) {
				rec = S_make_contract((int)i, d);
				S_schedule(rec, p->sup, t - 600, plan, 2);
			}
			rec = S_make_session((int)i, d);
			S_schedule(rec, p->sup, t, plan, 2);
			p->next_due = S_working(d + S_freq_days(p, d) - S_between(0, 3));
		}
		/* management oversight of a case */
		if (d >= p->next_oversight && p->ncases && S_present(p, d) &&
		    S_present(&G.p[p->sup], d)) {
			int *cases, rec;
			size_t nc = S_cases_of(&cases, (int)i);
			struct signplan plan[2];

			plan[0].who = p->sup;
			plan[0].p_sign = 0.98;
			plan[0].p_dispute = 0;
			plan[1].who = (int)i;
			plan[1].p_sign = 0.3;
			plan[1].p_dispute = 0;
			rec = S_make_oversight((int)i, d, cases[S_rand((int)nc)]);
			S_schedule(rec, p->sup, S_time(d, S_between(9 * 60, 17 * 60)), plan, 2);
			free(cases);
			p->next_oversight = d + S_between(120, 240);
		}
		/* quarterly group supervision, run by a team manager */
		if (p->level == 2 && d >= p->next_group && S_present(p, d)) {
			int *who = sup_xcalloc(G.np, sizeof(int));
			struct signplan *plan = sup_xcalloc(G.np + 1, sizeof(*plan));
			size_t n = 0, k;

			for (k = 0; k < G.np; k++)
				if (G.p[k].sup == (int)i && S_present(&G.p[k], d) &&
				    G.p[k].st.started <= d && !G.p[k].leaving)
					who[n++] = (int)k;
			if (n >= 2) {
				int rec = S_make_group((int)i, who, n, d);

				plan[0].who = (int)i;
				plan[0].p_sign = 0.98;
				for (k = 0; k < n; k++) {
					plan[k + 1].who = who[k];
					plan[k + 1].p_sign = 0.5;
				}
				S_schedule(rec, (int)i, S_when_written(d, 0), plan, n + 1);
			}
			free(who);
			free(plan);
			p->next_group = d + S_between(85, 100);
		}
	}
}

/* ---- the first day: the organisation as it is ---- */

static void S_setup(int nstaff)
{
	struct sup_buf policy = SUP_BUF_INIT;
	char *path = sup_xasprintf("%s/sup.yaml", G.templates);
	int64_t t = S_time(G.start, 8 * 60);
	int heads, dsls, teams, workers, i, k, dir, nleft;
	int *head_ix, *team_ix;

	if (sup_read_file(&policy, path, SUP_MAX_FILE) < 0)
		S_die(path);
	free(path);
	dir = S_new_person(R_MANAGER, 0, -1, -1, G.start - S_between(400, 3000));
	G.admin = dir;
	G.p[dir].st.admin = 1;
	G.p[dir].st.auditor = 1;
	G.p[dir].active = 1;
	if (sup_bulk_put(G.bulk, "sup.yaml", policy.ptr, policy.len) < 0)
		S_die("sup.yaml");
	S_put_staff(&G.p[dir]);
	S_commit(dir, t, "init Example Children's Services", NULL, "init");
	sup_buf_release(&policy);

	heads = nstaff >= 60 ? nstaff / 60 : 1;
	dsls = nstaff / 20;
	nleft = nstaff - 1 - heads - dsls;
	teams = nleft / 8 > 0 ? nleft / 8 : 1;
	workers = nleft - teams;
	head_ix = sup_xcalloc((size_t)heads, sizeof(int));
	team_ix = sup_xcalloc((size_t)teams, sizeof(int));
	for (i = 0; i < heads; i++)
		head_ix[i] = S_new_person(R_MANAGER, 1, dir, -1, G.start - S_between(300, 3000));
	for (i = 0; i < teams; i++)
		team_ix[i] = S_new_person(R_MANAGER, 2, head_ix[i % heads], -1,
					  G.start - S_between(200, 3000));
	for (i = 0; i < dsls; i++)
		S_new_person(R_DSL, 3, head_ix[0], -1, G.start - S_between(100, 3000));
	for (i = 0; i < workers; i++) {
		int roll = S_rand(100), tm = team_ix[i % teams];
		enum role role = roll < 75 ? R_PRACT : roll < 90 ? R_ASYE : R_STUDENT;
		sup_date started = role == R_PRACT ? G.start - S_between(100, 4000) :
				   role == R_ASYE ? G.start - S_between(0, 300) :
				   G.start - S_between(0, 60);

		S_new_person(role, 3, tm, tm, started);
	}
	/* the register, one `sup staff add` at a time, supervisors first */
	for (k = 1; k < (int)G.np; k++) {
		struct person *p = &G.p[k];

		p->active = 1;
		p->next_due = S_working(G.start + S_between(3, 30));
		p->next_oversight = G.start + S_between(10, 200);
		p->next_group = G.start + S_between(10, 90);
		t += 60;
		S_staff_commit(k, t, "add");
	}
	free(head_ix);
	free(team_ix);
	/* the caseloads as they are */
	for (k = 0; k < (int)G.np; k++) {
		int want = S_workload_target(&G.p[k]);

		for (i = 0; i < want; i++)
			S_open_case(k, G.start);
	}
	{
		size_t n = G.npending;
		char *subject = sup_xasprintf("case import %zu cases", n);

		for (i = 0; i < (int)n; i++)
			S_put_case(&G.k[G.pending_cases[i]]);
		G.npending = 0;
		S_commit(dir, t + 600, subject, NULL, "case");
		free(subject);
		G.ncase_imports++;
	}
}

static void S_load_templates(void)
{
	static const char *const names[] = { "session", "group", "oversight",
		"contract", "handover" };
	size_t i;

	for (i = 0; i < 5; i++) {
		char *path = sup_xasprintf("%s/%s.md", G.templates, names[i]);

		if (sup_read_file(&G.tmpl[i], path, SUP_MAX_FILE) < 0)
			S_die(path);
		free(path);
	}
}

static double S_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "size", required_argument, NULL, 's' },
		{ "seed", required_argument, NULL, 'S' },
		{ "out", required_argument, NULL, 'o' },
		{ "templates", required_argument, NULL, 't' },
		{ "check", no_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const struct size_spec *size = NULL;
	const char *out = NULL;
	char *repo, *keys;
	struct sup_bulk_stats st;
	uint64_t x;
	double t0, t1, tfin;
	sup_date d;
	size_t i;
	int c, y, m, dd;

	G.seedval = 1;
	G.templates = "templates";
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 's':
			for (i = 0; i < sizeof(S_sizes) / sizeof(S_sizes[0]); i++)
				if (!strcmp(optarg, S_sizes[i].name))
					size = &S_sizes[i];
			if (!size) {
				fprintf(stderr, "gen: unknown size '%s'\n%s\n", optarg, usage_str);
				return 2;
			}
			break;
		case 'S': G.seedval = strtoull(optarg, NULL, 10); break;
		case 'o': out = optarg; break;
		case 't': G.templates = optarg; break;
		case 'c': G.check = 1; break;
		case 'h': printf("%s\n", usage_str); return 0;
		default: fprintf(stderr, "%s\n", usage_str); return 2;
		}
	}
	if (!size || !out || optind != argc) {
		fprintf(stderr, "%s\n", usage_str);
		return 2;
	}
	x = G.seedval;
	for (i = 0; i < 4; i++)
		S_rng[i] = S_splitmix(&x);
	S_epoch_day = sup_date_from_ymd(1970, 1, 1);
	{
		enum sup_holiday_set set;

		if (sup_holiday_set_parse(&set, "england-and-wales") < 0)
			S_die("holidays");
		sup_holidays_init(&G.hol, set);
	}
	/* the history ends on a fixed day, so that the seed decides all */
	G.end = sup_date_from_ymd(2026, 10, 30);
	sup_date_to_ymd(G.end, &y, &m, &dd);
	G.start = S_working(sup_date_from_ymd(y - size->years, m, dd) + 1);
	S_next_case_ref = 100001;
	S_load_templates();

	repo = sup_xasprintf("%s/repo", out);
	keys = sup_xasprintf("%s/keys", out);
	if (sup_mkdir_p(keys) < 0)
		S_die(keys);
	S_keydir = keys;
	if (sup_bulk_new(&G.bulk, repo, 0) < 0)
		S_die(repo);
	t0 = S_now();
	S_setup(size->staff);
	for (d = G.start; d <= G.end; d++) {
		int64_t next = S_time(d + 1, 0);

		S_day(d);
		while (G.nheap && G.heap[0].t < next) {
			struct event e = S_pop();

			switch (e.kind) {
			case EV_NEW:
				S_commit_record(e.rec, e.who, e.t);
				if (--G.recs[e.rec]->pending == 0) {
					S_rec_free(G.recs[e.rec]);
					G.recs[e.rec] = NULL;
				}
				break;
			case EV_SIGN: S_do_sign(&e); break;
			case EV_SUPCHANGE: S_do_supchange(&e); break;
			case EV_LEAVE: S_do_leave(&e); break;
			default: break;
			}
		}
		if (d % 91 == 0) {
			sup_bulk_stats(&st, G.bulk);
			t1 = S_now();
			fprintf(stderr, "gen: %s: %zu commits, %zu records, %.0f commits/s\n",
				"progress", G.ncommits, G.nrecords,
				(double)G.ncommits / (t1 - t0 > 0 ? t1 - t0 : 1));
		}
	}
	tfin = S_now();
	if (sup_bulk_flush(G.bulk) < 0)
		S_die("packing");
	tfin = S_now();
	if (sup_bulk_finish(G.bulk, 1) < 0)
		S_die("finishing");
	t1 = S_now();
	sup_bulk_stats(&st, G.bulk);
	printf("size: %s (seed %llu)\n", size->name, (unsigned long long)G.seedval);
	printf("people: %zu (%zu starters, %zu leavers, %zu absences)\n", G.np,
	       G.nstarters, G.nleavers, G.nabsences);
	printf("cases: %zu (%zu imports)\n", G.nk, G.ncase_imports);
	printf("records: %zu (session %zu, group %zu, oversight %zu, contract %zu, handover %zu)\n",
	       G.nrecords, G.type_count[SUP_REC_SESSION], G.type_count[SUP_REC_GROUP],
	       G.type_count[SUP_REC_OVERSIGHT], G.type_count[SUP_REC_CONTRACT],
	       G.type_count[SUP_REC_HANDOVER]);
	printf("sessions: %zu late, %zu missed; sign-offs: %zu (%zu disputed, %zu never made)\n",
	       G.nlate, G.nmissed, G.nsigned, G.ndisputed, G.nunsigned);
	printf("commits: %zu, objects: %zu, packs: %zu, %.1f MB of objects before packing\n",
	       st.commits, st.objects, st.packs, (double)st.bytes / 1e6);
	printf("time: %.1f s (%.0f commits/s, %.0f objects/s; %.1f s of it packing, %.1f s checking out)\n",
	       t1 - t0, (double)st.commits / (t1 - t0), (double)st.objects / (t1 - t0),
	       st.pack_seconds, t1 - tfin);
	sup_bulk_free(G.bulk);
	free(repo);
	free(keys);
	return 0;
}
