#!/usr/bin/env python3
"""digest.py - recompute a sup record's digest from its documented form.

Written from the documentation only (DESIGN.md section 2.3 and
sup-record(5)), not from sup's code, so that the tests compare two
independent implementations:

    sha256 over the record file with CRLF line endings turned into LF, and
    with the front matter's top-level `signoffs:` line and every line after
    it up to (not including) the closing `---` line removed; written
    "sha256:" + 64 lowercase hex.  The front matter starts with a first
    line `---` and ends at the next line that is exactly `---` (or `...`).

usage: digest.py FILE...      (FILE may be "-" for standard input)

With one FILE, prints the digest; with several, "DIGEST FILE" lines.
"""
import hashlib
import sys


def canonical(data: bytes) -> bytes:
    text = data.replace(b"\r\n", b"\n")
    lines = text.split(b"\n")
    # split() leaves a last element that is "" when the text ends in a
    # newline; every other element had a newline after it.
    out = []
    in_front_matter = False
    dropping = False
    for i, line in enumerate(lines):
        last = i == len(lines) - 1
        if i == 0 and line == b"---":
            in_front_matter = True
        elif in_front_matter and line in (b"---", b"..."):
            in_front_matter = False
            dropping = False
        elif in_front_matter and line.startswith(b"signoffs:"):
            dropping = True
        if not dropping:
            out.append(line if last else line + b"\n")
    return b"".join(out)


def digest(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(canonical(data)).hexdigest()


def main(argv):
    if len(argv) < 2 or argv[1] in ("-h", "--help"):
        sys.stderr.write("usage: digest.py FILE...\n")
        return 2
    many = len(argv) > 2
    for name in argv[1:]:
        if name == "-":
            data = sys.stdin.buffer.read()
        else:
            with open(name, "rb") as f:
                data = f.read()
        d = digest(data)
        print(f"{d} {name}" if many else d)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
