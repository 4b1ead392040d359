/* test_dates: unit tests for lib/dates.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "dates.h"
#include "error.h"
#include "util.h"

/* A date the test knows to be valid; failing to parse it is a test bug. */
static sup_date S_d(const char *s)
{
	sup_date d = SUP_DATE_NONE;

	assert_int_equal(sup_date_parse(&d, s), 0);
	return d;
}

static const char *S_fmt(sup_date d)
{
	static char buf[4][11];
	static int i;

	i = (i + 1) % 4;
	sup_date_format(buf[i], d);
	return buf[i];
}

static void S_refused(const char *s, const char *needle)
{
	sup_date d = 12345;

	sup_error_clear();
	assert_int_equal(sup_date_parse(&d, s), SUP_EINVALID);
	assert_int_equal(d, 12345);
	assert_int_equal(sup_error_code(), SUP_EINVALID);
	if (!strstr(sup_error_last(), needle))
		fail_msg("message for '%s' is '%s', wanted '%s' in it", s,
			 sup_error_last(), needle);
}

/*
 * Civil dates
 */

static void test_epoch_anchors(void **state)
{
	(void)state;
	assert_int_equal(sup_date_from_ymd(1970, 1, 1), 0);
	assert_int_equal(sup_date_from_ymd(1970, 1, 2), 1);
	assert_int_equal(sup_date_from_ymd(1969, 12, 31), -1);
	assert_int_equal(sup_date_from_ymd(2000, 3, 1), 11017);
	assert_int_equal(sup_date_from_ymd(1900, 1, 1), -25567);
	assert_int_equal(sup_date_from_ymd(2026, 1, 1), 20454);
	assert_int_equal(sup_date_from_ymd(9999, 12, 31), 2932896);
}

/* Every day of the supported range against a naive day-by-day count. */
static void test_every_day_round_trips(void **state)
{
	int y, m, d, gy, gm, gd;
	sup_date n = sup_date_from_ymd(1900, 1, 1);

	(void)state;
	for (y = 1900; y <= 9999; y++) {
		for (m = 1; m <= 12; m++) {
			for (d = 1; d <= sup_days_in_month(y, m); d++) {
				if (sup_date_from_ymd(y, m, d) != n)
					fail_msg("%04d-%02d-%02d is not day %d",
						 y, m, d, (int)n);
				sup_date_to_ymd(n, &gy, &gm, &gd);
				if (gy != y || gm != m || gd != d)
					fail_msg("day %d is %04d-%02d-%02d",
						 (int)n, gy, gm, gd);
				n++;
			}
		}
	}
	assert_int_equal(n, sup_date_from_ymd(10000, 1, 1));
}

static void test_from_ymd_normalises(void **state)
{
	(void)state;
	assert_string_equal(S_fmt(sup_date_from_ymd(2026, 13, 1)), "2027-01-01");
	assert_string_equal(S_fmt(sup_date_from_ymd(2026, 0, 1)), "2025-12-01");
	assert_string_equal(S_fmt(sup_date_from_ymd(2026, -11, 1)), "2025-01-01");
	assert_string_equal(S_fmt(sup_date_from_ymd(2026, -12, 1)), "2024-12-01");
	assert_string_equal(S_fmt(sup_date_from_ymd(2026, 3, 0)), "2026-02-28");
	assert_string_equal(S_fmt(sup_date_from_ymd(2024, 3, 0)), "2024-02-29");
	assert_string_equal(S_fmt(sup_date_from_ymd(2026, 1, 32)), "2026-02-01");
}

static void test_days_in_month(void **state)
{
	(void)state;
	assert_int_equal(sup_days_in_month(2026, 1), 31);
	assert_int_equal(sup_days_in_month(2026, 2), 28);
	assert_int_equal(sup_days_in_month(2024, 2), 29);
	assert_int_equal(sup_days_in_month(1900, 2), 28);
	assert_int_equal(sup_days_in_month(2000, 2), 29);
	assert_int_equal(sup_days_in_month(2026, 4), 30);
	assert_int_equal(sup_days_in_month(2026, 12), 31);
	assert_int_equal(sup_days_in_month(2026, 0), 0);
	assert_int_equal(sup_days_in_month(2026, 13), 0);
}

static void test_weekday(void **state)
{
	(void)state;
	assert_int_equal(sup_date_weekday(0), 3);		/* Thu */
	assert_int_equal(sup_date_weekday(-1), 2);		/* Wed */
	assert_int_equal(sup_date_weekday(S_d("1900-01-01")), 0);
	assert_int_equal(sup_date_weekday(S_d("2000-02-29")), 1);
	assert_int_equal(sup_date_weekday(S_d("2026-01-01")), 3);
	assert_int_equal(sup_date_weekday(S_d("2026-12-26")), 5);
	assert_int_equal(sup_date_weekday(S_d("2026-12-27")), 6);
	assert_int_equal(sup_date_weekday(S_d("2026-12-28")), 0);
	assert_int_equal(sup_date_weekday(S_d("9999-12-31")), 4);
	assert_int_equal(sup_date_weekday(SUP_DATE_NONE),
			 sup_date_weekday(SUP_DATE_NONE + 7));
}

static void test_parse_accepts(void **state)
{
	int y, m, d;

	(void)state;
	sup_date_to_ymd(S_d("2026-03-14"), &y, &m, &d);
	assert_int_equal(y, 2026);
	assert_int_equal(m, 3);
	assert_int_equal(d, 14);
	assert_string_equal(S_fmt(S_d("2024-02-29")), "2024-02-29");
	assert_string_equal(S_fmt(S_d("2000-02-29")), "2000-02-29");
	assert_string_equal(S_fmt(S_d("1900-01-01")), "1900-01-01");
	assert_string_equal(S_fmt(S_d("9999-12-31")), "9999-12-31");
	assert_string_equal(S_fmt(S_d("2026-12-31")), "2026-12-31");
}

static void test_parse_refuses(void **state)
{
	(void)state;
	S_refused("2026-02-30", "no day 30 in 2026-02");
	S_refused("2026-04-31", "no day 31 in 2026-04");
	S_refused("2026-01-00", "no day 00");
	S_refused("2025-02-29", "no day 29 in 2025-02");
	S_refused("1900-02-29", "no day 29 in 1900-02");
	S_refused("2026-13-01", "no month 13");
	S_refused("2026-00-01", "no month 00");
	S_refused("2026-2-3", "expected YYYY-MM-DD");
	S_refused("26-01-01", "expected YYYY-MM-DD");
	S_refused("2026-01-01x", "expected YYYY-MM-DD");
	S_refused("2026-01-01 ", "expected YYYY-MM-DD");
	S_refused(" 2026-01-01", "expected YYYY-MM-DD");
	S_refused("2026-01-1x", "expected YYYY-MM-DD");
	S_refused("2026/01/01", "expected YYYY-MM-DD");
	S_refused("2026-+1-01", "expected YYYY-MM-DD");
	S_refused("", "expected YYYY-MM-DD");
	S_refused("1899-12-31", "year outside 1900 to 9999");
	S_refused("0000-01-01", "year outside");
	S_refused("2026-02-30", "invalid date '2026-02-30'");
}

static void test_format(void **state)
{
	char buf[11];

	(void)state;
	memset(buf, 'x', sizeof(buf));
	sup_date_format(buf, sup_date_from_ymd(2026, 3, 4));
	assert_string_equal(buf, "2026-03-04");
	sup_date_format(buf, sup_date_from_ymd(1900, 1, 1));
	assert_string_equal(buf, "1900-01-01");
	/* Impossible dates still fit and do not parse back. */
	sup_date_format(buf, SUP_DATE_NONE);
	assert_string_equal(buf, "0000-00-00");
	sup_date_format(buf, sup_date_from_ymd(10000, 1, 1));
	assert_string_equal(buf, "0000-00-00");
}

static void test_add_months(void **state)
{
	(void)state;
	assert_string_equal(S_fmt(sup_date_add_months(S_d("2026-01-31"), 1)),
			    "2026-02-28");
	assert_string_equal(S_fmt(sup_date_add_months(S_d("2024-01-31"), 1)),
			    "2024-02-29");
	assert_string_equal(S_fmt(sup_date_add_months(S_d("2026-03-31"), 1)),
			    "2026-04-30");
	assert_string_equal(S_fmt(sup_date_add_months(S_d("2026-03-31"), -1)),
			    "2026-02-28");
	assert_string_equal(S_fmt(sup_date_add_months(S_d("2026-12-15"), 1)),
			    "2027-01-15");
	assert_string_equal(S_fmt(sup_date_add_months(S_d("2026-01-15"), -13)),
			    "2024-12-15");
	assert_string_equal(S_fmt(sup_date_add_months(S_d("2024-02-29"), 12)),
			    "2025-02-28");
	assert_string_equal(S_fmt(sup_date_add_months(S_d("2024-02-29"), 48)),
			    "2028-02-29");
	assert_string_equal(S_fmt(sup_date_add_months(S_d("2026-05-31"), 0)),
			    "2026-05-31");
	/* Clamping does not stick: the day comes from the start date. */
	assert_string_equal(S_fmt(sup_date_add_months(S_d("2026-01-31"), 2)),
			    "2026-03-31");
}

static void test_of_time_and_today(void **state)
{
	time_t t;
	sup_date today, now;

	(void)state;
	/* POSIX TZ rules need no tzdata on the test machine. */
	setenv("TZ", "UTC0", 1);
	tzset();
	assert_int_equal(sup_timestamp_parse(&t, "2026-07-01T23:30:00Z"), 0);
	assert_string_equal(S_fmt(sup_date_of_time(t)), "2026-07-01");
	setenv("TZ", "GMT0BST,M3.5.0/1,M10.5.0", 1);
	tzset();
	assert_string_equal(S_fmt(sup_date_of_time(t)), "2026-07-02");
	assert_int_equal(sup_timestamp_parse(&t, "2026-12-01T23:30:00Z"), 0);
	assert_string_equal(S_fmt(sup_date_of_time(t)), "2026-12-01");
	setenv("TZ", "EST5", 1);
	tzset();
	assert_int_equal(sup_timestamp_parse(&t, "2026-01-01T03:00:00Z"), 0);
	assert_string_equal(S_fmt(sup_date_of_time(t)), "2025-12-31");

	/* today may cross midnight between the two calls. */
	today = sup_date_today();
	now = sup_date_of_time(time(NULL));
	assert_true(now == today || now == today + 1);
	setenv("TZ", "UTC0", 1);
	tzset();
}

/*
 * Bank holidays
 */

static void S_check_year(const struct sup_holidays *h, int year,
			 const char *const *want, size_t nwant)
{
	sup_date got[32];
	size_t n, i;
	char what[64];

	n = sup_holidays_in_year(h, year, got, SUP_ARRAY_SIZE(got));
	for (i = 0; i < n && i < nwant; i++)
		if (strcmp(S_fmt(got[i]), want[i]))
			fail_msg("%d holiday %zu: got %s, wanted %s", year, i,
				 S_fmt(got[i]), want[i]);
	snprintf(what, sizeof(what), "%d count", year);
	if (n != nwant)
		fail_msg("%s: got %zu holidays, wanted %zu", what, n, nwant);
	for (i = 0; i < n; i++) {
		assert_true(sup_is_holiday(h, got[i]));
		assert_false(sup_is_working_day(h, got[i]));
		assert_true(sup_date_weekday(got[i]) < 5);
	}
}

#define CHECK_YEAR(h, y, ...) do { \
		static const char *const want_[] = { __VA_ARGS__ }; \
		S_check_year((h), (y), want_, SUP_ARRAY_SIZE(want_)); \
	} while (0)

static void test_england_and_wales_2020_2026(void **state)
{
	struct sup_holidays h;

	(void)state;
	sup_holidays_init(&h, SUP_HOLIDAYS_ENGLAND_AND_WALES);
	/* The one-off days of those years; 2020-05-08 is a move and built
	 * in. */
	sup_holidays_add(&h, S_d("2022-06-03"));
	sup_holidays_add(&h, S_d("2022-09-19"));
	sup_holidays_add(&h, S_d("2023-05-08"));
	CHECK_YEAR(&h, 2020, "2020-01-01", "2020-04-10", "2020-04-13",
		   "2020-05-08", "2020-05-25", "2020-08-31", "2020-12-25",
		   "2020-12-28");
	CHECK_YEAR(&h, 2021, "2021-01-01", "2021-04-02", "2021-04-05",
		   "2021-05-03", "2021-05-31", "2021-08-30", "2021-12-27",
		   "2021-12-28");
	CHECK_YEAR(&h, 2022, "2022-01-03", "2022-04-15", "2022-04-18",
		   "2022-05-02", "2022-06-02", "2022-06-03", "2022-08-29",
		   "2022-09-19", "2022-12-26", "2022-12-27");
	CHECK_YEAR(&h, 2023, "2023-01-02", "2023-04-07", "2023-04-10",
		   "2023-05-01", "2023-05-08", "2023-05-29", "2023-08-28",
		   "2023-12-25", "2023-12-26");
	CHECK_YEAR(&h, 2024, "2024-01-01", "2024-03-29", "2024-04-01",
		   "2024-05-06", "2024-05-27", "2024-08-26", "2024-12-25",
		   "2024-12-26");
	CHECK_YEAR(&h, 2025, "2025-01-01", "2025-04-18", "2025-04-21",
		   "2025-05-05", "2025-05-26", "2025-08-25", "2025-12-25",
		   "2025-12-26");
	CHECK_YEAR(&h, 2026, "2026-01-01", "2026-04-03", "2026-04-06",
		   "2026-05-04", "2026-05-25", "2026-08-31", "2026-12-25",
		   "2026-12-28");
	sup_holidays_release(&h);
	assert_null(h.extra);
	assert_int_equal(h.nextra, 0);
}

/* Without the extras the one-off days are ordinary working days. */
static void test_one_offs_not_built_in(void **state)
{
	static const char *const one_offs[] = {
		"1999-12-31", "2002-06-03", "2011-04-29", "2012-06-05",
		"2022-06-03", "2022-09-19", "2023-05-08"
	};
	enum sup_holiday_set sets[] = {
		SUP_HOLIDAYS_ENGLAND_AND_WALES, SUP_HOLIDAYS_SCOTLAND,
		SUP_HOLIDAYS_NORTHERN_IRELAND
	};
	struct sup_holidays h;
	size_t i, j;

	(void)state;
	for (j = 0; j < SUP_ARRAY_SIZE(sets); j++) {
		sup_holidays_init(&h, sets[j]);
		for (i = 0; i < SUP_ARRAY_SIZE(one_offs); i++)
			assert_true(sup_is_working_day(&h, S_d(one_offs[i])));
		sup_holidays_release(&h);
	}
	sup_holidays_init(&h, SUP_HOLIDAYS_ENGLAND_AND_WALES);
	CHECK_YEAR(&h, 2022, "2022-01-03", "2022-04-15", "2022-04-18",
		   "2022-05-02", "2022-06-02", "2022-08-29", "2022-12-26",
		   "2022-12-27");
	sup_holidays_release(&h);
}

/* The moves replace the regular day in every set. */
static void test_moves(void **state)
{
	static const struct {
		const char *regular, *moved;
	} moves[] = {
		{ "1995-05-01", "1995-05-08" },
		{ "2002-05-27", "2002-06-04" },
		{ "2012-05-28", "2012-06-04" },
		{ "2020-05-04", "2020-05-08" },
		{ "2022-05-30", "2022-06-02" },
	};
	enum sup_holiday_set sets[] = {
		SUP_HOLIDAYS_ENGLAND_AND_WALES, SUP_HOLIDAYS_SCOTLAND,
		SUP_HOLIDAYS_NORTHERN_IRELAND
	};
	struct sup_holidays h;
	size_t i, j;

	(void)state;
	for (j = 0; j < SUP_ARRAY_SIZE(sets); j++) {
		sup_holidays_init(&h, sets[j]);
		for (i = 0; i < SUP_ARRAY_SIZE(moves); i++) {
			assert_false(sup_is_holiday(&h, S_d(moves[i].regular)));
			assert_true(sup_is_holiday(&h, S_d(moves[i].moved)));
		}
		/* The year after a move is back to the rule. */
		assert_true(sup_is_holiday(&h, S_d("2021-05-03")));
		assert_true(sup_is_holiday(&h, S_d("2023-05-29")));
		sup_holidays_release(&h);
	}
}

static void test_scotland(void **state)
{
	struct sup_holidays h;

	(void)state;
	sup_holidays_init(&h, SUP_HOLIDAYS_SCOTLAND);
	/* 1 January on a Sunday: 2 January stays, 1 January moves to the
	 * 3rd. */
	CHECK_YEAR(&h, 2023, "2023-01-02", "2023-01-03", "2023-04-07",
		   "2023-05-01", "2023-05-29", "2023-08-07", "2023-11-30",
		   "2023-12-25", "2023-12-26");
	/* St Andrew's Day on a Saturday: Monday 2 December. */
	CHECK_YEAR(&h, 2024, "2024-01-01", "2024-01-02", "2024-03-29",
		   "2024-05-06", "2024-05-27", "2024-08-05", "2024-12-02",
		   "2024-12-25", "2024-12-26");
	CHECK_YEAR(&h, 2025, "2025-01-01", "2025-01-02", "2025-04-18",
		   "2025-05-05", "2025-05-26", "2025-08-04", "2025-12-01",
		   "2025-12-25", "2025-12-26");
	/* Boxing Day on a Saturday: Monday 28 December. */
	CHECK_YEAR(&h, 2026, "2026-01-01", "2026-01-02", "2026-04-03",
		   "2026-05-04", "2026-05-25", "2026-08-03", "2026-11-30",
		   "2026-12-25", "2026-12-28");
	/* 1 and 2 January on a weekend: Monday and Tuesday. */
	CHECK_YEAR(&h, 2022, "2022-01-03", "2022-01-04", "2022-04-15",
		   "2022-05-02", "2022-06-02", "2022-08-01", "2022-11-30",
		   "2022-12-26", "2022-12-27");
	/* No Easter Monday in Scotland. */
	assert_false(sup_is_holiday(&h, S_d("2026-04-06")));
	assert_false(sup_is_holiday(&h, S_d("2026-08-31")));
	sup_holidays_release(&h);
}

static void test_northern_ireland(void **state)
{
	struct sup_holidays h;

	(void)state;
	sup_holidays_init(&h, SUP_HOLIDAYS_NORTHERN_IRELAND);
	CHECK_YEAR(&h, 2024, "2024-01-01", "2024-03-18", "2024-03-29",
		   "2024-04-01", "2024-05-06", "2024-05-27", "2024-07-12",
		   "2024-08-26", "2024-12-25", "2024-12-26");
	CHECK_YEAR(&h, 2025, "2025-01-01", "2025-03-17", "2025-04-18",
		   "2025-04-21", "2025-05-05", "2025-05-26", "2025-07-14",
		   "2025-08-25", "2025-12-25", "2025-12-26");
	CHECK_YEAR(&h, 2026, "2026-01-01", "2026-03-17", "2026-04-03",
		   "2026-04-06", "2026-05-04", "2026-05-25", "2026-07-13",
		   "2026-08-31", "2026-12-25", "2026-12-28");
	sup_holidays_release(&h);
}

static void test_christmas_substitutes(void **state)
{
	struct sup_holidays h;

	(void)state;
	sup_holidays_init(&h, SUP_HOLIDAYS_ENGLAND_AND_WALES);
	/* Saturday Christmas (2027): Monday 27 and Tuesday 28. */
	assert_int_equal(sup_date_weekday(S_d("2027-12-25")), 5);
	assert_true(sup_is_holiday(&h, S_d("2027-12-27")));
	assert_true(sup_is_holiday(&h, S_d("2027-12-28")));
	assert_false(sup_is_holiday(&h, S_d("2027-12-29")));
	/* Sunday Christmas (2033): Monday 26 and Tuesday 27. */
	assert_int_equal(sup_date_weekday(S_d("2033-12-25")), 6);
	assert_true(sup_is_holiday(&h, S_d("2033-12-26")));
	assert_true(sup_is_holiday(&h, S_d("2033-12-27")));
	assert_false(sup_is_holiday(&h, S_d("2033-12-28")));
	/* Friday Christmas: Boxing Day Saturday, substitute Monday 28. */
	assert_true(sup_is_holiday(&h, S_d("2026-12-25")));
	assert_false(sup_is_holiday(&h, S_d("2026-12-26")));
	assert_true(sup_is_holiday(&h, S_d("2026-12-28")));
	/* New Year's Day on a Saturday: Monday 3rd. */
	assert_true(sup_is_holiday(&h, S_d("2028-01-03")));
	sup_holidays_release(&h);
}

static void test_easter(void **state)
{
	/* Easter Sundays from published tables, including the extremes
	 * (22 March, 25 April) and the turn of the centuries. */
	static const char *const easter[] = {
		"1900-04-15", "1913-03-23", "1943-04-25", "1954-04-18",
		"1961-04-02", "1981-04-19", "2000-04-23", "2008-03-23",
		"2011-04-24", "2019-04-21", "2038-04-25", "2100-03-28",
		"2285-03-22", "9999-03-28",
	};
	struct sup_holidays ew, sc;
	size_t i;

	(void)state;
	sup_holidays_init(&ew, SUP_HOLIDAYS_ENGLAND_AND_WALES);
	sup_holidays_init(&sc, SUP_HOLIDAYS_SCOTLAND);
	for (i = 0; i < SUP_ARRAY_SIZE(easter); i++) {
		sup_date e = S_d(easter[i]);

		assert_int_equal(sup_date_weekday(e), 6);
		if (!sup_is_holiday(&ew, e - 2) || !sup_is_holiday(&ew, e + 1))
			fail_msg("Easter %s not found", easter[i]);
		assert_false(sup_is_holiday(&ew, e - 3));
		assert_true(sup_is_holiday(&sc, e - 2));
		assert_false(sup_is_holiday(&sc, e + 1));
	}
	sup_holidays_release(&ew);
	sup_holidays_release(&sc);
}

/* Every year of the range: the right count, all weekdays, sorted. */
static void test_every_year_shape(void **state)
{
	static const struct {
		enum sup_holiday_set set;
		size_t count;
	} sets[] = {
		{ SUP_HOLIDAYS_NONE, 0 },
		{ SUP_HOLIDAYS_ENGLAND_AND_WALES, 8 },
		{ SUP_HOLIDAYS_SCOTLAND, 9 },
		{ SUP_HOLIDAYS_NORTHERN_IRELAND, 10 },
	};
	sup_date got[32];
	size_t i, j, n;
	int y, gy;

	(void)state;
	for (j = 0; j < SUP_ARRAY_SIZE(sets); j++) {
		struct sup_holidays h;

		sup_holidays_init(&h, sets[j].set);
		for (y = 1900; y <= 9999; y++) {
			n = sup_holidays_in_year(&h, y, got, SUP_ARRAY_SIZE(got));
			if (n != sets[j].count)
				fail_msg("set %d year %d: %zu holidays", (int)j,
					 y, n);
			for (i = 0; i < n; i++) {
				sup_date_to_ymd(got[i], &gy, NULL, NULL);
				assert_int_equal(gy, y);
				assert_true(sup_date_weekday(got[i]) < 5);
				if (i)
					assert_true(got[i - 1] < got[i]);
			}
		}
		sup_holidays_release(&h);
	}
}

static void test_extras(void **state)
{
	struct sup_holidays h;
	sup_date got[4];

	(void)state;
	sup_holidays_init(&h, SUP_HOLIDAYS_NONE);
	assert_false(sup_is_holiday(&h, S_d("2026-12-25")));
	assert_true(sup_is_working_day(&h, S_d("2026-12-25")));
	sup_holidays_add(&h, S_d("2027-06-07"));
	sup_holidays_add(&h, S_d("2026-12-25"));
	sup_holidays_add(&h, S_d("2027-06-07"));
	sup_holidays_add(&h, S_d("2025-01-02"));
	assert_int_equal(h.nextra, 3);
	assert_string_equal(S_fmt(h.extra[0]), "2025-01-02");
	assert_string_equal(S_fmt(h.extra[1]), "2026-12-25");
	assert_string_equal(S_fmt(h.extra[2]), "2027-06-07");
	assert_true(sup_is_holiday(&h, S_d("2026-12-25")));
	assert_false(sup_is_holiday(&h, S_d("2026-12-24")));
	CHECK_YEAR(&h, 2026, "2026-12-25");
	CHECK_YEAR(&h, 2024);
	sup_holidays_release(&h);

	/* An extra day that is also a built-in one is listed once; max
	 * bounds the list. */
	sup_holidays_init(&h, SUP_HOLIDAYS_ENGLAND_AND_WALES);
	sup_holidays_add(&h, S_d("2026-12-25"));
	sup_holidays_add(&h, S_d("2026-12-31"));
	CHECK_YEAR(&h, 2026, "2026-01-01", "2026-04-03", "2026-04-06",
		   "2026-05-04", "2026-05-25", "2026-08-31", "2026-12-25",
		   "2026-12-28", "2026-12-31");
	assert_int_equal(sup_holidays_in_year(&h, 2026, got, 3), 3);
	assert_string_equal(S_fmt(got[2]), "2026-04-06");
	assert_int_equal(sup_holidays_in_year(&h, 2026, got, 0), 0);
	assert_int_equal(sup_holidays_in_year(NULL, 2026, got, 4), 0);
	sup_holidays_release(&h);
	sup_holidays_release(NULL);
}

static void test_holiday_set_parse(void **state)
{
	enum sup_holiday_set set = SUP_HOLIDAYS_NONE;

	(void)state;
	assert_int_equal(sup_holiday_set_parse(&set, "england-and-wales"), 0);
	assert_int_equal(set, SUP_HOLIDAYS_ENGLAND_AND_WALES);
	assert_int_equal(sup_holiday_set_parse(&set, "scotland"), 0);
	assert_int_equal(set, SUP_HOLIDAYS_SCOTLAND);
	assert_int_equal(sup_holiday_set_parse(&set, "northern-ireland"), 0);
	assert_int_equal(set, SUP_HOLIDAYS_NORTHERN_IRELAND);
	assert_int_equal(sup_holiday_set_parse(&set, "none"), 0);
	assert_int_equal(set, SUP_HOLIDAYS_NONE);

	set = SUP_HOLIDAYS_SCOTLAND;
	assert_int_equal(sup_holiday_set_parse(&set, "england"), SUP_EINVALID);
	assert_int_equal(set, SUP_HOLIDAYS_SCOTLAND);
	assert_non_null(strstr(sup_error_last(),
			       "expected england-and-wales, scotland, northern-ireland or none"));
	assert_int_equal(sup_holiday_set_parse(&set, "scotlnd"), SUP_EINVALID);
	assert_string_equal(sup_error_last(),
			    "unknown holiday set 'scotlnd' (did you mean 'scotland'?)");
	assert_int_equal(sup_holiday_set_parse(&set, "Scotland"), SUP_EINVALID);
	assert_int_equal(sup_holiday_set_parse(&set, ""), SUP_EINVALID);
}

/*
 * Working days
 */

static void test_add_working_days(void **state)
{
	struct sup_holidays h;

	(void)state;
	sup_holidays_init(&h, SUP_HOLIDAYS_ENGLAND_AND_WALES);
	/* Christmas Friday, Boxing Day Saturday with Monday 28 in lieu. */
	assert_string_equal(S_fmt(sup_add_working_days(&h, S_d("2026-12-24"), 1)),
			    "2026-12-29");
	assert_string_equal(S_fmt(sup_add_working_days(&h, S_d("2026-12-24"), 5)),
			    "2027-01-05");
	assert_string_equal(S_fmt(sup_add_working_days(&h, S_d("2026-12-24"), 0)),
			    "2026-12-24");
	/* Easter: Thursday + 1 is the Tuesday. */
	assert_string_equal(S_fmt(sup_add_working_days(&h, S_d("2026-04-02"), 1)),
			    "2026-04-07");
	/* Friday + 1 is Monday; from a Saturday too. */
	assert_string_equal(S_fmt(sup_add_working_days(&h, S_d("2026-03-13"), 1)),
			    "2026-03-16");
	assert_string_equal(S_fmt(sup_add_working_days(&h, S_d("2026-03-14"), 1)),
			    "2026-03-16");
	assert_string_equal(S_fmt(sup_add_working_days(&h, S_d("2026-03-16"), 10)),
			    "2026-03-30");
	/* Backwards over the same weekend. */
	assert_string_equal(S_fmt(sup_add_working_days(&h, S_d("2026-12-29"), -1)),
			    "2026-12-24");
	/* Without holidays only weekends are skipped. */
	assert_string_equal(S_fmt(sup_add_working_days(NULL, S_d("2026-12-24"), 1)),
			    "2026-12-25");
	assert_string_equal(S_fmt(sup_add_working_days(NULL, S_d("2026-12-25"), 1)),
			    "2026-12-28");
	/* Scotland works on Easter Monday. */
	h.set = SUP_HOLIDAYS_SCOTLAND;
	assert_string_equal(S_fmt(sup_add_working_days(&h, S_d("2026-04-02"), 1)),
			    "2026-04-06");
	sup_holidays_release(&h);
}

static void test_is_working_day(void **state)
{
	struct sup_holidays h;

	(void)state;
	sup_holidays_init(&h, SUP_HOLIDAYS_ENGLAND_AND_WALES);
	assert_true(sup_is_working_day(&h, S_d("2026-12-24")));
	assert_false(sup_is_working_day(&h, S_d("2026-12-25")));
	assert_false(sup_is_working_day(&h, S_d("2026-12-26")));
	assert_false(sup_is_working_day(&h, S_d("2026-12-27")));
	assert_false(sup_is_working_day(&h, S_d("2026-12-28")));
	assert_true(sup_is_working_day(&h, S_d("2026-12-29")));
	assert_true(sup_is_working_day(NULL, S_d("2026-12-25")));
	assert_false(sup_is_working_day(NULL, S_d("2026-12-26")));
	assert_false(sup_is_holiday(NULL, S_d("2026-12-25")));
	sup_holidays_release(&h);
}

static void test_working_days_between(void **state)
{
	struct sup_holidays h;
	sup_date from, to;

	(void)state;
	sup_holidays_init(&h, SUP_HOLIDAYS_ENGLAND_AND_WALES);
	assert_int_equal(sup_working_days_between(&h, S_d("2026-12-24"),
						  S_d("2026-12-29")), 1);
	assert_int_equal(sup_working_days_between(NULL, S_d("2026-12-24"),
						  S_d("2026-12-29")), 3);
	assert_int_equal(sup_working_days_between(&h, S_d("2026-12-24"),
						  S_d("2026-12-24")), 0);
	assert_int_equal(sup_working_days_between(&h, S_d("2026-12-29"),
						  S_d("2026-12-24")), 0);
	/* (Fri, Mon] is one day; the start is not counted. */
	assert_int_equal(sup_working_days_between(&h, S_d("2026-03-13"),
						  S_d("2026-03-16")), 1);
	/* 2026 has 261 weekdays and 8 bank holidays, all on weekdays. */
	assert_int_equal(sup_working_days_between(NULL, S_d("2025-12-31"),
						  S_d("2026-12-31")), 261);
	assert_int_equal(sup_working_days_between(&h, S_d("2025-12-31"),
						  S_d("2026-12-31")), 253);
	/* The inverse of sup_add_working_days, across several years. */
	for (from = S_d("2025-12-20"); from < S_d("2026-01-10"); from++)
		for (to = from; to < from + 800; to += 13) {
			int n = sup_working_days_between(&h, from, to);

			assert_true(sup_add_working_days(&h, from, n) <= to);
			assert_true(sup_add_working_days(&h, from, n + 1) > to);
		}
	sup_holidays_release(&h);
}

/*
 * Durations
 */

static void S_duration_ok(const char *s, int n, enum sup_unit unit,
			  const char *canonical)
{
	struct sup_duration d = { -1, SUP_UNIT_DAYS };
	char buf[32];

	if (sup_duration_parse(&d, s) < 0)
		fail_msg("'%s' refused: %s", s, sup_error_last());
	assert_int_equal(d.n, n);
	assert_int_equal(d.unit, unit);
	sup_duration_format(buf, sizeof(buf), &d);
	assert_string_equal(buf, canonical);
}

static void S_duration_refused(const char *s, const char *needle)
{
	struct sup_duration d = { 42, SUP_UNIT_DAYS };

	sup_error_clear();
	assert_int_equal(sup_duration_parse(&d, s), SUP_EINVALID);
	assert_int_equal(d.n, 42);
	if (!strstr(sup_error_last(), needle))
		fail_msg("message for '%s' is '%s', wanted '%s' in it", s,
			 sup_error_last(), needle);
}

static void test_duration_parse(void **state)
{
	static const char expected[] =
		"expected \"N days\", \"N weeks\", \"N months\", \"N working days\" or \"calendar month\"";

	(void)state;
	S_duration_ok("4 weeks", 4, SUP_UNIT_WEEKS, "4 weeks");
	S_duration_ok("1 week", 1, SUP_UNIT_WEEKS, "1 week");
	S_duration_ok("1 weeks", 1, SUP_UNIT_WEEKS, "1 week");
	S_duration_ok("5 working days", 5, SUP_UNIT_WORKING_DAYS,
		      "5 working days");
	S_duration_ok("1 working day", 1, SUP_UNIT_WORKING_DAYS,
		      "1 working day");
	S_duration_ok("12 months", 12, SUP_UNIT_MONTHS, "12 months");
	S_duration_ok("1 month", 1, SUP_UNIT_MONTHS, "1 month");
	S_duration_ok("10 days", 10, SUP_UNIT_DAYS, "10 days");
	S_duration_ok("1 day", 1, SUP_UNIT_DAYS, "1 day");
	S_duration_ok("9999 days", 9999, SUP_UNIT_DAYS, "9999 days");
	S_duration_ok("calendar month", 1, SUP_UNIT_CALENDAR_MONTH,
		      "calendar month");

	S_duration_refused("4 fortnights", expected);
	S_duration_refused("weeks", expected);
	S_duration_refused("4weeks", expected);
	S_duration_refused("4weeks", "single spaces");
	S_duration_refused("4  weeks", expected);
	S_duration_refused(" 4 weeks", expected);
	S_duration_refused("4 weeks ", expected);
	S_duration_refused("4 Weeks", expected);
	S_duration_refused("4 working  days", expected);
	S_duration_refused("-1 days", expected);
	S_duration_refused("+1 days", expected);
	S_duration_refused("04 weeks", expected);
	S_duration_refused("1.5 weeks", expected);
	S_duration_refused("1 calendar month", expected);
	S_duration_refused("calendar months", expected);
	S_duration_refused("", expected);
	S_duration_refused("4", expected);
	S_duration_refused("4 ", expected);
	S_duration_refused("0 weeks", "the number must be from 1 to 9999");
	S_duration_refused("10000 days", "the number must be from 1 to 9999");
	S_duration_refused("99999999999999999999 days", "from 1 to 9999");
	S_duration_refused("2 week", "did you mean '2 weeks'?");
	S_duration_refused("4 fortnights", "invalid duration '4 fortnights'");
}

static void test_duration_format_small_buffer(void **state)
{
	struct sup_duration d = { 12, SUP_UNIT_MONTHS };
	char buf[5];

	(void)state;
	memset(buf, 'x', sizeof(buf));
	sup_duration_format(buf, sizeof(buf), &d);
	assert_string_equal(buf, "12 m");
}

static void test_duration_add(void **state)
{
	struct sup_holidays h;
	struct sup_duration d;

	(void)state;
	sup_holidays_init(&h, SUP_HOLIDAYS_ENGLAND_AND_WALES);
	d.n = 10, d.unit = SUP_UNIT_DAYS;
	assert_string_equal(S_fmt(sup_duration_add(&d, S_d("2026-12-24"), &h)),
			    "2027-01-03");
	d.n = 4, d.unit = SUP_UNIT_WEEKS;
	assert_string_equal(S_fmt(sup_duration_add(&d, S_d("2026-12-24"), &h)),
			    "2027-01-21");
	d.n = 1, d.unit = SUP_UNIT_MONTHS;
	assert_string_equal(S_fmt(sup_duration_add(&d, S_d("2026-01-31"), &h)),
			    "2026-02-28");
	d.n = 12;
	assert_string_equal(S_fmt(sup_duration_add(&d, S_d("2024-02-29"), &h)),
			    "2025-02-28");
	d.n = 5, d.unit = SUP_UNIT_WORKING_DAYS;
	assert_string_equal(S_fmt(sup_duration_add(&d, S_d("2026-12-24"), &h)),
			    "2027-01-05");
	assert_string_equal(S_fmt(sup_duration_add(&d, S_d("2026-12-24"), NULL)),
			    "2026-12-31");
	d.n = 1, d.unit = SUP_UNIT_CALENDAR_MONTH;
	assert_string_equal(S_fmt(sup_duration_add(&d, S_d("2026-01-15"), &h)),
			    "2026-02-28");
	assert_string_equal(S_fmt(sup_duration_add(&d, S_d("2026-01-01"), &h)),
			    "2026-02-28");
	assert_string_equal(S_fmt(sup_duration_add(&d, S_d("2024-01-31"), &h)),
			    "2024-02-29");
	assert_string_equal(S_fmt(sup_duration_add(&d, S_d("2026-11-03"), &h)),
			    "2026-12-31");
	assert_string_equal(S_fmt(sup_duration_add(&d, S_d("2026-12-03"), &h)),
			    "2027-01-31");
	sup_holidays_release(&h);
}

static void test_duration_days(void **state)
{
	struct sup_duration d;

	(void)state;
	d.n = 3, d.unit = SUP_UNIT_DAYS;
	assert_int_equal(sup_duration_days(&d), 3);
	d.n = 2, d.unit = SUP_UNIT_WEEKS;
	assert_int_equal(sup_duration_days(&d), 14);
	d.n = 1, d.unit = SUP_UNIT_MONTHS;
	assert_int_equal(sup_duration_days(&d), 30);
	d.n = 12;
	assert_int_equal(sup_duration_days(&d), 365);
	d.n = 5, d.unit = SUP_UNIT_WORKING_DAYS;
	assert_int_equal(sup_duration_days(&d), 7);
	d.n = 10;
	assert_int_equal(sup_duration_days(&d), 14);
	d.n = 1, d.unit = SUP_UNIT_CALENDAR_MONTH;
	assert_int_equal(sup_duration_days(&d), 31);
	/* The comparison the header promises. */
	d.n = 2, d.unit = SUP_UNIT_WEEKS;
	{
		struct sup_duration month = { 1, SUP_UNIT_MONTHS };

		assert_true(sup_duration_days(&d) < sup_duration_days(&month));
	}
}

/*
 * Timestamps
 */

static void S_ts_round_trip(const char *s, long long want)
{
	time_t t = 0;
	char buf[21];

	if (sup_timestamp_parse(&t, s) < 0)
		fail_msg("'%s' refused: %s", s, sup_error_last());
	assert_int_equal((long long)t, want);
	memset(buf, 'x', sizeof(buf));
	sup_timestamp_format(buf, t);
	assert_string_equal(buf, s);
}

static void S_ts_refused(const char *s, const char *needle)
{
	time_t t = 7;

	sup_error_clear();
	assert_int_equal(sup_timestamp_parse(&t, s), SUP_EINVALID);
	assert_int_equal((long long)t, 7);
	if (!strstr(sup_error_last(), needle))
		fail_msg("message for '%s' is '%s', wanted '%s' in it", s,
			 sup_error_last(), needle);
}

static void test_timestamps(void **state)
{
	time_t t;
	char buf[21];

	(void)state;
	S_ts_round_trip("1970-01-01T00:00:00Z", 0);
	S_ts_round_trip("1970-01-01T00:00:01Z", 1);
	S_ts_round_trip("1969-12-31T23:59:59Z", -1);
	S_ts_round_trip("2026-03-14T09:30:05Z", 1773480605LL);
	S_ts_round_trip("2000-02-29T12:00:00Z", 951825600LL);
	S_ts_round_trip("2038-01-19T03:14:08Z", 2147483648LL);
	S_ts_round_trip("1900-01-01T00:00:00Z", -2208988800LL);
	S_ts_round_trip("9999-12-31T23:59:59Z", 253402300799LL);

	/* Agrees with the C library's own UTC conversion. */
	for (t = -2208988800LL; t < 4102444800LL; t += 86400 * 37 + 3671) {
		struct tm tm;
		char want[32];

		assert_non_null(gmtime_r(&t, &tm));
		strftime(want, sizeof(want), "%Y-%m-%dT%H:%M:%SZ", &tm);
		sup_timestamp_format(buf, t);
		assert_string_equal(buf, want);
	}

	S_ts_refused("2026-03-14T09:30:05", "expected YYYY-MM-DDTHH:MM:SSZ");
	S_ts_refused("2026-03-14t09:30:05Z", "expected YYYY-MM-DDTHH:MM:SSZ");
	S_ts_refused("2026-03-14T09:30:05z", "expected YYYY-MM-DDTHH:MM:SSZ");
	S_ts_refused("2026-03-14 09:30:05Z", "expected YYYY-MM-DDTHH:MM:SSZ");
	S_ts_refused("2026-03-14T09:30:05+00:00", "expected");
	S_ts_refused("2026-03-14T09:30:05.000Z", "expected");
	S_ts_refused("2026-03-14T09:30:05Zx", "expected");
	S_ts_refused("2026-03-14T9:30:05Z", "expected");
	S_ts_refused("2026-03-14", "expected");
	S_ts_refused("", "expected");
	S_ts_refused("2026-02-30T09:30:05Z", "no day 30 in 2026-02");
	S_ts_refused("2026-13-14T09:30:05Z", "no month 13");
	S_ts_refused("1899-12-31T23:59:59Z", "year outside");
	S_ts_refused("2026-03-14T24:00:00Z", "no time 24:00:00");
	S_ts_refused("2026-03-14T23:60:00Z", "no time 23:60:00");
	S_ts_refused("2026-12-31T23:59:60Z", "no time 23:59:60");
	S_ts_refused("2026-03-14T09:30:5xZ",
		     "invalid timestamp '2026-03-14T09:30:5xZ'");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_epoch_anchors),
		cmocka_unit_test(test_every_day_round_trips),
		cmocka_unit_test(test_from_ymd_normalises),
		cmocka_unit_test(test_days_in_month),
		cmocka_unit_test(test_weekday),
		cmocka_unit_test(test_parse_accepts),
		cmocka_unit_test(test_parse_refuses),
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_add_months),
		cmocka_unit_test(test_of_time_and_today),
		cmocka_unit_test(test_england_and_wales_2020_2026),
		cmocka_unit_test(test_one_offs_not_built_in),
		cmocka_unit_test(test_moves),
		cmocka_unit_test(test_scotland),
		cmocka_unit_test(test_northern_ireland),
		cmocka_unit_test(test_christmas_substitutes),
		cmocka_unit_test(test_easter),
		cmocka_unit_test(test_every_year_shape),
		cmocka_unit_test(test_extras),
		cmocka_unit_test(test_holiday_set_parse),
		cmocka_unit_test(test_add_working_days),
		cmocka_unit_test(test_is_working_day),
		cmocka_unit_test(test_working_days_between),
		cmocka_unit_test(test_duration_parse),
		cmocka_unit_test(test_duration_format_small_buffer),
		cmocka_unit_test(test_duration_add),
		cmocka_unit_test(test_duration_days),
		cmocka_unit_test(test_timestamps),
	};
	int rc;

	setenv("TZ", "UTC0", 1);
	tzset();
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	sup_error_clear();
	sup_diag_clear();
	return rc;
}
