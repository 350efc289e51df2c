# mcp-oauth build.
#   make            the shared library build/libmcp_oauth.so, the test servers and the mcp-oauth command
#   make test       checks the prerequisites, then every test suite, TEST_JOBS (3) at a time: Go (-race),
#                   C (ASan), C++ header, Python, Node, MCP conformance and its runner, doc snippets and figures
#   make demo       the test authorization server driven from C, Python and Node
#   make bench      benchmarks, printed as a table with ratios
#   make conformance  the newest MCP conformance suite (0.2.0-alpha.12), every client scenario;
#                     make conformance-0.1: the 0.1.16 suite's authorization scenarios
#   make install    PREFIX=/usr/local: library, header, pkg-config file, mcp-oauth command
#                   (LIBDIR, INCLUDEDIR, BINDIR, DESTDIR honoured); make uninstall
#   make dist       build/dist: the library for Linux x86_64/aarch64 (glibc 2.17) and
#                   Windows x64, C tarballs, Python wheels and sdist, npm packages
#   make dist-test  installs those as a user would and runs them (qemu, wine)
#   make generate   rewrite the copied tables (config schema, status codes) from their sources
GO       ?= go
CC       ?= cc
CXX      ?= c++
PREFIX   ?= /usr/local
LIBDIR   ?= $(PREFIX)/lib
INCLUDEDIR ?= $(PREFIX)/include
BINDIR   ?= $(PREFIX)/bin
PKGCONFIGDIR ?= $(LIBDIR)/pkgconfig
BUILD    := build
VERSION  := $(shell cat VERSION)
SONAME   := libmcp_oauth.so.0
LIB      := $(BUILD)/libmcp_oauth.so
GO_SRC   := go.mod go.sum $(shell find core capi cmd internal -name '*.go' ! -name '*_test.go' 2>/dev/null)
# The linker version script: only the header's functions are exported,
# versioned MCP_OAUTH_0 (packaging/exports.sh makes it from the header).
# Go's build cache does not see the script's content, only its path in the
# flags: the link uses a copy named for its content, so a changed script
# relinks.
MAP      := $(BUILD)/libmcp_oauth.map
MAP_COPY  = $(abspath $(BUILD))/libmcp_oauth-$$(sha256sum $(MAP) | cut -c1-16).map
LDFLAGS   = -s -w -extldflags=-Wl,-soname,$(SONAME),--version-script,$(MAP_COPY)
CWARN    := -Wall -Wextra -Werror
RPATH    := -Wl,-rpath,$(abspath $(BUILD))

.PHONY: all lib cli testserver redis-server test test-go test-c test-python test-node demo bench conformance install uninstall clean generate
all: lib testserver cli

lib: $(LIB)
$(MAP): include/mcp_oauth.h packaging/exports.sh
	@mkdir -p $(BUILD)
	packaging/exports.sh --map include/mcp_oauth.h > $@
$(BUILD)/$(SONAME): $(GO_SRC) $(MAP)
	@mkdir -p $(BUILD)
	cp $(MAP) $(MAP_COPY)
	CGO_ENABLED=1 $(GO) build -buildmode=c-shared -trimpath -ldflags="$(LDFLAGS)" -o $@ ./capi
	@rm -f $(BUILD)/libmcp_oauth.so*.h
$(LIB): $(BUILD)/$(SONAME)
	ln -sf $(SONAME) $@

# The command-line tool (pure Go, no cgo).
cli: $(BUILD)/mcp-oauth
$(BUILD)/mcp-oauth: $(GO_SRC)
	@mkdir -p $(BUILD)
	CGO_ENABLED=0 $(GO) build -trimpath -o $@ ./cmd/mcp-oauth

testserver: $(BUILD)/oauth-test-server $(BUILD)/mcp-test-server
$(BUILD)/oauth-test-server $(BUILD)/mcp-test-server: $(BUILD)/%: $(GO_SRC)
	@mkdir -p $(BUILD)
	$(GO) build -trimpath -o $@ ./cmd/$*

# The tables several languages copy, written from their one source each: the
# configuration schema from core/config.go's Config struct, the status codes
# from include/mcp_oauth.h (internal/tablegen says where each copy lives).
# test-go fails when a copy differs from what this would write.
generate:
	$(GO) run ./internal/tablegen

# apt-get runs through sudo unless make runs as root.
SUDO ?= $(if $(filter 0,$(shell id -u)),,sudo)

# --- tests -----------------------------------------------------------------
# make test checks its prerequisites (tests/prereqs.sh), builds once, then
# runs the suites TEST_JOBS at a time: most of their time is spent waiting
# on servers, not computing. Each suite's output is printed when it ends.
TEST_JOBS ?= 3
# The suites' scripts run make themselves (a no-op once everything is
# built): without make's variables, so that they neither warn about the
# jobserver nor escape --output-sync.
ALONE := env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL
TEST_SUITES := test-go test-abi test-c test-python test-node conformance conformance-0.1 test-conformance-runner test-docs
test: check-prereqs
	@$(MAKE) --no-print-directory all
	@$(MAKE) --no-print-directory -j$(TEST_JOBS) --output-sync=target $(TEST_SUITES)

.PHONY: check-prereqs
check-prereqs:
	@GO='$(GO)' CC='$(CC)' CXX='$(CXX)' tests/prereqs.sh

# The exported symbols are exactly the header's functions (nm -D vs the header).
.PHONY: test-abi
test-abi: lib
	packaging/check-abi.sh $(BUILD)/$(SONAME)

# The Redis/Valkey store's fleet tests (redisstore, tests/c/test_store.c,
# the bindings' fleet tests) start their own redis-server, from Debian's
# package, installed here when absent.
redis-server:
	@command -v redis-server >/dev/null || { echo "installing redis-server (apt-get)"; \
	  $(SUDO) apt-get install -y -q redis-server >/dev/null || \
	  { $(SUDO) apt-get update -q >/dev/null && $(SUDO) apt-get install -y -q redis-server >/dev/null; }; }

# The keyring store's tests (keyringstore) start their own private D-Bus
# session bus (dbus-daemon) with gnome-keyring-daemon on it, unlocked, and
# cross-check with libsecret's secret-tool: Debian's dbus, gnome-keyring and
# libsecret-tools, installed here when absent.
.PHONY: secret-service
secret-service:
	@command -v dbus-daemon >/dev/null && command -v gnome-keyring-daemon >/dev/null && command -v secret-tool >/dev/null || \
	  { echo "installing dbus, gnome-keyring, libsecret-tools (apt-get)"; \
	  $(SUDO) apt-get install -y -q --no-install-recommends dbus gnome-keyring libsecret-tools >/dev/null || \
	  { $(SUDO) apt-get update -q >/dev/null && \
	    $(SUDO) apt-get install -y -q --no-install-recommends dbus gnome-keyring libsecret-tools >/dev/null; }; }

# MCP_OAUTH_REQUIRE_*: a test whose server or tools are missing fails
# instead of skipping.
test-go: redis-server secret-service
	$(GO) vet ./...
	MCP_OAUTH_REQUIRE_REDIS=1 MCP_OAUTH_REQUIRE_KEYRING=1 $(GO) test -race -timeout 300s ./...

$(BUILD)/test_capi: tests/c/test_capi.c tests/c/harness.c tests/c/harness.h tests/c/check.h include/mcp_oauth.h $(LIB)
	$(CC) -std=c11 $(CWARN) -g -fsanitize=address -Iinclude tests/c/test_capi.c tests/c/harness.c \
		-L$(BUILD) -lmcp_oauth $(RPATH) -lpthread -o $@
$(BUILD)/test_mcp: tests/c/test_mcp.c tests/c/harness.c tests/c/harness.h tests/c/check.h include/mcp_oauth.h $(LIB)
	$(CC) -std=c11 $(CWARN) -g -fsanitize=address -Iinclude tests/c/test_mcp.c tests/c/harness.c \
		-L$(BUILD) -lmcp_oauth $(RPATH) -lpthread -o $@
$(BUILD)/test_elicit: tests/c/test_elicit.c tests/c/harness.c tests/c/harness.h tests/c/check.h include/mcp_oauth.h $(LIB)
	$(CC) -std=c11 $(CWARN) -g -fsanitize=address -Iinclude tests/c/test_elicit.c tests/c/harness.c \
		-L$(BUILD) -lmcp_oauth $(RPATH) -lpthread -o $@
$(BUILD)/test_skills: tests/c/test_skills.c tests/c/harness.c tests/c/harness.h tests/c/check.h include/mcp_oauth.h $(LIB)
	$(CC) -std=c11 $(CWARN) -g -fsanitize=address -Iinclude tests/c/test_skills.c tests/c/harness.c \
		-L$(BUILD) -lmcp_oauth $(RPATH) -o $@
$(BUILD)/test_multi: tests/c/test_multi.c tests/c/harness.c tests/c/harness.h tests/c/check.h include/mcp_oauth.h $(LIB)
	$(CC) -std=c11 $(CWARN) -g -fsanitize=address -Iinclude tests/c/test_multi.c tests/c/harness.c \
		-L$(BUILD) -lmcp_oauth $(RPATH) -o $@
$(BUILD)/test_store: tests/c/test_store.c tests/c/harness.c tests/c/harness.h tests/c/check.h include/mcp_oauth.h $(LIB)
	$(CC) -std=c11 $(CWARN) -g -fsanitize=address -Iinclude tests/c/test_store.c tests/c/harness.c \
		-L$(BUILD) -lmcp_oauth $(RPATH) -o $@
$(BUILD)/test_spec: tests/c/test_spec.c tests/c/harness.c tests/c/harness.h tests/c/check.h include/mcp_oauth.h $(LIB)
	$(CC) -std=c11 $(CWARN) -g -fsanitize=address -Iinclude tests/c/test_spec.c tests/c/harness.c \
		-L$(BUILD) -lmcp_oauth $(RPATH) -o $@
$(BUILD)/test_log: tests/c/test_log.c tests/c/harness.c tests/c/harness.h tests/c/check.h include/mcp_oauth.h $(LIB)
	$(CC) -std=c11 $(CWARN) -g -fsanitize=address -Iinclude tests/c/test_log.c tests/c/harness.c \
		-L$(BUILD) -lmcp_oauth $(RPATH) -lpthread -o $@
$(BUILD)/header_cpp: tests/c/header_cpp.cpp include/mcp_oauth.h $(LIB)
	$(CXX) -std=c++17 $(CWARN) -Iinclude $< -L$(BUILD) -lmcp_oauth $(RPATH) -o $@

# Each C test program is its own target, so that make -j runs them at once
# (each starts its own test server on an ephemeral port).
C_TESTS := test_capi test_device test_mcp test_multi test_misuse test_store test_spec header_cpp \
           test_config test_hpp noexcept_hpp test_elicit test_skills test_login test_log
.PHONY: $(C_TESTS:%=run-%)
test-c: $(C_TESTS:%=run-%)
$(C_TESTS:%=run-%): run-%: $(BUILD)/% testserver redis-server
	MCP_OAUTH_REQUIRE_REDIS=1 MCP_OAUTH_TEST_SERVER=$(BUILD)/oauth-test-server MCP_OAUTH_MCP_TEST_SERVER=$(BUILD)/mcp-test-server $(BUILD)/$*

# The virtualenv and node_modules are prepared once, before the suites that
# use them (the doc snippets too) run side by side.
.PHONY: prepare-python prepare-node
prepare-python: lib testserver
	$(ALONE) bindings/python/run-tests.sh --install-only
	$(ALONE) bindings/python/run-langchain-tests.sh --install-only
prepare-node: lib testserver
	$(ALONE) bindings/node/run-tests.sh --install-only

test-python: prepare-python redis-server
	$(ALONE) MCP_OAUTH_REQUIRE_REDIS=1 bindings/python/run-tests.sh
	$(ALONE) bindings/python/run-langchain-tests.sh

test-node: prepare-node redis-server
	$(ALONE) MCP_OAUTH_REQUIRE_REDIS=1 bindings/node/run-tests.sh
	$(ALONE) tests/sdk/node/run-tests.sh

# Runs every marked snippet of README.md and docs/*.md against the test
# servers and checks their relative links (tests/docs/check_snippets.py);
# every ns/µs figure the docs quote must be in bench/results/summary.md
# (tests/docs/check_figures.py).
.PHONY: test-docs
test-docs: lib testserver cli prepare-python prepare-node
	$(ALONE) python3 tests/docs/check_snippets.py
	python3 tests/docs/check_figures.py

# --- demo ------------------------------------------------------------------
$(BUILD)/demo: examples/demo.c include/mcp_oauth.h $(LIB)
	$(CC) -std=c11 $(CWARN) -Iinclude $< -L$(BUILD) -lmcp_oauth $(RPATH) -o $@

demo: $(BUILD)/demo lib testserver cli
	examples/run-demo.sh

# --- benchmarks ------------------------------------------------------------
$(BUILD)/bench_get_token: bench/c/bench_get_token.c include/mcp_oauth.h $(LIB)
	$(CC) -std=c11 $(CWARN) -O2 -Iinclude $< -L$(BUILD) -lmcp_oauth $(RPATH) -lpthread -o $@

$(BUILD)/bench_mcp_call: bench/c/bench_mcp_call.c tests/c/harness.c tests/c/harness.h include/mcp_oauth.h $(LIB)
	$(CC) -std=c11 $(CWARN) -O2 -Iinclude $< tests/c/harness.c -L$(BUILD) -lmcp_oauth $(RPATH) -lpthread -o $@
$(BUILD)/bench_rss_cold: bench/c/bench_rss_cold.c
	$(CC) -std=c11 $(CWARN) -O2 $< -ldl -o $@

bench: redis-server $(BUILD)/bench_get_token $(BUILD)/bench_mcp_call $(BUILD)/bench_rss_cold lib testserver
	bench/run.sh

# --- soak: get_token for SOAKTIME under -race (Go) and ASan (C) -------------
#   make soak       64 goroutines, then 16 C threads, for SOAKTIME (default 60s)
#                   each, with 2 s tokens and rotating refresh tokens
SOAKTIME ?= 60s
.PHONY: soak
$(BUILD)/soak: tests/c/soak.c tests/c/harness.c tests/c/harness.h tests/c/check.h include/mcp_oauth.h $(LIB)
	$(CC) -std=c11 $(CWARN) -g -fsanitize=address -Iinclude tests/c/soak.c tests/c/harness.c \
		-L$(BUILD) -lmcp_oauth $(RPATH) -lpthread -o $@

soak: $(BUILD)/soak testserver
	MCP_OAUTH_SOAK=$(SOAKTIME) $(GO) test -race -count=1 -timeout 600s -run '^TestSoak' -v ./core
	MCP_OAUTH_SOAK=$(SOAKTIME) MCP_OAUTH_TEST_SERVER=$(BUILD)/oauth-test-server $(BUILD)/soak

# --- MCP conformance suite (installs Node 22 and the suite into build/tools) --
# The suite's tools (Node 22 and the suite, into build/tools) are installed
# once, before the runner and its test run side by side.
.PHONY: conformance-tools
conformance-tools:
	$(ALONE) conformance/run.sh --install-only
conformance: lib conformance-tools
	$(ALONE) conformance/run.sh --suite next
.PHONY: conformance-0.1
conformance-0.1: lib conformance-tools
	$(ALONE) conformance/run.sh --suite 0.1

# The runner's own test: a crashing, a hanging and an idle client fail.
.PHONY: test-conformance-runner
test-conformance-runner: lib conformance-tools
	$(ALONE) conformance/test-run.sh

# --- install ---------------------------------------------------------------
#   make install [PREFIX=/usr/local] [LIBDIR=$(PREFIX)/lib] [DESTDIR=staging]
# Runs ldconfig when it installs into a directory the dynamic linker searches,
# as root and without DESTDIR; otherwise prints the one line to run.
install: lib cli
	install -d $(DESTDIR)$(LIBDIR) $(DESTDIR)$(PKGCONFIGDIR) $(DESTDIR)$(INCLUDEDIR) $(DESTDIR)$(BINDIR)
	install -m 0755 $(BUILD)/mcp-oauth $(DESTDIR)$(BINDIR)/mcp-oauth
	install -m 0755 $(BUILD)/$(SONAME) $(DESTDIR)$(LIBDIR)/$(SONAME)
	ln -sf $(SONAME) $(DESTDIR)$(LIBDIR)/libmcp_oauth.so
	install -m 0644 include/mcp_oauth.h $(DESTDIR)$(INCLUDEDIR)/mcp_oauth.h
	install -m 0644 include/mcp_oauth.hpp $(DESTDIR)$(INCLUDEDIR)/mcp_oauth.hpp
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@LIBDIR@|$(LIBDIR)|' -e 's|@INCLUDEDIR@|$(INCLUDEDIR)|' \
		-e 's|@VERSION@|$(VERSION)|' mcp_oauth.pc.in > $(DESTDIR)$(PKGCONFIGDIR)/mcp_oauth.pc
	@packaging/ldconfig.sh "$(DESTDIR)" "$(LIBDIR)"

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/mcp-oauth $(DESTDIR)$(LIBDIR)/$(SONAME) $(DESTDIR)$(LIBDIR)/libmcp_oauth.so \
		$(DESTDIR)$(INCLUDEDIR)/mcp_oauth.h $(DESTDIR)$(INCLUDEDIR)/mcp_oauth.hpp $(DESTDIR)$(PKGCONFIGDIR)/mcp_oauth.pc
	@packaging/ldconfig.sh "$(DESTDIR)" "$(LIBDIR)"

# --- distribution ------------------------------------------------------------
# The libraries are cross-built with zig (packaging/tools.sh installs it into
# build/tools); packaging/package.sh turns them into the artifacts of
# build/dist; packaging/dist-test.sh installs and runs those.
DIST      := $(BUILD)/dist
DIST_LIBS := $(DIST)/lib/linux-x86_64/$(SONAME) $(DIST)/lib/linux-aarch64/$(SONAME) \
             $(DIST)/lib/windows-x86_64/mcp_oauth.dll
.PHONY: dist dist-libs dist-test tools
tools: $(BUILD)/tools/venv/.pins
$(BUILD)/tools/venv/.pins: packaging/tools.sh
	packaging/tools.sh

dist-libs: $(DIST_LIBS)
$(DIST)/lib/%/$(SONAME): $(GO_SRC) $(MAP) packaging/cross-build.sh | tools
	packaging/cross-build.sh $* $(@D)
$(DIST)/lib/%/mcp_oauth.dll: $(GO_SRC) packaging/cross-build.sh | tools
	packaging/cross-build.sh $* $(@D)

dist: $(DIST_LIBS) lib
	packaging/package.sh

dist-test: dist testserver
	packaging/dist-test.sh

clean:
	rm -rf $(BUILD)

# --- hardening: fuzzing, valgrind ------------------------------------------
#   make fuzz       each fuzz target of core/ for FUZZTIME (default 200000x executions), in turn
#   make valgrind   build/valgrind/test_capi (no ASan) under valgrind
# A count of executions (Nx), not a duration: with a duration, Go 1.26's fuzz
# coordinator can fail a clean run with "context deadline exceeded" as the
# time runs out (golang/go#75804, fixed in Go 1.27).
FUZZTIME     ?= 200000x
# A cap on minimising each new interesting input (default 60s), which
# otherwise stalls a short run for most of its time.
FUZZMINIMIZE ?= 5s
FUZZ_TARGETS := FuzzParseTokenResponse FuzzProtectedResourceMetadata FuzzAuthServerMetadata \
                FuzzRegistrationResponse FuzzCompleteAuthorization FuzzParseConfig FuzzParseWWWAuthenticate \
                FuzzDeviceAuthorizationResponse
VG_BUILD     := $(BUILD)/valgrind
VG_SUPP      ?= ../shared/design/valgrind-go.supp
VALGRIND     ?= valgrind --error-exitcode=1 --leak-check=full \
                --suppressions=$(VG_SUPP) --suppressions=tests/c/valgrind-go-stacks.supp

.PHONY: fuzz valgrind
fuzz:
	@set -e; for t in $(FUZZ_TARGETS); do \
		echo "== $$t ($(FUZZTIME))"; \
		$(GO) test ./core -run '^$$' -fuzz "^$$t\$$" -fuzztime $(FUZZTIME) -fuzzminimizetime $(FUZZMINIMIZE); \
	done

# The library for valgrind: its own directory, DWARF left out (-w) so that
# valgrind does not trip over Go's DWARF 5. Not built with the Go runtime's
# valgrind annotations (-tags=valgrind): valgrind 3.19's leak checker aborts
# on them; tests/c/valgrind-go-stacks.supp covers the goroutine stack noise
# instead.
$(VG_BUILD)/$(SONAME): $(GO_SRC)
	@mkdir -p $(VG_BUILD)
	CGO_ENABLED=1 $(GO) build -buildmode=c-shared -trimpath \
		-ldflags='-w -extldflags=-Wl,-soname,$(SONAME)' -o $@ ./capi
	@rm -f $(VG_BUILD)/libmcp_oauth.so*.h
	ln -sf $(SONAME) $(VG_BUILD)/libmcp_oauth.so
$(VG_BUILD)/test_capi: tests/c/test_capi.c tests/c/harness.c tests/c/harness.h tests/c/check.h include/mcp_oauth.h $(VG_BUILD)/$(SONAME)
	$(CC) -std=c11 $(CWARN) -g -O0 -Iinclude tests/c/test_capi.c tests/c/harness.c \
		-L$(VG_BUILD) -lmcp_oauth -Wl,-rpath,$(abspath $(VG_BUILD)) -lpthread -o $@

$(VG_BUILD)/test_misuse: tests/c/test_misuse.c tests/c/harness.c tests/c/harness.h tests/c/check.h include/mcp_oauth.h $(VG_BUILD)/$(SONAME)
	$(CC) -std=c11 $(CWARN) -g -O0 -Iinclude tests/c/test_misuse.c tests/c/harness.c \
		-L$(VG_BUILD) -lmcp_oauth -Wl,-rpath,$(abspath $(VG_BUILD)) -lpthread -o $@

valgrind: $(VG_BUILD)/test_capi $(VG_BUILD)/test_misuse testserver
	MCP_OAUTH_TEST_SERVER=$(BUILD)/oauth-test-server $(VALGRIND) $(VG_BUILD)/test_capi
	MCP_OAUTH_UNDER_VALGRIND=1 MCP_OAUTH_MCP_TEST_SERVER=$(BUILD)/mcp-test-server $(VALGRIND) $(VG_BUILD)/test_misuse

# C-ABI misuse beyond test_capi/test_mcp (ASan), run by test-c.
$(BUILD)/test_misuse: tests/c/test_misuse.c tests/c/harness.c tests/c/harness.h tests/c/check.h include/mcp_oauth.h $(LIB)
	$(CC) -std=c11 $(CWARN) -g -fsanitize=address -Iinclude tests/c/test_misuse.c tests/c/harness.c \
		-L$(BUILD) -lmcp_oauth $(RPATH) -lpthread -o $@

# The device authorization grant (RFC 8628) through the C ABI (ASan), run by test-c.
$(BUILD)/test_device: tests/c/test_device.c tests/c/harness.c tests/c/harness.h tests/c/check.h include/mcp_oauth.h $(LIB)
	$(CC) -std=c11 $(CWARN) -g -fsanitize=address -Iinclude tests/c/test_device.c tests/c/harness.c -lpthread \
		-L$(BUILD) -lmcp_oauth $(RPATH) -o $@

# The manager's own login (config member "login") through the C ABI (ASan), run by test-c.
$(BUILD)/test_login: tests/c/test_login.c tests/c/harness.c tests/c/harness.h tests/c/check.h include/mcp_oauth.h $(LIB)
	$(CC) -std=c11 $(CWARN) -g -fsanitize=address -Iinclude tests/c/test_login.c tests/c/harness.c -lpthread \
		-L$(BUILD) -lmcp_oauth $(RPATH) -o $@

# Configuration setters and error accessors, without JSON (ASan), run by test-c.
test-c: $(BUILD)/test_config
$(BUILD)/test_config: tests/c/test_config.c tests/c/harness.c tests/c/harness.h tests/c/check.h include/mcp_oauth.h $(LIB)
	$(CC) -std=c11 $(CWARN) -g -fsanitize=address -Iinclude tests/c/test_config.c tests/c/harness.c \
		-L$(BUILD) -lmcp_oauth $(RPATH) -lm -o $@

# The C++ header include/mcp_oauth.hpp (ASan, against both test servers),
# and its non-throwing form under -fno-exceptions, run by test-c.
test-c: $(BUILD)/test_hpp $(BUILD)/noexcept_hpp
$(BUILD)/test_hpp: tests/cpp/test_hpp.cpp tests/c/harness.c tests/c/harness.h tests/c/check.h include/mcp_oauth.hpp include/mcp_oauth.h $(LIB)
	$(CC) -std=c11 $(CWARN) -g -fsanitize=address -Iinclude -c tests/c/harness.c -o $(BUILD)/harness_hpp.o
	$(CXX) -std=c++17 $(CWARN) -g -fsanitize=address -Iinclude -Itests/c tests/cpp/test_hpp.cpp $(BUILD)/harness_hpp.o \
		-L$(BUILD) -lmcp_oauth $(RPATH) -lpthread -o $@
$(BUILD)/noexcept_hpp: tests/cpp/noexcept_hpp.cpp include/mcp_oauth.hpp include/mcp_oauth.h $(LIB)
	$(CXX) -std=c++17 $(CWARN) -fno-exceptions -Iinclude $< -L$(BUILD) -lmcp_oauth $(RPATH) -o $@
