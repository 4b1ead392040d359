/*
 * dates: calendar dates, durations of DESIGN.md section 3, bank holidays and
 * working days, and UTC timestamps.
 *
 * A date is a day number: days since 1970-01-01 (0), in the proleptic
 * Gregorian calendar; valid years are 1900..9999.
 */
#ifndef SUP_DATES_H
#define SUP_DATES_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

typedef int32_t sup_date;

#define SUP_DATE_NONE INT32_MIN

/* Parse exactly "YYYY-MM-DD" (a real date: 2026-02-30 is refused).
 * 0 or SUP_EINVALID with a message (no position: callers add it). */
int sup_date_parse(sup_date *out, const char *s);
/* Write "YYYY-MM-DD" and a NUL into out (11 bytes). */
void sup_date_format(char out[11], sup_date d);
sup_date sup_date_from_ymd(int y, int m, int d);
void sup_date_to_ymd(sup_date d, int *y, int *m, int *day);
/* 0 = Monday ... 6 = Sunday (ISO). */
int sup_date_weekday(sup_date d);
/* Today in local time (TZ honoured). */
sup_date sup_date_today(void);
/* Add n calendar months, clamping to the end of a shorter month
 * (2026-01-31 + 1 month = 2026-02-28). */
sup_date sup_date_add_months(sup_date d, int n);
int sup_days_in_month(int y, int m);

/* Bank holidays: a built-in rule set plus one-off extra days. */
enum sup_holiday_set {
	SUP_HOLIDAYS_NONE,
	SUP_HOLIDAYS_ENGLAND_AND_WALES,
	SUP_HOLIDAYS_SCOTLAND,
	SUP_HOLIDAYS_NORTHERN_IRELAND
};

struct sup_holidays {
	enum sup_holiday_set set;
	sup_date *extra;	/* sorted, unique */
	size_t nextra;
};

/* Name -> set: "england-and-wales", "scotland", "northern-ireland",
 * "none".  SUP_EINVALID for anything else. */
int sup_holiday_set_parse(enum sup_holiday_set *out, const char *name);
void sup_holidays_init(struct sup_holidays *h, enum sup_holiday_set set);
void sup_holidays_add(struct sup_holidays *h, sup_date d);
void sup_holidays_release(struct sup_holidays *h);
/* 1 if d is a bank holiday under the set (computed for any year: Easter
 * by the Gregorian computus; substitute days when a fixed holiday falls on
 * a weekend) or one of the extra days. */
int sup_is_holiday(const struct sup_holidays *h, sup_date d);
/* Monday to Friday and not a holiday.  h may be NULL (weekdays only). */
int sup_is_working_day(const struct sup_holidays *h, sup_date d);
/* The date n working days after d (n >= 0; d itself is not counted, so
 * Friday + 1 working day is Monday when Monday is not a holiday). */
sup_date sup_add_working_days(const struct sup_holidays *h, sup_date d, int n);
/* Working days in (from, to]: 0 when to <= from. */
int sup_working_days_between(const struct sup_holidays *h, sup_date from,
			     sup_date to);
/* All holidays of a year under the set, extra days included, sorted;
 * returns the count written (at most max). For listings and tests. */
size_t sup_holidays_in_year(const struct sup_holidays *h, int year,
			    sup_date *out, size_t max);

/*
 * Durations: "N days", "N weeks", "N months", "N working days" (N a
 * positive integer, singular accepted: "1 week"), and "calendar month"
 * (due once in every calendar month).
 */
enum sup_unit {
	SUP_UNIT_DAYS,
	SUP_UNIT_WEEKS,
	SUP_UNIT_MONTHS,
	SUP_UNIT_WORKING_DAYS,
	SUP_UNIT_CALENDAR_MONTH
};

struct sup_duration {
	int n;
	enum sup_unit unit;
};

/* Parse a duration; SUP_EINVALID with a message saying what is accepted. */
int sup_duration_parse(struct sup_duration *out, const char *s);
/* Canonical text ("4 weeks", "calendar month") into out. */
void sup_duration_format(char *out, size_t size, const struct sup_duration *d);
/* d + duration.  Working days use h (may be NULL).  For "calendar month"
 * the result is the last day of the month after d's month (the next
 * session is due within the next calendar month). */
sup_date sup_duration_add(const struct sup_duration *dur, sup_date d,
			  const struct sup_holidays *h);
/* An approximate length in days, for comparing frequencies ("2 weeks" is
 * more frequent than "1 month"): days 1, weeks 7, months 30.44 -> 30,
 * working days n*7/5, calendar month 31. */
int sup_duration_days(const struct sup_duration *dur);

/* UTC timestamps "YYYY-MM-DDTHH:MM:SSZ". */
int sup_timestamp_parse(time_t *out, const char *s);
void sup_timestamp_format(char out[21], time_t t);
/* The date of a UTC timestamp in the local time zone. */
sup_date sup_date_of_time(time_t t);

#endif
