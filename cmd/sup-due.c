/* sup-due: when each person's next supervision is due. */
#include <ctype.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "output.h"
#include "records.h"
#include "schedule.h"

static const char usage_str[] =
	"usage: sup due [--as-of date] [--within days] [--format text|json|csv|ics]";

static int usage(void)
{
	fprintf(stderr, "%s\n", usage_str);
	return SUP_EXIT_FAIL;
}

static int S_due_cmp(const void *a, const void *b)
{
	const struct sup_due *x = a, *y = b;

	if (x->due != y->due)
		return x->due < y->due ? -1 : 1;
	return strcmp(x->st->id, y->st->id);
}

static const char *S_date(char buf[11], sup_date d)
{
	if (d == SUP_DATE_NONE)
		return "";
	sup_date_format(buf, d);
	return buf;
}

/* "overdue 3 days", "due today", "in 5 days", with an absence noted. */
static void S_when(struct sup_buf *out, const struct sup_due *d, sup_date as_of)
{
	long days = (long)(d->due - as_of);

	if (d->status == SUP_DUE_NEVER)
		sup_buf_printf(out, "never supervised, first overdue %ld day%s", -days,
			       days == -1 ? "" : "s");
	else if (days < 0)
		sup_buf_printf(out, "overdue %ld day%s", -days, days == -1 ? "" : "s");
	else if (days == 0)
		sup_buf_puts(out, d->status == SUP_DUE_FIRST ? "first, due today" : "due today");
	else
		sup_buf_printf(out, "%sin %ld day%s", d->status == SUP_DUE_FIRST ?
			       "first, " : "", days, days == 1 ? "" : "s");
	if (d->absent)
		sup_buf_puts(out, " (absent)");
}

static void S_freq(char *buf, size_t size, const struct sup_due *d)
{
	char f[32];

	sup_duration_format(f, sizeof(f), &d->freq);
	snprintf(buf, size, "%s%s", f, d->freq_from_contract ? " (contract)" : "");
}

static void S_text(struct sup_buf *out, const struct sup_due *v, size_t n,
		   sup_date as_of, int colour)
{
	static const char *const head[] = { "DUE", "PERSON", "NAME", "SUPERVISOR",
		"ROLE", "EVERY", "LAST", "STATUS" };
	struct sup_table t;
	size_t i;

	if (!n) {
		char a[11];

		sup_date_format(a, as_of);
		sup_buf_printf(out, "No one is due as of %s.\n", a);
		return;
	}
	sup_table_init(&t, 8);
	sup_table_add(&t, head, NULL);
	for (i = 0; i < n; i++) {
		char d1[11], d2[11], f[48];
		struct sup_buf w = SUP_BUF_INIT;
		const char *row[8];

		S_freq(f, sizeof(f), &v[i]);
		S_when(&w, &v[i], as_of);
		row[0] = S_date(d1, v[i].due);
		row[1] = v[i].st->id;
		row[2] = v[i].st->name;
		row[3] = v[i].st->supervisor;
		row[4] = v[i].st->role;
		row[5] = f;
		row[6] = v[i].last == SUP_DATE_NONE ? "-" : S_date(d2, v[i].last);
		row[7] = sup_buf_cstr(&w);
		sup_table_add(&t, row, v[i].due < as_of ? "31" :
			      v[i].due == as_of ? "33" : NULL);
		sup_buf_release(&w);
	}
	sup_table_write(out, &t, colour);
	sup_table_release(&t);
}

static void S_json(struct sup_buf *out, const struct sup_due *v, size_t n,
		   sup_date as_of)
{
	struct sup_json j;
	char d[11], f[32];
	size_t i;

	sup_json_init(&j, out);
	sup_json_begin_object(&j);
	sup_json_key(&j, "as_of");
	sup_json_string(&j, S_date(d, as_of));
	sup_json_key(&j, "people");
	sup_json_begin_array(&j);
	for (i = 0; i < n; i++) {
		sup_json_begin_object(&j);
		sup_json_key(&j, "person");
		sup_json_string(&j, v[i].st->id);
		sup_json_key(&j, "name");
		sup_json_string(&j, v[i].st->name);
		sup_json_key(&j, "supervisor");
		sup_json_string(&j, v[i].st->supervisor);
		sup_json_key(&j, "role");
		sup_json_string(&j, v[i].st->role);
		sup_json_key(&j, "frequency");
		sup_duration_format(f, sizeof(f), &v[i].freq);
		sup_json_string(&j, f);
		sup_json_key(&j, "frequency_from");
		sup_json_string(&j, v[i].freq_from_contract ? "contract" : "policy");
		sup_json_key(&j, "contract");
		sup_json_string(&j, v[i].contract ? v[i].contract->id : NULL);
		sup_json_key(&j, "last");
		if (v[i].last == SUP_DATE_NONE)
			sup_json_null(&j);
		else
			sup_json_string(&j, S_date(d, v[i].last));
		sup_json_key(&j, "last_record");
		sup_json_string(&j, v[i].last_rec ? v[i].last_rec->id : NULL);
		sup_json_key(&j, "due");
		sup_json_string(&j, S_date(d, v[i].due));
		sup_json_key(&j, "days");
		sup_json_int(&j, (long long)(v[i].due - as_of));
		sup_json_key(&j, "status");
		sup_json_string(&j, sup_due_status_name(v[i].status));
		sup_json_key(&j, "absent");
		sup_json_bool(&j, v[i].absent);
		sup_json_key(&j, "paused_days");
		sup_json_int(&j, v[i].paused);
		sup_json_end_object(&j);
	}
	sup_json_end_array(&j);
	sup_json_end_object(&j);
	sup_json_finish(&j);
}

static void S_csv(struct sup_buf *out, const struct sup_due *v, size_t n,
		  sup_date as_of)
{
	static const char *const head[] = { "due", "person", "name", "supervisor",
		"role", "frequency", "frequency_from", "last", "last_record", "days",
		"status", NULL };
	size_t i, k;

	for (k = 0; head[k]; k++)
		sup_csv_field(out, head[k], !head[k + 1]);
	for (i = 0; i < n; i++) {
		char d1[11], d2[11], f[32], days[24];

		sup_duration_format(f, sizeof(f), &v[i].freq);
		snprintf(days, sizeof(days), "%ld", (long)(v[i].due - as_of));
		sup_csv_field(out, S_date(d1, v[i].due), 0);
		sup_csv_field(out, v[i].st->id, 0);
		sup_csv_field(out, v[i].st->name, 0);
		sup_csv_field(out, v[i].st->supervisor, 0);
		sup_csv_field(out, v[i].st->role, 0);
		sup_csv_field(out, f, 0);
		sup_csv_field(out, v[i].freq_from_contract ? "contract" : "policy", 0);
		sup_csv_field(out, S_date(d2, v[i].last), 0);
		sup_csv_field(out, v[i].last_rec ? v[i].last_rec->id : NULL, 0);
		sup_csv_field(out, days, 0);
		sup_csv_field(out, sup_due_status_name(v[i].status), 1);
	}
}

/*
 * iCalendar (RFC 5545)
 */

/* One content line: folded so that no line is longer than 75 octets
 * (a continuation starts with a space), never inside a UTF-8 sequence,
 * ended by CRLF. */
static void S_ics_line(struct sup_buf *out, const char *line)
{
	size_t len = strlen(line), pos = 0, room = 75;

	while (len - pos > room) {
		size_t cut = pos + room;

		while (cut > pos && ((unsigned char)line[cut] & 0xC0) == 0x80)
			cut--;
		sup_buf_put(out, line + pos, cut - pos);
		sup_buf_puts(out, "\r\n ");
		pos = cut;
		room = 74;
	}
	sup_buf_put(out, line + pos, len - pos);
	sup_buf_puts(out, "\r\n");
}

/* A TEXT value: backslash, semicolon, comma and newlines escaped. */
static void S_ics_text(struct sup_buf *out, const char *s)
{
	for (; s && *s; s++) {
		switch (*s) {
		case '\\': sup_buf_puts(out, "\\\\"); break;
		case ';': sup_buf_puts(out, "\\;"); break;
		case ',': sup_buf_puts(out, "\\,"); break;
		case '\n': sup_buf_puts(out, "\\n"); break;
		case '\r': break;
		default:
			if ((unsigned char)*s < 0x20 || *s == 0x7f)
				sup_buf_putc(out, ' ');
			else
				sup_buf_putc(out, *s);
		}
	}
}

static void S_ics_prop(struct sup_buf *out, const char *name, const char *text)
{
	struct sup_buf l = SUP_BUF_INIT;

	sup_buf_printf(&l, "%s:", name);
	S_ics_text(&l, text);
	S_ics_line(out, sup_buf_cstr(&l));
	sup_buf_release(&l);
}

static void S_ics_date(char out[16], sup_date d)
{
	int y, m, day;

	sup_date_to_ymd(d, &y, &m, &day);
	snprintf(out, 16, "%04d%02d%02d", y, m, day);
}

/* The organisation as a host-like name for UIDs: lowercase letters,
 * digits and hyphens. */
static char *S_slug(const char *org)
{
	struct sup_buf b = SUP_BUF_INIT;
	int dash = 0;

	for (; org && *org; org++) {
		unsigned char ch = (unsigned char)*org;

		if (isalnum(ch) && ch < 0x80) {
			if (dash && b.len)
				sup_buf_putc(&b, '-');
			sup_buf_putc(&b, tolower(ch));
			dash = 0;
		} else {
			dash = 1;
		}
	}
	if (!b.len)
		sup_buf_puts(&b, "sup");
	return sup_buf_detach(&b);
}

static void S_ics(struct sup_buf *out, const struct sup_due *v, size_t n,
		  sup_date as_of, const struct sup_policy *pol)
{
	const char *sde = getenv("SOURCE_DATE_EPOCH");
	time_t now = time(NULL);
	struct tm tm;
	char stamp[20], d1[16], d2[16], ds[11], f[32];
	char *slug = S_slug(pol->organisation);
	struct sup_buf b = SUP_BUF_INIT;
	size_t i;

	/* reproducible output when asked for (reproducible-builds.org) */
	if (sde && *sde) {
		char *end;
		long long t = strtoll(sde, &end, 10);

		if (!*end && t >= 0)
			now = (time_t)t;
	}
	gmtime_r(&now, &tm);
	strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%SZ", &tm);
	S_ics_line(out, "BEGIN:VCALENDAR");
	S_ics_line(out, "VERSION:2.0");
	S_ics_line(out, "PRODID:-//sup//sup due " SUP_VERSION "//EN");
	S_ics_line(out, "CALSCALE:GREGORIAN");
	S_ics_line(out, "METHOD:PUBLISH");
	sup_buf_printf(&b, "Supervision due: %s", pol->organisation);
	S_ics_prop(out, "X-WR-CALNAME", sup_buf_cstr(&b));
	for (i = 0; i < n; i++) {
		const struct sup_due *d = &v[i];
		sup_date anchor = d->last != SUP_DATE_NONE ? d->last : d->st->started;

		S_ics_line(out, "BEGIN:VEVENT");
		/* the same supervision keeps its UID when its due date moves
		 * (an absence); the next one after a session gets a new one */
		sup_buf_truncate(&b, 0);
		sup_buf_printf(&b, "UID:sup-due-%s-%s-%s@%s", d->st->id,
			       d->last != SUP_DATE_NONE ? "after" : "start",
			       S_date(ds, anchor), slug);
		S_ics_line(out, sup_buf_cstr(&b));
		sup_buf_truncate(&b, 0);
		sup_buf_printf(&b, "DTSTAMP:%s", stamp);
		S_ics_line(out, sup_buf_cstr(&b));
		S_ics_date(d1, d->due);
		S_ics_date(d2, d->due + 1);
		sup_buf_truncate(&b, 0);
		sup_buf_printf(&b, "DTSTART;VALUE=DATE:%s", d1);
		S_ics_line(out, sup_buf_cstr(&b));
		sup_buf_truncate(&b, 0);
		sup_buf_printf(&b, "DTEND;VALUE=DATE:%s", d2);
		S_ics_line(out, sup_buf_cstr(&b));
		sup_buf_truncate(&b, 0);
		sup_buf_printf(&b, "Supervision due: %s (%s)", d->st->name ? d->st->name : d->st->id,
			       d->st->id);
		S_ics_prop(out, "SUMMARY", sup_buf_cstr(&b));
		sup_buf_truncate(&b, 0);
		sup_duration_format(f, sizeof(f), &d->freq);
		sup_buf_printf(&b, "Supervisor: %s. Role: %s, every %s%s. ",
			       d->st->supervisor, d->st->role, f,
			       d->freq_from_contract ? " (contract)" : "");
		if (d->last != SUP_DATE_NONE)
			sup_buf_printf(&b, "Last supervised %s (%s). ", S_date(ds, d->last),
				       d->last_rec->id);
		else
			sup_buf_printf(&b, "No supervision yet; started %s. ",
				       S_date(ds, d->st->started));
		S_when(&b, d, as_of);
		sup_buf_puts(&b, ".");
		S_ics_prop(out, "DESCRIPTION", sup_buf_cstr(&b));
		S_ics_line(out, "CATEGORIES:Supervision");
		S_ics_line(out, "TRANSP:TRANSPARENT");
		S_ics_line(out, "END:VEVENT");
	}
	S_ics_line(out, "END:VCALENDAR");
	sup_buf_release(&b);
	free(slug);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "as-of", required_argument, NULL, 'd' },
		{ "within", required_argument, NULL, 'w' },
		{ "format", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	enum sup_format fmt = SUP_FORMAT_TEXT;
	int ics = 0, c, rc = SUP_EXIT_FAIL;
	long within = -1;
	sup_date as_of = sup_date_today();
	struct sup_repo *r = NULL;
	struct sup_records rs;
	struct sup_record **recs = NULL;
	struct sup_schedule s;
	struct sup_due *v = NULL;
	struct sup_buf out = SUP_BUF_INIT;
	size_t n = 0, nv = 0, i;
	char *end;

	memset(&rs, 0, sizeof(rs));
	memset(&s, 0, sizeof(s));
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'd':
			if (sup_date_parse(&as_of, optarg) < 0) {
				sup_warn("due", "--as-of: %s", sup_error_last());
				return usage();
			}
			break;
		case 'w':
			within = strtol(optarg, &end, 10);
			if (!*optarg || *end || within < 0 || within > 36600) {
				sup_warn("due", "--within: '%s' is not a number of days (0 to 36600)",
					 optarg);
				return usage();
			}
			break;
		case 'f':
			if (!strcmp(optarg, "ics")) {
				ics = 1;
			} else if (sup_format_parse(&fmt, optarg) < 0) {
				sup_perror("due");
				return usage();
			} else {
				ics = 0;
			}
			break;
		case 'h': printf("%s\n", usage_str); return SUP_EXIT_OK;
		default: return usage();
		}
	}
	if (optind != argc)
		return usage();
	if (sup_schedule_repo_open(&r, NULL) < 0 ||
	    sup_records_index(&rs, r->store, &r->head) < 0 ||
	    sup_records_load_all(&recs, &n, &rs) < 0) {
		sup_perror("due");
		goto out;
	}
	for (i = 0; i < sup_diag_count(); i++)
		fprintf(stderr, "sup due: warning: %s (not counted)\n", sup_diag_get(i));
	sup_diag_clear();
	sup_schedule_init(&s, &r->policy, &r->reg, recs, n, as_of);
	v = sup_xcalloc(r->reg.nstaff + 1, sizeof(*v));
	for (i = 0; i < r->reg.nstaff; i++) {
		const struct sup_staff *st = &r->reg.staff[i];

		if (!sup_schedule_applies(st, as_of))
			continue;
		if (sup_schedule_due(&v[nv], &s, st) < 0) {
			sup_perror("due");
			goto out;
		}
		if (within >= 0 && v[nv].due > as_of + within)
			continue;
		nv++;
	}
	if (nv)
		qsort(v, nv, sizeof(*v), S_due_cmp);
	if (ics)
		S_ics(&out, v, nv, as_of, &r->policy);
	else if (fmt == SUP_FORMAT_JSON)
		S_json(&out, v, nv, as_of);
	else if (fmt == SUP_FORMAT_CSV)
		S_csv(&out, v, nv, as_of);
	else
		S_text(&out, v, nv, as_of, sup_use_colour(stdout));
	if ((ics ? (fwrite(out.ptr ? out.ptr : "", 1, out.len, stdout) != out.len ||
		    fflush(stdout) == EOF) ? -1 : 0 :
	     sup_page(sup_buf_cstr(&out), out.len)) < 0) {
		sup_warn("due", "cannot write to standard output");
		goto out;
	}
	rc = SUP_EXIT_OK;
out:
	free(v);
	sup_schedule_release(&s);
	sup_records_free_all(recs, n);
	sup_records_release(&rs);
	sup_buf_release(&out);
	sup_repo_free(r);
	return rc;
}
