# lib-audit.sh - helpers for the audit and due tests (t3000-t3199),
# sourced after test-lib.sh:
#
#	. "$(dirname "$0")/test-lib.sh"
#	. "$TEST_DIRECTORY/lib-audit.sh"
#
# Records are written as whole files (front matter from the test, a body
# with text under every heading of the installed template, so that they
# can be signed) and committed with `sup new TYPE --from FILE` by the
# person acting; sign-offs are made with `sup sign` by each party.

REC="$TRASH_DIRECTORY/rec.md"

# act ID CMD...: run CMD in $REPO as staff member ID, signing with their
# key (the repository's own configuration, as a shared checkout would).
act () {
	who=$1
	shift
	git -C "$REPO" config sup.user "$who" &&
	git -C "$REPO" config user.signingkey "$KEYS/$who" &&
	git -C "$REPO" config gpg.format ssh &&
	(cd "$REPO" && "$@")
}

# at DATE: the commits that follow are made at noon UTC on DATE.
at () {
	t=$(date -u -d "$1 12:00:00" +%s) || return 1
	GIT_COMMITTER_DATE="$t +0000"
	GIT_AUTHOR_DATE="$t +0000"
	export GIT_COMMITTER_DATE GIT_AUTHOR_DATE
}

# record TYPE: the front matter on stdin (without the --- lines) and a
# complete body for TYPE become $REC.
record () {
	{
		echo "---" &&
		cat &&
		echo "---" &&
		echo &&
		grep '^## ' "$SRC/templates/$1.md" | while IFS= read -r h; do
			printf '%s\n\nWritten for the test.\n\n' "$h"
		done
	} >"$REC"
}

# add TYPE ID: commit $REC (made by `record TYPE`) as ID with sup new.
add () {
	act "$2" sup new "$1" --from "$REC" >/dev/null
}

# session ID DATE SUPERVISOR SUPERVISEE [FUNCTIONS] [EXTRA]: a session
# record committed by the supervisor; FUNCTIONS defaults to all three;
# EXTRA is more front matter (cases:, actions: ...), one key a line.
session () {
	record session <<-EOF &&
	id: $1
	type: session
	date: $2
	supervisor: $3
	supervisee: $4
	functions: [${5:-performance, development, support}]
	${6:-}
	EOF
	add session "$3"
}

# contract ID DATE SUPERVISOR SUPERVISEE FREQUENCY [REVIEW_DUE]
contract () {
	record contract <<-EOF &&
	id: $1
	type: contract
	date: $2
	supervisor: $3
	supervisee: $4
	frequency: $5
	review_due: ${6:-}
	EOF
	add contract "$3"
}

# sign ID RECORD [--dispute TEXT]: ID signs RECORD.
sign () {
	who=$1
	shift
	act "$who" sup sign "$@" >/dev/null
}

# signed_by_both RECORD SUPERVISOR SUPERVISEE
signed_by_both () {
	sign "$2" "$1" && sign "$3" "$1"
}

# audit_setup: the repository of setup_repo (akhan supervising jsmith and
# bwilson; jsmith's cases C-100 and C-101), with akhan trained as a
# supervisor, and the people the tests need added by akhan:
#   asye     ASYE, phase_start 2026-01-05, supervised by akhan
#   student  student, phase_start 2026-01-05, supervised by akhan
audit_setup () {
	setup_repo &&
	make_ssh_key asye &&
	make_ssh_key student &&
	at 2026-01-02 &&
	act akhan sup staff set akhan --started 2015-01-05 --trained 2016-01-04 >/dev/null &&
	act akhan sup staff add asye --name "Ann Asye" --role asye \
		--email asye@example.org --supervisor akhan --started 2026-01-05 \
		--phase-start 2026-01-05 --key "$KEYS/asye.pub" >/dev/null &&
	act akhan sup staff add student --name "Sam Student" --role student \
		--email student@example.org --supervisor akhan --started 2026-01-05 \
		--phase-start 2026-01-05 --key "$KEYS/student.pub" >/dev/null
}

# policy_set KEY VALUE: change a top-level key of sup.yaml, committed
# with plain git (signed by akhan, as an admin does by hand).
policy_set () {
	python3 - "$REPO/sup.yaml" "$1" "$2" <<-\PY &&
	import re, sys
	path, key, value = sys.argv[1:]
	text = open(path).read()
	new, n = re.subn(r"(?m)^" + re.escape(key) + r":.*$", key + ": " + value, text)
	if n != 1:
	    sys.exit("no key " + key)
	open(path, "w").write(new)
	PY
	git -C "$REPO" add sup.yaml &&
	git_commit_unsigned "sup: policy sup.yaml"
}

# audit ARGS...: sup audit in $REPO, output in out, status in $status.
audit () {
	# these tests are about working the answer out: the kept last answer
	# (t3007) would hide that
	rm -f "$REPO/.git/sup/cache/audit"
	(cd "$REPO" && sup audit "$@") >out 2>err
	status=$?
	return 0
}

# has CODE PERSON: out (text or csv) has a finding CODE about PERSON.
has () {
	grep -E "(^|[ ,])$1[ ,]+$2([ ,]|$)" out >/dev/null && return 0
	echo >&2 "no $1 finding for $2 in:"
	cat >&2 out
	return 1
}

# hasnt CODE PERSON
hasnt () {
	if grep -E "(^|[ ,])$1[ ,]+$2([ ,]|$)" out >/dev/null; then
		echo >&2 "unexpected $1 finding for $2 in:"
		cat >&2 out
		return 1
	fi
}

# finding_field CODE PERSON FIELD: a field of the finding in JSON output.
finding_field () {
	python3 -c '
import json, sys
doc = json.load(open("out"))
for f in doc["findings"]:
    if f["code"] == sys.argv[1] and f["person"] == sys.argv[2]:
        print(f[sys.argv[3]] if f[sys.argv[3]] is not None else "null")
        break
else:
    sys.exit("no finding %s for %s" % (sys.argv[1], sys.argv[2]))
' "$@"
}

# A python with the icalendar module (the Debian package installs it for
# the system python, which may not be the first python3 on PATH).
ICAL_PYTHON=
for p in python3 /usr/bin/python3; do
	if command -v "$p" >/dev/null 2>&1 &&
	   "$p" -c 'import icalendar' 2>/dev/null; then
		ICAL_PYTHON=$p
		break
	fi
done
test -n "$ICAL_PYTHON" && test_set_prereq ICALENDAR

# validate_schema SCHEMA DOC: DOC is valid under the JSON Schema SCHEMA.
# With the jsonschema module when some python has it; always also with
# the small validator below, which knows the keywords sup's schemas use
# (type, properties, required, additionalProperties, items, enum,
# pattern, minimum, const, $ref to #/$defs).
validate_schema () {
	for p in python3 /usr/bin/python3; do
		if command -v "$p" >/dev/null 2>&1 &&
		   "$p" -c 'import jsonschema' 2>/dev/null; then
			"$p" -c '
import json, sys, jsonschema
schema = json.load(open(sys.argv[1]))
jsonschema.Draft202012Validator.check_schema(schema)
jsonschema.Draft202012Validator(schema).validate(json.load(open(sys.argv[2])))
' "$1" "$2" || return 1
			break
		fi
	done
	python3 - "$1" "$2" <<-\PY
	import json, re, sys
	schema = json.load(open(sys.argv[1]))
	doc = json.load(open(sys.argv[2]))
	KNOWN = {"$schema", "$id", "$defs", "$ref", "title", "description", "type",
	         "properties", "required", "additionalProperties", "items", "enum",
	         "pattern", "minimum", "const", "format", "examples"}
	TYPES = {"object": dict, "array": list, "string": str, "boolean": bool,
	         "null": type(None)}
	def is_type(v, t):
	    if t == "integer":
	        return isinstance(v, int) and not isinstance(v, bool)
	    if t == "number":
	        return isinstance(v, (int, float)) and not isinstance(v, bool)
	    return isinstance(v, TYPES[t])
	def check(s, v, where):
	    for k in s:
	        if k not in KNOWN:
	            sys.exit("schema keyword %s is not known to this validator" % k)
	    if "$ref" in s:
	        name = s["$ref"].split("/")[-1]
	        return check(schema["$defs"][name], v, where)
	    if "type" in s:
	        ts = s["type"] if isinstance(s["type"], list) else [s["type"]]
	        if not any(is_type(v, t) for t in ts):
	            sys.exit("%s: %r is not of type %s" % (where, v, s["type"]))
	    if "const" in s and v != s["const"]:
	        sys.exit("%s: %r is not %r" % (where, v, s["const"]))
	    if "enum" in s and v not in s["enum"]:
	        sys.exit("%s: %r is not one of %s" % (where, v, s["enum"]))
	    if "pattern" in s and isinstance(v, str) and not re.search(s["pattern"], v):
	        sys.exit("%s: %r does not match %s" % (where, v, s["pattern"]))
	    if "minimum" in s and is_type(v, "number") and v < s["minimum"]:
	        sys.exit("%s: %r is below %s" % (where, v, s["minimum"]))
	    if isinstance(v, dict):
	        for r in s.get("required", []):
	            if r not in v:
	                sys.exit("%s: required key %s missing" % (where, r))
	        props = s.get("properties", {})
	        for k, x in v.items():
	            if k in props:
	                check(props[k], x, where + "." + k)
	            elif s.get("additionalProperties") is False:
	                sys.exit("%s: key %s is not allowed" % (where, k))
	            elif isinstance(s.get("additionalProperties"), dict):
	                check(s["additionalProperties"], x, where + "." + k)
	    if isinstance(v, list) and "items" in s:
	        for i, x in enumerate(v):
	            check(s["items"], x, "%s[%d]" % (where, i))
	check(schema, doc, "$")
	PY
}
