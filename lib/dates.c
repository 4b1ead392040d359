/* dates: calendar dates, durations, bank holidays, timestamps (dates.h). */
#include "dates.h"
#include "error.h"
#include "util.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define S_YEAR_MIN 1900
#define S_YEAR_MAX 9999
/* Large enough for months and working days to stay far from overflow
 * (9999 months is 833 years) yet beyond any sensible policy. */
#define S_DURATION_MAX 9999

/*
 * Civil dates.  Day numbers come from Howard Hinnant's days_from_civil and
 * civil_from_days: exact integer arithmetic over 400-year eras, free of the
 * time zone and DST traps of mktime.  64-bit intermediates let any
 * int32_t day number (SUP_DATE_NONE included) be converted without
 * overflow.
 */
static int64_t S_days_from_civil(int64_t y, int64_t m, int64_t d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void S_civil_from_days(int64_t z, int64_t *y, int *m, int *d)
{
	int64_t era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

static int S_is_leap(int64_t y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int sup_days_in_month(int y, int m)
{
	static const int len[12] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
	};

	if (m < 1 || m > 12)
		return 0;
	return m == 2 && S_is_leap(y) ? 29 : len[m - 1];
}

/* Lenient like mktime for callers doing arithmetic: a month outside 1..12
 * carries into the year, and a day outside the month counts on from its
 * first day (month 3 day 0 is the last day of February). */
sup_date sup_date_from_ymd(int y, int m, int d)
{
	int64_t yy = y, mm = (int64_t)m - 1;

	yy += mm >= 0 ? mm / 12 : -((11 - mm) / 12);
	mm -= (yy - y) * 12;
	return (sup_date)S_days_from_civil(yy, mm + 1, d);
}

void sup_date_to_ymd(sup_date d, int *y, int *m, int *day)
{
	int64_t yy;
	int mm, dd;

	S_civil_from_days(d, &yy, &mm, &dd);
	if (y)
		*y = (int)yy;
	if (m)
		*m = mm;
	if (day)
		*day = dd;
}

int sup_date_weekday(sup_date d)
{
	/* 1970-01-01 was a Thursday (3). */
	int64_t w = ((int64_t)d + 3) % 7;

	return (int)(w < 0 ? w + 7 : w);
}

/* Digits from s[0..n-1] into *out; 0 if any is not an ASCII digit. */
static int S_digits(const char *s, int n, int *out)
{
	int i, v = 0;

	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return 0;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 1;
}

/* The "YYYY-MM-DD" at the start of s, shared by dates and timestamps.
 * what names the thing for messages. */
static int S_parse_ymd(sup_date *out, const char *s, const char *what,
		       const char *form)
{
	int y, m, d;

	if (!S_digits(s, 4, &y) || s[4] != '-' || !S_digits(s + 5, 2, &m) ||
	    s[7] != '-' || !S_digits(s + 8, 2, &d))
		return sup_error_set(SUP_EINVALID,
				     "invalid %s '%s' (expected %s)", what,
				     s, form);
	if (y < S_YEAR_MIN || y > S_YEAR_MAX)
		return sup_error_set(SUP_EINVALID,
				     "invalid %s '%s': year outside %d to %d",
				     what, s, S_YEAR_MIN, S_YEAR_MAX);
	if (m < 1 || m > 12)
		return sup_error_set(SUP_EINVALID,
				     "invalid %s '%s': no month %02d", what,
				     s, m);
	if (d < 1 || d > sup_days_in_month(y, m))
		return sup_error_set(SUP_EINVALID,
				     "invalid %s '%s': no day %02d in %04d-%02d",
				     what, s, d, y, m);
	*out = sup_date_from_ymd(y, m, d);
	return 0;
}

int sup_date_parse(sup_date *out, const char *s)
{
	/* Checking the length first keeps S_parse_ymd from reading past a
	 * short string and refuses trailing text. */
	if (!s || strlen(s) != 10)
		return sup_error_set(SUP_EINVALID,
				     "invalid date '%s' (expected YYYY-MM-DD)",
				     s ? s : "");
	return S_parse_ymd(out, s, "date", "YYYY-MM-DD");
}

static void S_put_digits(char *out, int n, int v)
{
	while (n-- > 0) {
		out[n] = (char)('0' + v % 10);
		v /= 10;
	}
}

static void S_format_ymd(char *out, sup_date d)
{
	int y, m, day;

	sup_date_to_ymd(d, &y, &m, &day);
	/* Only four digits fit; an impossible date (SUP_DATE_NONE among them)
	 * prints as one that sup_date_parse refuses rather than overflowing. */
	if (d == SUP_DATE_NONE || y < 0 || y > 9999)
		y = m = day = 0;
	S_put_digits(out, 4, y);
	out[4] = '-';
	S_put_digits(out + 5, 2, m);
	out[7] = '-';
	S_put_digits(out + 8, 2, day);
}

void sup_date_format(char out[11], sup_date d)
{
	S_format_ymd(out, d);
	out[10] = '\0';
}

sup_date sup_date_of_time(time_t t)
{
	struct tm tm;

	if (!localtime_r(&t, &tm))
		return SUP_DATE_NONE;
	return sup_date_from_ymd(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

sup_date sup_date_today(void)
{
	return sup_date_of_time(time(NULL));
}

sup_date sup_date_add_months(sup_date d, int n)
{
	int y, m, day, dim;
	int64_t months, ny;
	int nm;

	sup_date_to_ymd(d, &y, &m, &day);
	months = (int64_t)y * 12 + (m - 1) + n;
	ny = months >= 0 ? months / 12 : -((11 - months) / 12);
	nm = (int)(months - ny * 12) + 1;
	dim = sup_days_in_month((int)ny, nm);
	return sup_date_from_ymd((int)ny, nm, day > dim ? dim : day);
}

/*
 * Bank holidays.
 *
 * The built-in sets hold the regular rules only, computed for any year:
 * Easter by the anonymous Gregorian computus, Mondays counted in the month,
 * and fixed dates with substitutes.  The rules are today's: no attempt is
 * made to model the years before 1978 when the May and August holidays
 * were different.
 *
 * Government MOVES of a regular holiday (1995, 2002, 2012, 2020, 2022) are
 * built in, because a move takes a day away and extra_holidays can only
 * add one.  One-off ADDITIONAL days (1999-12-31, 2002-06-03, 2011-04-29,
 * 2012-06-05, 2022-06-03, 2022-09-19, 2023-05-08) are not: an organisation
 * that observed them lists them in extra_holidays (sup_holidays_add), so
 * the policy file shows them and a future one-off needs no new release.
 */

enum S_monday {
	S_EARLY_MAY,
	S_SPRING,
	S_SUMMER
};

static const struct {
	int year;
	enum S_monday which;
	int month, day;
} S_moves[] = {
	{ 1995, S_EARLY_MAY, 5, 8 },	/* VE Day 50th anniversary */
	{ 2002, S_SPRING, 6, 4 },	/* Golden Jubilee */
	{ 2012, S_SPRING, 6, 4 },	/* Diamond Jubilee */
	{ 2020, S_EARLY_MAY, 5, 8 },	/* VE Day 75th anniversary */
	{ 2022, S_SPRING, 6, 2 },	/* Platinum Jubilee */
};

/* Room for the built-in days of a year: Northern Ireland has the most, 10. */
#define S_MAX_BUILTIN 16

static sup_date S_easter(int y)
{
	int a = y % 19, b = y / 100, c = y % 100;
	int d = b / 4, e = b % 4, f = (b + 8) / 25, g = (b - f + 1) / 3;
	int h = (19 * a + b - d - g + 15) % 30;
	int i = c / 4, k = c % 4;
	int l = (32 + 2 * e + 2 * i - h - k) % 7;
	int m = (a + 11 * h + 22 * l) / 451;
	int x = h + l - 7 * m + 114;

	return sup_date_from_ymd(y, x / 31, x % 31 + 1);
}

static sup_date S_first_monday(int y, int m)
{
	sup_date first = sup_date_from_ymd(y, m, 1);

	return first + (7 - sup_date_weekday(first)) % 7;
}

static sup_date S_last_monday(int y, int m)
{
	sup_date last = sup_date_from_ymd(y, m, sup_days_in_month(y, m));

	return last - sup_date_weekday(last);
}

static sup_date S_monday(int y, enum S_monday which, sup_date regular)
{
	size_t i;

	for (i = 0; i < SUP_ARRAY_SIZE(S_moves); i++)
		if (S_moves[i].year == y && S_moves[i].which == which)
			return sup_date_from_ymd(y, S_moves[i].month,
						 S_moves[i].day);
	return regular;
}

static int S_in(const sup_date *v, size_t n, sup_date d)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (v[i] == d)
			return 1;
	return 0;
}

static int S_cmp_date(const void *a, const void *b)
{
	sup_date x = *(const sup_date *)a, y = *(const sup_date *)b;

	return (x > y) - (x < y);
}

#define S_EW (1u << SUP_HOLIDAYS_ENGLAND_AND_WALES)
#define S_SC (1u << SUP_HOLIDAYS_SCOTLAND)
#define S_NI (1u << SUP_HOLIDAYS_NORTHERN_IRELAND)

/* Fixed dates in date order, so that a substitute taken by an earlier one
 * pushes a later one on: Christmas on a Saturday makes Monday 27 its
 * substitute and Tuesday 28 Boxing Day's.  Christmas on a Sunday gives the
 * same two days (26 and 27) whichever of the two is called the
 * substitute. */
static const struct {
	int month, day;
	unsigned sets;
} S_fixed[] = {
	{ 1, 1, S_EW | S_SC | S_NI },	/* New Year's Day */
	{ 1, 2, S_SC },
	{ 3, 17, S_NI },		/* St Patrick's Day */
	{ 7, 12, S_NI },		/* Battle of the Boyne */
	{ 11, 30, S_SC },		/* St Andrew's Day */
	{ 12, 25, S_EW | S_SC | S_NI },	/* Christmas Day */
	{ 12, 26, S_EW | S_SC | S_NI },	/* Boxing Day */
};

/* The built-in holidays of year y, sorted; returns the count. */
static size_t S_builtin(enum sup_holiday_set set, int y,
			sup_date out[S_MAX_BUILTIN])
{
	size_t n = 0, i;
	sup_date easter;

	if (set == SUP_HOLIDAYS_NONE)
		return 0;
	easter = S_easter(y);
	out[n++] = easter - 2;
	if (set != SUP_HOLIDAYS_SCOTLAND)
		out[n++] = easter + 1;
	out[n++] = S_monday(y, S_EARLY_MAY, S_first_monday(y, 5));
	out[n++] = S_monday(y, S_SPRING, S_last_monday(y, 5));
	out[n++] = S_monday(y, S_SUMMER, set == SUP_HOLIDAYS_SCOTLAND ?
			    S_first_monday(y, 8) : S_last_monday(y, 8));

	for (i = 0; i < SUP_ARRAY_SIZE(S_fixed); i++) {
		sup_date d;

		if (!(S_fixed[i].sets & (1u << set)))
			continue;
		d = sup_date_from_ymd(y, S_fixed[i].month, S_fixed[i].day);
		/* A weekday clash with another holiday cannot happen under
		 * these rules, but would move on the same way. */
		while (sup_date_weekday(d) >= 5 || S_in(out, n, d))
			d++;
		out[n++] = d;
	}
	qsort(out, n, sizeof(*out), S_cmp_date);
	return n;
}

int sup_holiday_set_parse(enum sup_holiday_set *out, const char *name)
{
	static const struct {
		const char *name;
		enum sup_holiday_set set;
	} sets[] = {
		{ "england-and-wales", SUP_HOLIDAYS_ENGLAND_AND_WALES },
		{ "scotland", SUP_HOLIDAYS_SCOTLAND },
		{ "northern-ireland", SUP_HOLIDAYS_NORTHERN_IRELAND },
		{ "none", SUP_HOLIDAYS_NONE },
	};
	const char *best = NULL;
	size_t i, best_dist = 4;

	if (!name)
		name = "";
	for (i = 0; i < SUP_ARRAY_SIZE(sets); i++) {
		size_t dist;

		if (!strcmp(name, sets[i].name)) {
			*out = sets[i].set;
			return 0;
		}
		dist = sup_edit_distance(name, sets[i].name);
		if (dist < best_dist) {
			best = sets[i].name;
			best_dist = dist;
		}
	}
	if (best)
		return sup_error_set(SUP_EINVALID,
				     "unknown holiday set '%s' (did you mean '%s'?)",
				     name, best);
	return sup_error_set(SUP_EINVALID,
			     "unknown holiday set '%s' (expected england-and-wales, scotland, northern-ireland or none)",
			     name);
}

void sup_holidays_init(struct sup_holidays *h, enum sup_holiday_set set)
{
	h->set = set;
	h->extra = NULL;
	h->nextra = 0;
}

void sup_holidays_add(struct sup_holidays *h, sup_date d)
{
	size_t lo = 0, hi = h->nextra;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (h->extra[mid] < d)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < h->nextra && h->extra[lo] == d)
		return;
	h->extra = sup_xrealloc(h->extra, (h->nextra + 1) * sizeof(*h->extra));
	memmove(h->extra + lo + 1, h->extra + lo,
		(h->nextra - lo) * sizeof(*h->extra));
	h->extra[lo] = d;
	h->nextra++;
}

void sup_holidays_release(struct sup_holidays *h)
{
	if (!h)
		return;
	free(h->extra);
	h->extra = NULL;
	h->nextra = 0;
}

static int S_is_extra(const struct sup_holidays *h, sup_date d)
{
	return h->nextra &&
	       bsearch(&d, h->extra, h->nextra, sizeof(*h->extra),
		       S_cmp_date) != NULL;
}

/*
 * Walking day by day over a range asks about the same year again and
 * again; a one-year cache keeps that linear without any global state.
 */
struct S_year_cache {
	int year;
	size_t n;
	sup_date days[S_MAX_BUILTIN];
};

static int S_holiday_cached(const struct sup_holidays *h,
			    struct S_year_cache *c, sup_date d)
{
	int y;

	if (!h)
		return 0;
	if (S_is_extra(h, d))
		return 1;
	if (h->set == SUP_HOLIDAYS_NONE)
		return 0;
	sup_date_to_ymd(d, &y, NULL, NULL);
	if (c->year != y) {
		c->year = y;
		c->n = S_builtin(h->set, y, c->days);
	}
	return S_in(c->days, c->n, d);
}

#define S_YEAR_CACHE_INIT { INT_MIN, 0, { 0 } }

int sup_is_holiday(const struct sup_holidays *h, sup_date d)
{
	struct S_year_cache c = S_YEAR_CACHE_INIT;

	return S_holiday_cached(h, &c, d);
}

static int S_working_cached(const struct sup_holidays *h,
			    struct S_year_cache *c, sup_date d)
{
	return sup_date_weekday(d) < 5 && !S_holiday_cached(h, c, d);
}

int sup_is_working_day(const struct sup_holidays *h, sup_date d)
{
	struct S_year_cache c = S_YEAR_CACHE_INIT;

	return S_working_cached(h, &c, d);
}

/* A negative n counts back (the date n working days before d), which the
 * header does not promise but is the only sensible reading. */
sup_date sup_add_working_days(const struct sup_holidays *h, sup_date d, int n)
{
	struct S_year_cache c = S_YEAR_CACHE_INIT;
	int step = n < 0 ? -1 : 1;

	while (n != 0) {
		d += step;
		if (S_working_cached(h, &c, d))
			n -= step;
	}
	return d;
}

int sup_working_days_between(const struct sup_holidays *h, sup_date from,
			     sup_date to)
{
	struct S_year_cache c = S_YEAR_CACHE_INIT;
	int n = 0;
	sup_date d;

	for (d = from; d < to; )
		if (S_working_cached(h, &c, ++d))
			n++;
	return n;
}

size_t sup_holidays_in_year(const struct sup_holidays *h, int year,
			    sup_date *out, size_t max)
{
	sup_date builtin[S_MAX_BUILTIN];
	size_t nb = 0, i = 0, j = 0, n = 0;
	sup_date first = sup_date_from_ymd(year, 1, 1);
	sup_date last = sup_date_from_ymd(year, 12, 31);

	if (!h)
		return 0;
	nb = S_builtin(h->set, year, builtin);
	while (j < h->nextra && h->extra[j] < first)
		j++;
	/* Merge the two sorted lists, an extra day that is also a built-in
	 * one counted once. */
	while (n < max) {
		int has_b = i < nb;
		int has_e = j < h->nextra && h->extra[j] <= last;
		sup_date d;

		if (!has_b && !has_e)
			break;
		if (has_b && (!has_e || builtin[i] <= h->extra[j])) {
			d = builtin[i++];
			if (has_e && h->extra[j] == d)
				j++;
		} else {
			d = h->extra[j++];
		}
		out[n++] = d;
	}
	return n;
}

/* Durations. */

static const char S_duration_forms[] =
	"expected \"N days\", \"N weeks\", \"N months\", \"N working days\" or \"calendar month\", N a whole number from 1 to 9999 and single spaces";

static const struct {
	const char *one, *many;
	enum sup_unit unit;
} S_units[] = {
	{ "day", "days", SUP_UNIT_DAYS },
	{ "week", "weeks", SUP_UNIT_WEEKS },
	{ "month", "months", SUP_UNIT_MONTHS },
	{ "working day", "working days", SUP_UNIT_WORKING_DAYS },
};

int sup_duration_parse(struct sup_duration *out, const char *s)
{
	const char *p;
	long n = 0;
	size_t i;

	if (!s)
		s = "";
	if (!strcmp(s, "calendar month")) {
		out->n = 1;
		out->unit = SUP_UNIT_CALENDAR_MONTH;
		return 0;
	}
	/* Strict on purpose: one spelling per duration keeps policy files
	 * comparable and a typo from being read as something else. */
	for (p = s; *p >= '0' && *p <= '9'; p++) {
		if (n <= S_DURATION_MAX)
			n = n * 10 + (*p - '0');
	}
	if (p == s || *p != ' ' || (s[0] == '0' && p - s > 1))
		return sup_error_set(SUP_EINVALID, "invalid duration '%s' (%s)",
				     s, S_duration_forms);
	for (i = 0; i < SUP_ARRAY_SIZE(S_units); i++) {
		if (!strcmp(p + 1, S_units[i].many) ||
		    !strcmp(p + 1, S_units[i].one))
			break;
	}
	if (i == SUP_ARRAY_SIZE(S_units))
		return sup_error_set(SUP_EINVALID, "invalid duration '%s' (%s)",
				     s, S_duration_forms);
	if (n < 1 || n > S_DURATION_MAX)
		return sup_error_set(SUP_EINVALID,
				     "invalid duration '%s': the number must be from 1 to %d",
				     s, S_DURATION_MAX);
	if (n != 1 && !strcmp(p + 1, S_units[i].one))
		return sup_error_set(SUP_EINVALID,
				     "invalid duration '%s' (did you mean '%ld %s'?)",
				     s, n, S_units[i].many);
	out->n = (int)n;
	out->unit = S_units[i].unit;
	return 0;
}

void sup_duration_format(char *out, size_t size, const struct sup_duration *d)
{
	size_t i;

	if (!size)
		return;
	if (d->unit == SUP_UNIT_CALENDAR_MONTH) {
		snprintf(out, size, "calendar month");
		return;
	}
	for (i = 0; i < SUP_ARRAY_SIZE(S_units); i++)
		if (S_units[i].unit == d->unit)
			break;
	if (i == SUP_ARRAY_SIZE(S_units)) {
		snprintf(out, size, "?");
		return;
	}
	snprintf(out, size, "%d %s", d->n,
		 d->n == 1 ? S_units[i].one : S_units[i].many);
}

sup_date sup_duration_add(const struct sup_duration *dur, sup_date d,
			  const struct sup_holidays *h)
{
	int y, m;

	switch (dur->unit) {
	case SUP_UNIT_DAYS:
		return d + dur->n;
	case SUP_UNIT_WEEKS:
		return d + 7 * dur->n;
	case SUP_UNIT_MONTHS:
		return sup_date_add_months(d, dur->n);
	case SUP_UNIT_WORKING_DAYS:
		return sup_add_working_days(h, d, dur->n);
	case SUP_UNIT_CALENDAR_MONTH:
		sup_date_to_ymd(d, &y, &m, NULL);
		/* Day 0 of the month after next is the last day of next
		 * month. */
		return sup_date_from_ymd(y, m + 2, 0);
	}
	return d;
}

int sup_duration_days(const struct sup_duration *dur)
{
	switch (dur->unit) {
	case SUP_UNIT_DAYS:
		return dur->n;
	case SUP_UNIT_WEEKS:
		return dur->n * 7;
	case SUP_UNIT_MONTHS:
		/* 30.44 days a month, so that 12 months is a year (365) and
		 * not 360. */
		return (int)((long)dur->n * 3044 / 100);
	case SUP_UNIT_WORKING_DAYS:
		return dur->n * 7 / 5;
	case SUP_UNIT_CALENDAR_MONTH:
		return 31;
	}
	return 0;
}

/* Timestamps. */

int sup_timestamp_parse(time_t *out, const char *s)
{
	static const char form[] = "YYYY-MM-DDTHH:MM:SSZ";
	sup_date d;
	int hh, mm, ss, rc;

	if (!s || strlen(s) != 20)
		return sup_error_set(SUP_EINVALID,
				     "invalid timestamp '%s' (expected %s)",
				     s ? s : "", form);
	if ((rc = S_parse_ymd(&d, s, "timestamp", form)) < 0)
		return rc;
	if (s[10] != 'T' || !S_digits(s + 11, 2, &hh) || s[13] != ':' ||
	    !S_digits(s + 14, 2, &mm) || s[16] != ':' ||
	    !S_digits(s + 17, 2, &ss) || s[19] != 'Z')
		return sup_error_set(SUP_EINVALID,
				     "invalid timestamp '%s' (expected %s)", s,
				     form);
	/* No leap second: time_t cannot represent one anyway. */
	if (hh > 23 || mm > 59 || ss > 59)
		return sup_error_set(SUP_EINVALID,
				     "invalid timestamp '%s': no time %02d:%02d:%02d",
				     s, hh, mm, ss);
	*out = (time_t)((int64_t)d * 86400 + hh * 3600 + mm * 60 + ss);
	return 0;
}

void sup_timestamp_format(char out[21], time_t t)
{
	int64_t secs = (int64_t)t;
	int64_t days = secs >= 0 ? secs / 86400 : -((86399 - secs) / 86400);
	int rem = (int)(secs - days * 86400);

	if (days < INT32_MIN + 1 || days > INT32_MAX)
		days = SUP_DATE_NONE;
	S_format_ymd(out, (sup_date)days);
	out[10] = 'T';
	S_put_digits(out + 11, 2, rem / 3600);
	out[13] = ':';
	S_put_digits(out + 14, 2, rem / 60 % 60);
	out[16] = ':';
	S_put_digits(out + 17, 2, rem % 60);
	out[19] = 'Z';
	out[20] = '\0';
}
