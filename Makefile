# sup - supervision records in git.  See README.md.

PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
LIBEXECDIR ?= $(PREFIX)/libexec/sup
DATADIR ?= $(PREFIX)/share/sup
MANDIR ?= $(PREFIX)/share/man
DESTDIR ?=

CC ?= cc
PKG_CONFIG ?= pkg-config
VERSION := 0.1.0

PKGS := libgit2 libcmark yaml-0.1 libcrypto
PKG_CFLAGS := $(shell $(PKG_CONFIG) --cflags $(PKGS))
PKG_LIBS := $(shell $(PKG_CONFIG) --libs $(PKGS))
CMOCKA_CFLAGS := $(shell $(PKG_CONFIG) --cflags cmocka)
CMOCKA_LIBS := $(shell $(PKG_CONFIG) --libs cmocka)

WARN := -Wall -Wextra -Wstrict-prototypes -Wmissing-prototypes \
	-Wformat-security -Wvla -Wwrite-strings -Wshadow
ifneq ($(CI),)
WARN += -Werror
endif
ifneq ($(WERROR),)
WARN += -Werror
endif

OPT ?= -O2 -g
SAN :=
ifneq ($(SANITIZE),)
SAN := -fsanitize=$(SANITIZE) -fno-omit-frame-pointer -fno-sanitize-recover=all
OPT := -O1 -g
endif

# Sanitized objects live apart so that switching does not mix them.
ifneq ($(SANITIZE),)
B := build-san
else
B := build
endif

ALL_CFLAGS := -std=c11 -D_DEFAULT_SOURCE -D_POSIX_C_SOURCE=200809L \
	$(OPT) $(SAN) $(WARN) $(PKG_CFLAGS) -Ilib \
	-DSUP_VERSION='"$(VERSION)"' -DSUP_LIBEXECDIR='"$(LIBEXECDIR)"' \
	-DSUP_DATADIR='"$(DATADIR)"' -DSUP_MANDIR='"$(MANDIR)"' $(CFLAGS)
ALL_LDFLAGS := $(SAN) $(LDFLAGS)

LIB_SRC := $(sort $(wildcard lib/*.c))
LIB_OBJ := $(LIB_SRC:lib/%.c=$(B)/lib/%.o)
CMD_SRC := $(sort $(wildcard cmd/sup-*.c))
CMDS := $(CMD_SRC:cmd/%.c=$(B)/%)
UNIT_SRC := $(sort $(wildcard tests/unit/test_*.c))
UNITS := $(UNIT_SRC:tests/unit/%.c=$(B)/tests/%)
MAN1 := $(sort $(wildcard man/*.1))
MAN5 := $(sort $(wildcard man/*.5))
TEMPLATES := $(sort $(wildcard templates/*))

.PHONY: all check check-unit check-e2e lint-man install uninstall clean demo bench deps

all: $(B)/sup $(CMDS) $(B)/.sup-build-tree

# The marker tells the programs they run from a build tree, and where the
# source is, so that templates and man pages are found without installing.
$(B)/.sup-build-tree: Makefile
	@mkdir -p $(B)
	@printf '%s\n' "$(CURDIR)" > $@

# The installation paths are compiled in: rebuild what uses them when
# PREFIX and friends change, not only when the sources do.
PATHS_FLAGS := $(LIBEXECDIR):$(DATADIR):$(MANDIR):$(VERSION)
$(B)/paths.stamp: FORCE
	@mkdir -p $(B)
	@if [ "$$(cat $@ 2>/dev/null)" != '$(PATHS_FLAGS)' ]; then printf '%s\n' '$(PATHS_FLAGS)' > $@; fi

$(B)/lib/install.o: $(B)/paths.stamp
$(B)/sup: $(B)/paths.stamp

.PHONY: FORCE
FORCE:

$(B)/lib/%.o: lib/%.c $(wildcard lib/*.h) Makefile
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(B)/libsup.a: $(LIB_OBJ)
	rm -f $@
	ar rcs $@ $^

$(B)/sup: cmd/sup.c $(B)/libsup.a
	$(CC) $(ALL_CFLAGS) -o $@ $< $(B)/libsup.a $(ALL_LDFLAGS) $(PKG_LIBS)

$(B)/sup-%: cmd/sup-%.c $(B)/libsup.a
	$(CC) $(ALL_CFLAGS) -o $@ $< $(B)/libsup.a $(ALL_LDFLAGS) $(PKG_LIBS)

$(B)/tests/test_%: tests/unit/test_%.c $(B)/libsup.a
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(CMOCKA_CFLAGS) -o $@ $< $(B)/libsup.a \
		$(ALL_LDFLAGS) $(PKG_LIBS) $(CMOCKA_LIBS)

check: check-unit check-e2e lint-man

check-unit: $(UNITS)
	CMOCKA_MESSAGE_OUTPUT=TAP prove --exec '' $(UNITS)

check-e2e: all
	SUP_BUILD_DIR=$(CURDIR)/$(B) prove $(PROVE_FLAGS) tests/t/t[0-9]*.sh

lint-man:
	@if command -v mandoc >/dev/null; then \
		mandoc -T lint -W warning $(MAN1) $(MAN5) && echo "man pages: mandoc -T lint clean"; \
	else echo "mandoc not installed: man pages not linted" >&2; exit 1; fi

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(LIBEXECDIR) $(DESTDIR)$(DATADIR) \
		$(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man5
	install -m 755 $(B)/sup $(DESTDIR)$(BINDIR)/sup
	install -m 755 $(CMDS) $(DESTDIR)$(LIBEXECDIR)/
	install -m 644 $(TEMPLATES) $(wildcard man/*.schema.json) $(DESTDIR)$(DATADIR)/
	install -m 644 $(MAN1) $(DESTDIR)$(MANDIR)/man1/
	install -m 644 $(MAN5) $(DESTDIR)$(MANDIR)/man5/

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/sup
	rm -rf $(DESTDIR)$(LIBEXECDIR) $(DESTDIR)$(DATADIR)
	rm -f $(addprefix $(DESTDIR)$(MANDIR)/man1/,$(notdir $(MAN1)))
	rm -f $(addprefix $(DESTDIR)$(MANDIR)/man5/,$(notdir $(MAN5)))

# Install the Debian packages needed (.ci/deps).  When the libraries were
# missing as this make started, its pkg-config flags are empty, so build
# with a fresh make: `make deps demo` then works on a new machine.
deps:
	sh .ci/deps
ifeq ($(PKG_LIBS),)
	$(MAKE) all
endif

demo: all
	sh tests/demo.sh $(CURDIR)/$(B) $(CURDIR)/demo

# Benchmarks: generate (or reuse) a repository of SIZE (tiny, small,
# medium, large) under tests/bench/repos/ and time sup beside git on it.
SIZE ?= small
BENCH_PROGS := $(B)/bench/gen $(B)/bench/verify

$(B)/bench/%: tests/bench/%.c $(B)/libsup.a
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -o $@ $< $(B)/libsup.a $(ALL_LDFLAGS) $(PKG_LIBS)

bench: all $(BENCH_PROGS)
	SUP_BUILD_DIR=$(CURDIR)/$(B) sh tests/bench/run $(SIZE)

clean:
	rm -rf build build-san demo
