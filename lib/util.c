/* util: allocation, buffers, files (see util.h). */
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static void S_oom(void)
{
	fputs("sup: out of memory\n", stderr);
	abort();
}

void *sup_xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (!p)
		S_oom();
	return p;
}

void *sup_xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);

	if (!p)
		S_oom();
	return p;
}

void *sup_xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);

	if (!q)
		S_oom();
	return q;
}

char *sup_xstrdup(const char *s)
{
	return sup_xstrndup(s, strlen(s));
}

char *sup_xstrndup(const char *s, size_t n)
{
	char *p = sup_xmalloc(n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *sup_xasprintf(const char *fmt, ...)
{
	struct sup_buf b = SUP_BUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	sup_buf_vprintf(&b, fmt, ap);
	va_end(ap);
	return sup_buf_detach(&b);
}

void sup_buf_grow(struct sup_buf *b, size_t extra)
{
	size_t want;

	if (extra > SIZE_MAX - b->len - 1)
		S_oom();
	want = b->len + extra + 1;
	if (want <= b->cap)
		return;
	if (b->cap && b->cap < SIZE_MAX / 2 && b->cap * 2 > want)
		want = b->cap * 2;
	else if (want < 64)
		want = 64;
	b->ptr = sup_xrealloc(b->ptr, want);
	b->cap = want;
}

void sup_buf_put(struct sup_buf *b, const void *data, size_t len)
{
	sup_buf_grow(b, len);
	if (len)
		memcpy(b->ptr + b->len, data, len);
	b->len += len;
	b->ptr[b->len] = '\0';
}

void sup_buf_puts(struct sup_buf *b, const char *s)
{
	sup_buf_put(b, s, strlen(s));
}

void sup_buf_putc(struct sup_buf *b, int c)
{
	char ch = (char)c;

	sup_buf_put(b, &ch, 1);
}

void sup_buf_vprintf(struct sup_buf *b, const char *fmt, va_list ap)
{
	va_list cp;
	int n;

	va_copy(cp, ap);
	n = vsnprintf(NULL, 0, fmt, cp);
	va_end(cp);
	if (n < 0)
		return;
	sup_buf_grow(b, (size_t)n);
	vsnprintf(b->ptr + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
}

void sup_buf_printf(struct sup_buf *b, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	sup_buf_vprintf(b, fmt, ap);
	va_end(ap);
}

void sup_buf_truncate(struct sup_buf *b, size_t len)
{
	if (len < b->len) {
		b->len = len;
		b->ptr[len] = '\0';
	}
}

char *sup_buf_detach(struct sup_buf *b)
{
	char *p = b->ptr ? b->ptr : sup_xstrdup("");

	b->ptr = NULL;
	b->len = b->cap = 0;
	return p;
}

const char *sup_buf_cstr(const struct sup_buf *b)
{
	return b->ptr ? b->ptr : "";
}

void sup_buf_release(struct sup_buf *b)
{
	free(b->ptr);
	b->ptr = NULL;
	b->len = b->cap = 0;
}

int sup_read_file(struct sup_buf *out, const char *path, size_t max)
{
	struct stat st;
	size_t total = 0, start = out->len;
	ssize_t n;
	int fd, rc;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		if (errno == ENOENT)
			return sup_error_set(SUP_ENOTFOUND, "%s: no such file", path);
		return sup_error_set(SUP_ERROR, "%s: %s", path, strerror(errno));
	}
	if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
		close(fd);
		return sup_error_set(SUP_EINVALID, "%s: is a directory", path);
	}
	/* read straight into the buffer, sized once for a regular file (an
	 * index of 17 MB was copied and regrown chunk by chunk) */
	if (S_ISREG(st.st_mode) && st.st_size > 0 && (uint64_t)st.st_size <= max)
		sup_buf_grow(out, (size_t)st.st_size);
	for (;;) {
		if (out->cap - out->len < 4096 + 1)
			sup_buf_grow(out, 65536);
		n = read(fd, out->ptr + out->len, out->cap - out->len - 1);
		if (n == 0)
			break;
		if (n < 0) {
			if (errno == EINTR)
				continue;
			rc = sup_error_set(SUP_ERROR, "%s: %s", path,
					   strerror(errno));
			goto fail;
		}
		total += (size_t)n;
		if (total > max) {
			rc = sup_error_at(SUP_EINVALID, path, 0, 0,
					  "file is larger than %zu bytes", max);
			goto fail;
		}
		out->len += (size_t)n;
	}
	close(fd);
	if (out->ptr)
		out->ptr[out->len] = '\0';	/* grown, so there is room */
	if (!out->ptr)
		sup_buf_put(out, "", 0);
	return 0;
fail:
	/* a refused file must not leave half of itself in the caller's
	 * buffer */
	close(fd);
	if (out->ptr)
		sup_buf_truncate(out, start);
	return rc;
}

int sup_mkdir_p(const char *path)
{
	char *p, *s;
	struct stat st;
	int rc = 0;

	if (!*path)
		return sup_error_set(SUP_ERROR,
				     "cannot create directory '': empty path");
	p = sup_xstrdup(path);
	for (s = p + 1; ; s++) {
		if (*s == '/' || *s == '\0') {
			char c = *s;

			*s = '\0';
			/* an existing directory may fail with EACCES or EROFS
			 * rather than EEXIST (a read-only mount, a parent we
			 * cannot write), so what is there decides */
			if (mkdir(p, 0777) < 0) {
				int err = errno;

				if (stat(p, &st) < 0) {
					rc = sup_error_set(SUP_ERROR,
							   "cannot create directory '%s': %s",
							   p, strerror(err));
					break;
				}
				if (!S_ISDIR(st.st_mode)) {
					rc = sup_error_set(SUP_ERROR,
							   "cannot create directory '%s': a file is in the way",
							   p);
					break;
				}
			}
			*s = c;
			if (!c)
				break;
		}
	}
	free(p);
	return rc;
}

int sup_write_file(const char *path, const void *data, size_t len)
{
	char *tmp, *dir, *slash;
	const char *p = data;
	int fd, rc = 0;

	dir = sup_xstrdup(path);
	slash = strrchr(dir, '/');
	if (slash && slash != dir) {
		*slash = '\0';
		if ((rc = sup_mkdir_p(dir)) < 0) {
			free(dir);
			return rc;
		}
	}
	free(dir);
	tmp = sup_xasprintf("%s.sup-tmp.%ld", path, (long)getpid());
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
	if (fd < 0) {
		rc = sup_error_set(SUP_ERROR, "cannot write '%s': %s", path,
				   strerror(errno));
		free(tmp);
		return rc;
	}
	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			rc = sup_error_set(SUP_ERROR, "cannot write '%s': %s",
					   path, strerror(errno));
			break;
		}
		p += n;
		len -= (size_t)n;
	}
	if (close(fd) < 0 && !rc)
		rc = sup_error_set(SUP_ERROR, "cannot write '%s': %s", path,
				   strerror(errno));
	if (!rc && rename(tmp, path) < 0)
		rc = sup_error_set(SUP_ERROR, "cannot write '%s': %s", path,
				   strerror(errno));
	if (rc)
		unlink(tmp);
	free(tmp);
	return rc;
}

void sup_qsort(void *base, size_t n, size_t size,
	       int (*cmp)(const void *, const void *))
{
	if (base && n > 1)
		qsort(base, n, size, cmp);
}

int sup_starts_with(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

int sup_ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && memcmp(s + n - m, suffix, m) == 0;
}

size_t sup_edit_distance(const char *a, const char *b)
{
	size_t n = strlen(a), m = strlen(b), i, j, *row, prev, tmp, best;

	row = sup_xmalloc((m + 1) * sizeof(*row));
	for (j = 0; j <= m; j++)
		row[j] = j;
	for (i = 1; i <= n; i++) {
		prev = row[0];
		row[0] = i;
		for (j = 1; j <= m; j++) {
			tmp = row[j];
			best = prev + (a[i - 1] != b[j - 1]);
			if (row[j] + 1 < best)
				best = row[j] + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			prev = tmp;
		}
	}
	best = row[m];
	free(row);
	return best;
}

int sup_check_utf8(const char *data, size_t len, int *line, int *col)
{
	const unsigned char *s = (const unsigned char *)data;
	size_t i = 0;
	int ln = 1, cl = 1;

	while (i < len) {
		unsigned char c = s[i];
		size_t need, k;
		uint32_t cp;

		if (c == 0)
			goto bad;
		if (c < 0x80) {
			i++;
			if (c == '\n') {
				ln++;
				cl = 1;
			} else {
				cl++;
			}
			continue;
		}
		if ((c & 0xe0) == 0xc0) {
			need = 1;
			cp = c & 0x1f;
		} else if ((c & 0xf0) == 0xe0) {
			need = 2;
			cp = c & 0x0f;
		} else if ((c & 0xf8) == 0xf0) {
			need = 3;
			cp = c & 0x07;
		} else {
			goto bad;
		}
		for (k = 1; k <= need; k++) {
			if (i + k >= len || (s[i + k] & 0xc0) != 0x80)
				goto bad;
			cp = (cp << 6) | (s[i + k] & 0x3f);
		}
		/* overlong forms, surrogates and values past U+10FFFF */
		if ((need == 1 && cp < 0x80) || (need == 2 && cp < 0x800) ||
		    (need == 3 && cp < 0x10000) || cp > 0x10ffff ||
		    (cp >= 0xd800 && cp <= 0xdfff))
			goto bad;
		i += need + 1;
		cl++;
	}
	return 0;
bad:
	if (line)
		*line = ln;
	if (col)
		*col = cl;
	return SUP_EINVALID;
}

static int S_valid_chars(const char *s, int upper, const char *extra)
{
	size_t i;

	if (!s || !*s || strlen(s) > 64)
		return 0;
	for (i = 0; s[i]; i++) {
		char c = s[i];
		int ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
			 (upper && c >= 'A' && c <= 'Z') ||
			 (i > 0 && strchr(extra, c) != NULL);

		if (!ok)
			return 0;
	}
	return 1;
}

int sup_valid_id(const char *s)
{
	return S_valid_chars(s, 0, "-");
}

int sup_valid_caseref(const char *s)
{
	return S_valid_chars(s, 1, "._-") && !strstr(s, "..");
}

uint64_t sup_hash_add(uint64_t h, const void *data, size_t len)
{
	const unsigned char *p = data;
	uint64_t w;
	size_t i;

	for (i = 0; i + 8 <= len; i += 8) {
		memcpy(&w, p + i, 8);
		h = (h ^ w) * 1099511628211u;
		h ^= h >> 29;
	}
	for (; i < len; i++)
		h = (h ^ p[i]) * 1099511628211u;
	return (h ^ len) * 1099511628211u;
}

void sup_trace(const char *fmt, ...)
{
	static int on = -1;
	static struct timespec t0;
	struct timespec t;
	va_list ap;

	if (on < 0) {
		const char *e = getenv("SUP_TRACE");

		on = e && *e && strcmp(e, "0");
		if (on && !strcmp(e, "mem"))
			on = 2;
		clock_gettime(CLOCK_MONOTONIC, &t0);
	}
	if (!on)
		return;
	clock_gettime(CLOCK_MONOTONIC, &t);
	fprintf(stderr, "sup trace: %9.3f ms ",
		(double)(t.tv_sec - t0.tv_sec) * 1e3 + (double)(t.tv_nsec - t0.tv_nsec) / 1e6);
	if (on > 1) {
		/* SUP_TRACE=mem: resident memory too, heap and mapped files
		 * apart (Linux's /proc; nothing elsewhere) */
		FILE *f = fopen("/proc/self/status", "r");
		char line[128];
		long anon = -1, file = -1, hwm = -1;

		while (f && fgets(line, sizeof(line), f)) {
			sscanf(line, "RssAnon: %ld", &anon);
			sscanf(line, "RssFile: %ld", &file);
			sscanf(line, "VmHWM: %ld", &hwm);
		}
		if (f)
			fclose(f);
		fprintf(stderr, "[anon %ld MiB, file %ld MiB, peak %ld MiB] ",
			anon / 1024, file / 1024, hwm / 1024);
	}
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}
