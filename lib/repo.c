/* repo: an open sup repository (see repo.h). */
#include "repo.h"
#include "verify.h"

#include <stdlib.h>
#include <string.h>

/* Every person's role must be one the policy schedules. */
static int S_check_roles(const struct sup_repo *r, unsigned flags)
{
	struct sup_buf roles = SUP_BUF_INIT;
	size_t i;
	int bad = 0;

	for (i = 0; i < r->policy.nroles; i++)
		sup_buf_printf(&roles, "%s%s", i ? ", " : "", r->policy.roles[i].name);
	for (i = 0; i < r->reg.nstaff; i++) {
		const struct sup_staff *st = &r->reg.staff[i];
		char *path;

		if (sup_policy_role(&r->policy, st->role))
			continue;
		path = sup_staff_path(st->id);
		if (flags & SUP_REPO_ROLES_AT_POLICY)
			sup_diag_add(SUP_EINVALID, SUP_POLICY_PATH, r->policy.frequency_line,
				     r->policy.frequency_col,
				     "'frequency' has no role '%s', which %s:%d:%d gives %s (roles: %s)",
				     st->role ? st->role : "", path, st->role_line,
				     st->role_col, st->id, sup_buf_cstr(&roles));
		else
			sup_diag_add(SUP_EINVALID, path, st->role_line, st->role_col,
				     "unknown role '%s' (sup.yaml frequency has: %s)",
				     st->role, sup_buf_cstr(&roles));
		free(path);
		bad = 1;
	}
	sup_buf_release(&roles);
	return bad ? SUP_EINVALID : 0;
}

int sup_repo_open(struct sup_repo **out, const char *path)
{
	return sup_repo_open_ex(out, path, 0);
}

int sup_repo_open_ex(struct sup_repo **out, const char *path, unsigned flags)
{
	struct sup_repo *r = sup_xcalloc(1, sizeof(*r));
	int error;

	*out = NULL;
	sup_trace("repo: open");
	if ((error = sup_store_open(&r->store, path)) < 0)
		goto fail;
	if ((error = sup_store_head(&r->head, r->store)) < 0) {
		if (error == SUP_ENOTFOUND)
			error = sup_error_set(SUP_ERROR,
					      "not a sup repository: %s has no commits (run 'sup init')",
					      sup_store_workdir(r->store));
		goto fail;
	}
	if ((error = sup_policy_load(&r->policy, r->store, &r->head)) < 0)
		goto fail;
	sup_trace("repo: store and policy");
	if ((error = (flags & SUP_REPO_NO_CASES) ?
		     sup_register_load_staff(&r->reg, r->store, &r->head) :
		     sup_register_load(&r->reg, r->store, &r->head)) < 0)
		goto fail;
	sup_trace("repo: register (%zu staff, %zu cases)", r->reg.nstaff, r->reg.ncases);
	if ((error = S_check_roles(r, flags)) < 0)
		goto fail;
	*out = r;
	return 0;
fail:
	sup_repo_free(r);
	return error;
}

void sup_repo_free(struct sup_repo *r)
{
	if (!r)
		return;
	sup_policy_release(&r->policy);
	sup_register_release(&r->reg);
	sup_store_free(r->store);
	free(r);
}

int sup_repo_whoami(const struct sup_staff **out, struct sup_repo *r)
{
	char *v = NULL;

	*out = NULL;
	if (sup_store_config(&v, r->store, "sup.user") == 0) {
		*out = sup_register_staff(&r->reg, v);
		if (!*out) {
			sup_error_set(SUP_ERROR,
				      "git config sup.user is '%s', who is not in the staff register",
				      v);
			free(v);
			return SUP_ERROR;
		}
		free(v);
		return 0;
	}
	if (sup_store_config(&v, r->store, "user.email") == 0) {
		*out = sup_register_by_email(&r->reg, v);
		if (*out) {
			free(v);
			return 0;
		}
		sup_error_set(SUP_ERROR,
			      "no one in the staff register has the email '%s' (git config user.email); set 'git config sup.user YOUR-ID'",
			      v);
		free(v);
		return SUP_ERROR;
	}
	return sup_error_set(SUP_ERROR,
			     "who are you? set 'git config sup.user YOUR-ID' or user.email to the email the register has for you");
}

int sup_repo_signer(struct sup_signer *out, struct sup_store *s,
		    const struct sup_staff *who)
{
	char *fmt = NULL;

	memset(out, 0, sizeof(*out));
	sup_store_config(&fmt, s, "gpg.format");
	if (!fmt || !strcmp(fmt, "openpgp")) {
		out->format = SUP_SIG_OPENPGP;
		if (sup_store_config(&out->program, s, "gpg.openpgp.program") < 0)
			sup_store_config(&out->program, s, "gpg.program");
	} else if (!strcmp(fmt, "ssh")) {
		out->format = SUP_SIG_SSH;
		sup_store_config(&out->program, s, "gpg.ssh.program");
	} else {
		sup_error_set(SUP_ENOKEY,
			      "gpg.format '%s' is not supported by sup (use ssh or openpgp)",
			      fmt);
		free(fmt);
		return SUP_ENOKEY;
	}
	free(fmt);
	sup_store_config(&out->key, s, "user.signingkey");
	out->ident = sup_xasprintf("%s <%s>", who->name, who->email ? who->email : "");
	sup_error_clear();
	return 0;
}

int sup_repo_is_admin(const struct sup_staff *who)
{
	return who && who->admin;
}

struct S_commit_ctx {
	struct sup_signer signer;
	const struct sup_register *trusted;
	const struct sup_staff *actor;
	char *gpg_program;
};

static int S_sign(struct sup_buf *sig, const char *content, size_t len,
		  void *payload)
{
	struct S_commit_ctx *ctx = payload;

	return sup_sign(sig, &ctx->signer, content, len);
}

static int S_check(const char *raw, size_t len, void *payload)
{
	struct S_commit_ctx *ctx = payload;
	struct sup_sigcheck c;
	int error;

	if ((error = sup_verify_commit(&c, ctx->trusted, ctx->gpg_program, raw, len)) < 0)
		return error;
	if (c.verdict == SUP_VERDICT_GOOD && c.signer &&
	    !strcmp(c.signer->id, ctx->actor->id)) {
		sup_sigcheck_release(&c);
		return 0;
	}
	if (c.verdict == SUP_VERDICT_GOOD)
		error = sup_error_set(SUP_ENOKEY,
				      "the signing key (%s) belongs to '%s', not to '%s'; set user.signingkey to one of your own registered keys",
				      c.fingerprint, c.signer->id, ctx->actor->id);
	else if (c.verdict == SUP_VERDICT_UNKNOWN_KEY)
		error = sup_error_set(SUP_ENOKEY,
				      "the signing key%s%s is not one of %s's registered keys; ask an admin to run 'sup staff key add %s KEY', or set user.signingkey to a registered key",
				      c.fingerprint[0] ? " " : "", c.fingerprint, ctx->actor->id,
				      ctx->actor->id);
	else
		error = sup_error_set(SUP_EBADSIG,
				      "the new commit's signature does not verify (%s); nothing was committed",
				      c.detail ? c.detail : sup_verdict_name(c.verdict));
	sup_sigcheck_release(&c);
	return error;
}

int sup_repo_commit(struct sup_oid *out, struct sup_store *s,
		    const struct sup_register *trusted,
		    const struct sup_staff *actor,
		    const struct sup_change *changes, size_t n,
		    const char *subject, const char *record, const char *action)
{
	struct S_commit_ctx ctx;
	struct sup_commit_opts opts;
	struct sup_buf msg = SUP_BUF_INIT;
	int error;

	memset(&ctx, 0, sizeof(ctx));
	memset(&opts, 0, sizeof(opts));
	if ((error = sup_repo_signer(&ctx.signer, s, actor)) < 0)
		return error;
	if (ctx.signer.format == SUP_SIG_OPENPGP && ctx.signer.program)
		ctx.gpg_program = sup_xstrdup(ctx.signer.program);
	ctx.trusted = trusted;
	ctx.actor = actor;
	sup_buf_printf(&msg, "sup: %s\n\n", subject);
	if (record)
		sup_buf_printf(&msg, "Sup-Record: %s\n", record);
	sup_buf_printf(&msg, "Sup-Action: %s\nSup-Actor: %s\n", action, actor->id);
	opts.message = msg.ptr;
	opts.author.name = opts.committer.name = actor->name;
	opts.author.email = opts.committer.email = actor->email ? actor->email : "";
	if ((error = sup_store_env_time(&opts.author.when, &opts.author.offset,
					"GIT_AUTHOR_DATE")) < 0 ||
	    (error = sup_store_env_time(&opts.committer.when, &opts.committer.offset,
					"GIT_COMMITTER_DATE")) < 0)
		goto out;
	opts.sign = S_sign;
	opts.check = S_check;
	opts.payload = &ctx;
	error = sup_store_commit(out, s, changes, n, &opts);
out:
	sup_signer_release(&ctx.signer);
	free(ctx.gpg_program);
	sup_buf_release(&msg);
	return error;
}
