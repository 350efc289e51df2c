# mcp-oauth build. `make` builds the shared library and the test servers;
# `make test` runs every test suite; `make demo` runs the end-to-end demo.
GO       ?= go
CC       ?= cc
PREFIX   ?= /usr/local
BUILD    := build
SONAME   := libmcp_oauth.so.0
LIB      := $(BUILD)/libmcp_oauth.so
GO_SRC   := go.mod go.sum $(shell find core capi oauthtest cmd -name '*.go' 2>/dev/null)
LDFLAGS  := -s -w -extldflags=-Wl,-soname,$(SONAME)

.PHONY: all lib testserver
all: lib testserver

lib: $(LIB)
$(BUILD)/$(SONAME): $(GO_SRC)
	@mkdir -p $(BUILD)
	CGO_ENABLED=1 $(GO) build -buildmode=c-shared -trimpath -ldflags='$(LDFLAGS)' -o $@ ./capi
	@rm -f $(BUILD)/libmcp_oauth.so.0.h
$(LIB): $(BUILD)/$(SONAME)
	ln -sf $(SONAME) $@

testserver: $(BUILD)/oauth-test-server
$(BUILD)/oauth-test-server: $(GO_SRC)
	@mkdir -p $(BUILD)
	$(GO) build -trimpath -o $@ ./cmd/oauth-test-server
