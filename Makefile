# mcp-oauth build.
#   make            the shared library build/libmcp_oauth.so, the test servers and the mcp-oauth command
#   make test       every test suite: Go (-race), C (ASan), C++ header, Python, Node, MCP conformance
#   make demo       the test authorization server driven from C, Python and Node
#   make bench      benchmarks, printed as a table with ratios
#   make conformance  the MCP conformance suite's authorization scenarios
#   make install    PREFIX=/usr/local: library, header, pkg-config file, mcp-oauth command
#   make generate   rewrite the copied tables (config schema, status codes) from their sources
GO       ?= go
CC       ?= cc
CXX      ?= c++
PREFIX   ?= /usr/local
BUILD    := build
VERSION  := 0.1.0
SONAME   := libmcp_oauth.so.0
LIB      := $(BUILD)/libmcp_oauth.so
GO_SRC   := go.mod go.sum $(shell find core capi cmd internal -name '*.go' ! -name '*_test.go' 2>/dev/null)
LDFLAGS  := -s -w -extldflags=-Wl,-soname,$(SONAME)
CWARN    := -Wall -Wextra -Werror
RPATH    := -Wl,-rpath,$(abspath $(BUILD))

.PHONY: all lib cli testserver redis-server test test-go test-c test-python test-node demo bench conformance install clean generate
all: lib testserver cli

lib: $(LIB)
$(BUILD)/$(SONAME): $(GO_SRC)
	@mkdir -p $(BUILD)
	CGO_ENABLED=1 $(GO) build -buildmode=c-shared -trimpath -ldflags='$(LDFLAGS)' -o $@ ./capi
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
test: test-go test-c test-python test-node conformance

# The Redis/Valkey store's fleet tests (redisstore, tests/c/test_store.c,
# the bindings' fleet tests) start their own redis-server, from Debian's
# package, installed here when absent.
redis-server:
	@command -v redis-server >/dev/null || { echo "installing redis-server (apt-get)"; \
	  $(SUDO) apt-get install -y -q redis-server >/dev/null || \
	  { $(SUDO) apt-get update -q >/dev/null && $(SUDO) apt-get install -y -q redis-server >/dev/null; }; }

test-go: redis-server
	$(GO) vet ./...
	MCP_OAUTH_REQUIRE_REDIS=1 $(GO) test -race -timeout 300s ./...

$(BUILD)/test_capi: tests/c/test_capi.c tests/c/harness.c tests/c/harness.h tests/c/check.h include/mcp_oauth.h $(LIB)
	$(CC) -std=c11 $(CWARN) -g -fsanitize=address -Iinclude tests/c/test_capi.c tests/c/harness.c \
		-L$(BUILD) -lmcp_oauth $(RPATH) -lpthread -o $@
$(BUILD)/test_mcp: tests/c/test_mcp.c tests/c/harness.c tests/c/harness.h tests/c/check.h include/mcp_oauth.h $(LIB)
	$(CC) -std=c11 $(CWARN) -g -fsanitize=address -Iinclude tests/c/test_mcp.c tests/c/harness.c \
		-L$(BUILD) -lmcp_oauth $(RPATH) -o $@
$(BUILD)/test_multi: tests/c/test_multi.c tests/c/harness.c tests/c/harness.h tests/c/check.h include/mcp_oauth.h $(LIB)
	$(CC) -std=c11 $(CWARN) -g -fsanitize=address -Iinclude tests/c/test_multi.c tests/c/harness.c \
		-L$(BUILD) -lmcp_oauth $(RPATH) -o $@
$(BUILD)/test_store: tests/c/test_store.c tests/c/harness.c tests/c/harness.h tests/c/check.h include/mcp_oauth.h $(LIB)
	$(CC) -std=c11 $(CWARN) -g -fsanitize=address -Iinclude tests/c/test_store.c tests/c/harness.c \
		-L$(BUILD) -lmcp_oauth $(RPATH) -o $@
$(BUILD)/header_cpp: tests/c/header_cpp.cpp include/mcp_oauth.h $(LIB)
	$(CXX) -std=c++17 $(CWARN) -Iinclude $< -L$(BUILD) -lmcp_oauth $(RPATH) -o $@

test-c: redis-server $(BUILD)/test_capi $(BUILD)/test_mcp $(BUILD)/test_multi $(BUILD)/test_misuse $(BUILD)/test_store $(BUILD)/header_cpp testserver
	MCP_OAUTH_TEST_SERVER=$(BUILD)/oauth-test-server $(BUILD)/test_capi
	MCP_OAUTH_TEST_SERVER=$(BUILD)/oauth-test-server $(BUILD)/test_device
	MCP_OAUTH_MCP_TEST_SERVER=$(BUILD)/mcp-test-server $(BUILD)/test_mcp
	MCP_OAUTH_MCP_TEST_SERVER=$(BUILD)/mcp-test-server $(BUILD)/test_multi
	MCP_OAUTH_MCP_TEST_SERVER=$(BUILD)/mcp-test-server $(BUILD)/test_misuse
	MCP_OAUTH_REQUIRE_REDIS=1 MCP_OAUTH_TEST_SERVER=$(BUILD)/oauth-test-server $(BUILD)/test_store
	$(BUILD)/header_cpp

test-python: lib testserver redis-server
	MCP_OAUTH_REQUIRE_REDIS=1 bindings/python/run-tests.sh

test-node: lib testserver redis-server
	MCP_OAUTH_REQUIRE_REDIS=1 bindings/node/run-tests.sh

# Runs every marked snippet of README.md and docs/*.md against the test
# servers and checks their relative links (tests/docs/check_snippets.py).
.PHONY: test-docs
test: test-docs
test-docs: lib testserver cli
	python3 tests/docs/check_snippets.py

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
conformance: lib
	conformance/run.sh

# --- install ---------------------------------------------------------------
install: lib cli
	install -d $(DESTDIR)$(PREFIX)/lib/pkgconfig $(DESTDIR)$(PREFIX)/include $(DESTDIR)$(PREFIX)/bin
	install -m 0755 $(BUILD)/mcp-oauth $(DESTDIR)$(PREFIX)/bin/mcp-oauth
	install -m 0755 $(BUILD)/$(SONAME) $(DESTDIR)$(PREFIX)/lib/$(SONAME)
	ln -sf $(SONAME) $(DESTDIR)$(PREFIX)/lib/libmcp_oauth.so
	install -m 0644 include/mcp_oauth.h $(DESTDIR)$(PREFIX)/include/mcp_oauth.h
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@VERSION@|$(VERSION)|' mcp_oauth.pc.in \
		> $(DESTDIR)$(PREFIX)/lib/pkgconfig/mcp_oauth.pc

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
test-c: $(BUILD)/test_device
$(BUILD)/test_device: tests/c/test_device.c tests/c/harness.c tests/c/harness.h tests/c/check.h include/mcp_oauth.h $(LIB)
	$(CC) -std=c11 $(CWARN) -g -fsanitize=address -Iinclude tests/c/test_device.c tests/c/harness.c -lpthread \
		-L$(BUILD) -lmcp_oauth $(RPATH) -o $@
