/* admin: repository set-up and registers (see admin.h). */
#include "admin.h"
#include "install.h"
#include "sign.h"
#include "sshsig.h"
#include "frontmatter.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int sup_admin_require(const struct sup_staff *who, const char *what)
{
	if (sup_repo_is_admin(who))
		return 0;
	return sup_error_set(SUP_EDENIED,
			     "only an admin may %s; '%s' is not an admin (admin: true in staff/%s.yaml)",
			     what, who->id, who->id);
}

int sup_admin_read_key(char **out, const char *arg)
{
	struct sup_buf b = SUP_BUF_INIT;
	struct sup_sshkey k;
	struct stat st;
	size_t len;
	int error;

	*out = NULL;
	if (stat(arg, &st) == 0 && S_ISREG(st.st_mode)) {
		if ((error = sup_read_file(&b, arg, 1 << 20)) < 0)
			return error;
	} else {
		sup_buf_puts(&b, arg);
	}
	len = b.len;
	while (len && (b.ptr[len - 1] == '\n' || b.ptr[len - 1] == '\r' ||
		       b.ptr[len - 1] == ' '))
		len--;
	sup_buf_truncate(&b, len);
	if (sup_key_is_openpgp(sup_buf_cstr(&b))) {
		*out = sup_buf_detach(&b);
		return 0;
	}
	if (strchr(sup_buf_cstr(&b), '\n')) {
		sup_buf_release(&b);
		return sup_error_set(SUP_EINVALID,
				     "'%s' holds more than one line: give one public key", arg);
	}
	if ((error = sup_sshkey_parse(&k, sup_buf_cstr(&b))) < 0) {
		sup_error_set(SUP_EINVALID, "'%s': %s (give a public key line such as the contents of ~/.ssh/id_ed25519.pub, or that file)",
			      arg, sup_error_last());
		sup_buf_release(&b);
		return SUP_EINVALID;
	}
	sup_sshkey_release(&k);
	*out = sup_buf_detach(&b);
	return 0;
}

/* sup.yaml from the template, with the organisation's name put in. */
static int S_default_policy(struct sup_buf *out, const char *org)
{
	char *path = sup_template_path("sup.yaml");
	struct sup_buf tmpl = SUP_BUF_INIT, quoted = SUP_BUF_INIT;
	const char *p, *mark = "organisation: ";
	struct sup_node *n;
	int error;

	error = sup_read_file(&tmpl, path, SUP_MAX_FILE);
	if (error < 0) {
		sup_error_set(SUP_ERROR, "cannot read the default policy %s: %s (is sup installed?)",
			      path, sup_error_last());
		free(path);
		return SUP_ERROR;
	}
	free(path);
	/* The organisation line is replaced, comments and all else kept. */
	n = sup_node_new_map();
	sup_node_set_str(n, "organisation", org);
	sup_yaml_emit(&quoted, n);
	sup_node_free(n);
	p = strstr(tmpl.ptr, "\norganisation:");
	if (!p && sup_starts_with(tmpl.ptr, mark))
		p = tmpl.ptr - 1;
	if (!p) {
		sup_buf_put(out, tmpl.ptr, tmpl.len);
		sup_buf_put(out, quoted.ptr, quoted.len);
	} else {
		const char *eol = strchr(p + 1, '\n');

		sup_buf_put(out, tmpl.ptr, (size_t)(p + 1 - tmpl.ptr));
		sup_buf_put(out, quoted.ptr, quoted.len);
		if (eol)
			sup_buf_puts(out, eol + 1);
	}
	sup_buf_release(&tmpl);
	sup_buf_release(&quoted);
	return 0;
}

int sup_admin_init(const struct sup_init_opts *o)
{
	struct sup_store *s = NULL;
	struct sup_policy pol;
	struct sup_register reg;
	struct sup_staff st;
	struct sup_buf policy = SUP_BUF_INIT, staff = SUP_BUF_INIT;
	struct sup_change ch[2];
	struct sup_oid head;
	char *key = NULL, *spath = NULL;
	char *subject;
	int error;

	memset(&reg, 0, sizeof(reg));
	memset(&pol, 0, sizeof(pol));
	memset(&st, 0, sizeof(st));
	if (!sup_valid_id(o->admin_id))
		return sup_error_set(SUP_EUSAGE,
				     "'%s' is not a valid staff id (lowercase letters, digits and '-')",
				     o->admin_id);
	if ((error = sup_admin_read_key(&key, o->key)) < 0)
		return error;
	if ((error = S_default_policy(&policy, o->org)) < 0)
		goto out;
	if ((error = sup_policy_parse(&pol, policy.ptr, policy.len, "sup.yaml")) < 0)
		goto out;
	st.id = sup_xstrdup(o->admin_id);
	st.name = sup_xstrdup(o->name);
	st.email = sup_xstrdup(o->email);
	st.role = sup_xstrdup(o->role ? o->role : "manager");
	st.phase_start = SUP_DATE_NONE;
	st.started = o->today;
	st.left = SUP_DATE_NONE;
	st.supervisor_trained = SUP_DATE_NONE;
	st.admin = 1;
	st.keys = sup_xcalloc(1, sizeof(*st.keys));
	st.keys[0] = key;
	st.nkeys = 1;
	key = NULL;
	if (!sup_policy_role(&pol, st.role)) {
		error = sup_error_set(SUP_EUSAGE, "unknown role '%s' (sup.yaml frequency has no such role)",
				      st.role);
		goto out;
	}
	sup_staff_emit(&staff, &st);
	spath = sup_staff_path(st.id);
	/* What we wrote must read back as the same thing. */
	{
		struct sup_staff back;

		if ((error = sup_staff_parse(&back, staff.ptr, staff.len, spath)) < 0)
			goto out;
		sup_staff_release(&back);
	}
	/* only DIR itself: an empty folder inside another repository is fine */
	if ((error = sup_store_open_here(&s, o->dir)) == 0 &&
	    sup_store_head(&head, s) == 0) {
		error = sup_error_set(SUP_EEXISTS,
				      "%s already holds a repository with commits; sup init makes a new one",
				      sup_store_workdir(s));
		goto out;
	}
	sup_store_free(s);
	s = NULL;
	sup_error_clear();
	if ((error = sup_store_init(&s, o->dir)) < 0)
		goto out;
	ch[0].path = "sup.yaml";
	ch[0].data = policy.ptr;
	ch[0].len = policy.len;
	ch[1].path = spath;
	ch[1].data = staff.ptr;
	ch[1].len = staff.len;
	reg.staff = sup_xcalloc(1, sizeof(*reg.staff));
	sup_staff_copy(&reg.staff[0], &st);
	reg.nstaff = 1;
	subject = sup_xasprintf("init %s", o->org);
	error = sup_repo_commit(&head, s, &reg, &st, ch, 2, subject, NULL, "init");
	free(subject);
	if (error == 0 && (error = sup_store_config_set(s, "sup.user", st.id)) < 0)
		goto out;
out:
	sup_register_release(&reg);
	sup_policy_release(&pol);
	sup_staff_release(&st);
	sup_buf_release(&policy);
	sup_buf_release(&staff);
	sup_store_free(s);
	free(spath);
	free(key);
	return error;
}

int sup_admin_put_staff(struct sup_repo *r, const struct sup_staff *actor,
			struct sup_staff *st, const char *verb)
{
	struct sup_register next;
	struct sup_buf text = SUP_BUF_INIT;
	struct sup_change ch;
	struct sup_staff back, copy;
	struct sup_oid out;
	char *path = sup_staff_path(st->id), *subject = NULL;
	size_t i;
	int error;

	memset(&next, 0, sizeof(next));
	if ((error = sup_admin_require(actor, "change the staff register")) < 0)
		goto out;
	if (!sup_policy_role(&r->policy, st->role)) {
		struct sup_buf roles = SUP_BUF_INIT;

		for (i = 0; i < r->policy.nroles; i++)
			sup_buf_printf(&roles, "%s%s", i ? ", " : "", r->policy.roles[i].name);
		error = sup_error_set(SUP_EINVALID, "unknown role '%s' (sup.yaml has: %s)",
				      st->role, sup_buf_cstr(&roles));
		sup_buf_release(&roles);
		goto out;
	}
	sup_staff_emit(&text, st);
	if ((error = sup_staff_parse(&back, text.ptr, text.len, path)) < 0)
		goto out;
	sup_staff_release(&back);
	/* the register as it will be, for the reference checks */
	next.staff = sup_xcalloc(r->reg.nstaff + 1, sizeof(*next.staff));
	for (i = 0; i < r->reg.nstaff; i++)
		sup_staff_copy(&next.staff[next.nstaff++], &r->reg.staff[i]);
	sup_staff_copy(&copy, st);
	sup_register_put_staff(&next, &copy);
	if (st->supervisor) {
		const struct sup_staff *sv = sup_register_staff(&next, st->supervisor);

		if (!sv) {
			const char *near = sup_register_suggest(&r->reg, st->supervisor);

			error = sup_error_set(SUP_EINVALID, "unknown staff id '%s' for --supervisor%s%s%s",
					      st->supervisor, near ? " (did you mean '" : "",
					      near ? near : "", near ? "'?)" : "");
			goto out;
		}
		if (!strcmp(sv->id, st->id)) {
			error = sup_error_set(SUP_EINVALID, "'%s' cannot supervise themselves", st->id);
			goto out;
		}
	}
	if ((error = sup_register_check(&next)) < 0)
		goto out;
	ch.path = path;
	ch.data = text.ptr;
	ch.len = text.len;
	subject = sup_xasprintf("%s %s", verb, st->id);
	error = sup_repo_commit(&out, r->store, &r->reg, actor, &ch, 1, subject,
				NULL, "staff");
	if (!error)
		r->head = out;
out:
	sup_register_release(&next);
	sup_staff_release(st);
	sup_buf_release(&text);
	free(path);
	free(subject);
	return error;
}

int sup_admin_put_cases(struct sup_repo *r, const struct sup_staff *actor,
			struct sup_case *cases, size_t n, const char *subject)
{
	struct sup_change *ch = sup_xcalloc(n ? n : 1, sizeof(*ch));
	struct sup_buf *texts = sup_xcalloc(n ? n : 1, sizeof(*texts));
	struct sup_oid out;
	size_t i;
	int error;

	if ((error = sup_admin_require(actor, "change the case register")) < 0)
		goto out;
	for (i = 0; i < n; i++) {
		if (!sup_register_staff(&r->reg, cases[i].worker)) {
			const char *near = sup_register_suggest(&r->reg, cases[i].worker);

			error = sup_error_set(SUP_EINVALID,
					      "case %s: unknown staff id '%s' for the worker%s%s%s",
					      cases[i].ref, cases[i].worker,
					      near ? " (did you mean '" : "", near ? near : "",
					      near ? "'?)" : "");
			goto out;
		}
		sup_case_emit(&texts[i], &cases[i]);
		ch[i].path = sup_case_path(cases[i].ref);
		ch[i].data = texts[i].ptr;
		ch[i].len = texts[i].len;
	}
	error = sup_repo_commit(&out, r->store, &r->reg, actor, ch, n, subject,
				NULL, "case");
	if (!error)
		r->head = out;
out:
	for (i = 0; i < n; i++) {
		free((char *)ch[i].path);
		sup_buf_release(&texts[i]);
		sup_case_release(&cases[i]);
	}
	free(ch);
	free(texts);
	return error;
}

/* One CSV record: fields with their columns.  Returns the next offset. */
struct S_field {
	char *text;
	int col;
};

static size_t S_csv_row(struct S_field **fields, size_t *nf, const char *text,
			size_t len, size_t off, int *line, const char *path,
			int *bad)
{
	struct sup_buf cur = SUP_BUF_INIT;
	int col = 1, start_col = 1, quoted = 0, in_quotes = 0, quote_line = *line;
	size_t i = off;

	*fields = NULL;
	*nf = 0;
	for (;;) {
		char c = i < len ? text[i] : '\n';

		if (in_quotes) {
			if (i >= len) {
				sup_diag_add(SUP_EINVALID, path, quote_line, start_col,
					     "unterminated quoted field (a \" opened here is never closed)");
				*bad = 1;
				in_quotes = 0;
				continue;
			}
			if (c == '"' && i + 1 < len && text[i + 1] == '"') {
				sup_buf_putc(&cur, '"');
				i += 2;
				col += 2;
				continue;
			}
			if (c == '"') {
				in_quotes = 0;
				i++;
				col++;
				continue;
			}
			if (c == '\n')
				(*line)++;
			sup_buf_putc(&cur, c);
			i++;
			col++;
			continue;
		}
		if (c == '"' && cur.len == 0 && !quoted) {
			quoted = in_quotes = 1;
			quote_line = *line;
			i++;
			col++;
			continue;
		}
		if (c == ',' || c == '\n' || (c == '\r' && i + 1 < len && text[i + 1] == '\n') ||
		    (c == '\r' && i + 1 >= len)) {
			*fields = sup_xrealloc(*fields, (*nf + 1) * sizeof(**fields));
			(*fields)[*nf].text = sup_buf_detach(&cur);
			(*fields)[*nf].col = start_col;
			(*nf)++;
			if (c == ',') {
				i++;
				col++;
				start_col = col;
				quoted = 0;
				continue;
			}
			if (c == '\r')
				i++;
			return i < len ? i + 1 : len;
		}
		sup_buf_putc(&cur, c);
		i++;
		col++;
	}
}

static void S_free_fields(struct S_field *f, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(f[i].text);
	free(f);
}

int sup_case_csv_parse(struct sup_case **out, size_t *n, const char *text,
		       size_t len, const char *path)
{
	static const char *const names[] = { "ref", "worker", "opened", "closed",
		"child_protection", NULL };
	int idx[5] = { -1, -1, -1, -1, -1 };
	struct S_field *f = NULL;
	size_t nf, nhead, off = 0, i, k;
	int line = 1, bad = 0, eline, ecol;

	*out = NULL;
	*n = 0;
	if (sup_check_utf8(text, len, &eline, &ecol) < 0)
		return sup_diag_add(SUP_EINVALID, path, eline, ecol,
				    "not valid UTF-8 text (save the export as UTF-8 CSV)");
	if (len >= 3 && !memcmp(text, "\xef\xbb\xbf", 3))
		off = 3;	/* a spreadsheet's byte-order mark */
	if (off >= len)
		return sup_diag_add(SUP_EINVALID, path, 1, 1,
				    "empty file: expected a header row ref,worker,opened,closed,child_protection");
	off = S_csv_row(&f, &nf, text, len, off, &line, path, &bad);
	for (i = 0; i < nf; i++) {
		for (k = 0; names[k]; k++)
			if (!strcmp(f[i].text, names[k]))
				break;
		if (!names[k]) {
			sup_diag_add(SUP_EINVALID, path, 1, f[i].col,
				     "unknown column '%s' (expected ref, worker, opened, closed, child_protection)",
				     f[i].text);
			bad = 1;
		} else if (idx[k] >= 0) {
			sup_diag_add(SUP_EINVALID, path, 1, f[i].col,
				     "the column '%s' appears twice in the header row", names[k]);
			bad = 1;
		} else {
			idx[k] = (int)i;
		}
	}
	for (k = 0; k < 3; k++)
		if (idx[k] < 0) {
			sup_diag_add(SUP_EINVALID, path, 1, 1,
				     "the header row has no '%s' column (a header row ref,worker,opened,closed,child_protection is required)",
				     names[k]);
			bad = 1;
		}
	nhead = nf;
	S_free_fields(f, nf);
	if (bad)
		return SUP_EINVALID;
	while (off < len) {
		struct sup_case c;
		int row = ++line;

		/* S_csv_row moves line past newlines inside quoted fields */
		off = S_csv_row(&f, &nf, text, len, off, &line, path, &bad);
		if (nf == 1 && !*f[0].text) {
			S_free_fields(f, nf);
			continue;	/* blank line */
		}
		if (nf > nhead) {
			/* most often a comma inside a value that was not quoted:
			 * the fields after it would land in the wrong columns */
			sup_diag_add(SUP_EINVALID, path, row, f[nhead].col,
				     "this row has %zu fields and the header row %zu: put a value that contains a comma in double quotes",
				     nf, nhead);
			bad = 1;
		}
		memset(&c, 0, sizeof(c));
		c.opened = c.closed = SUP_DATE_NONE;
		for (k = 0; k < 5; k++) {
			const char *v;
			int col;

			if (idx[k] < 0)
				continue;
			if ((size_t)idx[k] >= nf) {
				if (k < 3) {
					sup_diag_add(SUP_EINVALID, path, row, 1,
						     "missing the '%s' field", names[k]);
					bad = 1;
				}
				continue;
			}
			v = f[idx[k]].text;
			col = f[idx[k]].col;
			switch (k) {
			case 0:
				if (!sup_valid_caseref(v)) {
					sup_diag_add(SUP_EINVALID, path, row, col,
						     "'%s' is not a valid case reference (letters, digits, '.', '_' and '-'; no '/' or '..')", v);
					bad = 1;
				} else {
					c.ref = sup_xstrdup(v);
				}
				break;
			case 1:
				if (!sup_valid_id(v)) {
					sup_diag_add(SUP_EINVALID, path, row, col,
						     "'%s' is not a valid staff id", v);
					bad = 1;
				} else {
					c.worker = sup_xstrdup(v);
					c.worker_line = row;
					c.worker_col = col;
				}
				break;
			case 2:
			case 3:
				if (k == 3 && !*v)
					break;
				if (sup_date_parse(k == 2 ? &c.opened : &c.closed, v) < 0) {
					sup_diag_add(SUP_EINVALID, path, row, col, "%s: %s",
						     names[k], sup_error_last());
					bad = 1;
				}
				break;
			case 4:
				if (!*v || !strcmp(v, "false") || !strcmp(v, "no") || !strcmp(v, "0"))
					c.child_protection = 0;
				else if (!strcmp(v, "true") || !strcmp(v, "yes") || !strcmp(v, "1"))
					c.child_protection = 1;
				else {
					sup_diag_add(SUP_EINVALID, path, row, col,
						     "child_protection must be true or false, not '%s'", v);
					bad = 1;
				}
				break;
			}
		}
		S_free_fields(f, nf);
		if (c.ref && c.worker && c.opened != SUP_DATE_NONE) {
			for (i = 0; i < *n; i++)
				if (!strcmp((*out)[i].ref, c.ref)) {
					sup_diag_add(SUP_EINVALID, path, row, 1,
						     "case %s appears twice", c.ref);
					bad = 1;
				}
			*out = sup_xrealloc(*out, (*n + 1) * sizeof(**out));
			(*out)[(*n)++] = c;
		} else {
			sup_case_release(&c);
		}
	}
	if (bad) {
		for (i = 0; i < *n; i++)
			sup_case_release(&(*out)[i]);
		free(*out);
		*out = NULL;
		*n = 0;
		return SUP_EINVALID;
	}
	return 0;
}

int sup_case_csv_check(const struct sup_register *r,
		       const struct sup_case *cases, size_t n, const char *path)
{
	size_t i;
	int bad = 0;

	for (i = 0; i < n; i++) {
		const char *near;

		if (sup_register_staff(r, cases[i].worker))
			continue;
		near = sup_register_suggest(r, cases[i].worker);
		sup_diag_add(SUP_EINVALID, path, cases[i].worker_line,
			     cases[i].worker_col,
			     "case %s: unknown staff id '%s' for the worker%s%s%s",
			     cases[i].ref, cases[i].worker,
			     near ? " (did you mean '" : "", near ? near : "",
			     near ? "'?)" : "");
		bad = 1;
	}
	return bad ? SUP_EINVALID : 0;
}

void sup_allowed_signers(struct sup_buf *out, const struct sup_register *r)
{
	size_t i, k;

	for (i = 0; i < r->nstaff; i++) {
		const struct sup_staff *st = &r->staff[i];

		for (k = 0; k < st->nkeys; k++) {
			struct sup_sshkey key;

			if (sup_key_is_openpgp(st->keys[k]) ||
			    sup_sshkey_parse(&key, st->keys[k]) < 0)
				continue;
			/* git matches the principal against the committer
			 * email; the register's email is what sup commits
			 * with. */
			sup_buf_printf(out, "%s namespaces=\"git\" ",
				       st->email ? st->email : st->id);
			sup_sshkey_format(out, &key);
			sup_buf_putc(out, '\n');
			sup_sshkey_release(&key);
		}
	}
	sup_error_clear();
}
