package main

/*
#include <stdint.h>
#include <stdlib.h>

// A freed handle's address and its generation word stay allocated in this
// ring (a C global, so leak checkers see them as reachable) until 1024
// further frees have happened: malloc cannot hand the address to a new handle
// meanwhile, and a binding may still read the word.
#define MCP_OAUTH_QUARANTINE 1024
typedef struct { void *handle; void *gen; } quarantined;
static quarantined mcp_oauth_quarantine[MCP_OAUTH_QUARANTINE];
static unsigned mcp_oauth_quarantine_next;

// quarantine_push stores a freed handle and returns the entry it evicts
// (zeroed when the slot was empty).
static quarantined quarantine_push(void *handle, void *gen) {
	quarantined old = mcp_oauth_quarantine[mcp_oauth_quarantine_next];
	mcp_oauth_quarantine[mcp_oauth_quarantine_next] = (quarantined){handle, gen};
	mcp_oauth_quarantine_next = (mcp_oauth_quarantine_next + 1) % MCP_OAUTH_QUARANTINE;
	return old;
}
*/
import "C"

import (
	"sync"
	"sync/atomic"
	"unsafe"

	pointer "github.com/mattn/go-pointer"

	"github.com/mcp-oauth/mcp-oauth/core"
)

// handle is what an mcp_oauth* stands for: a token manager and the C word
// holding its generation counter.
type handle struct {
	mgr    *core.TokenManager
	gen    unsafe.Pointer // C.malloc'd uint32, read by bindings
	closed atomic.Bool
}

// freeMu serialises frees so that a handle is closed and released once.
var freeMu sync.Mutex

// liveHandles counts handles created and not yet freed (for the tests).
var liveHandles atomic.Int64

// newHandle registers a handle with go-pointer; the returned address is the
// mcp_oauth* given to C.
func newHandle(cfg *core.Config) (unsafe.Pointer, error) {
	gen := C.calloc(1, C.size_t(unsafe.Sizeof(C.uint32_t(0))))
	mgr, err := core.NewTokenManager(cfg, core.WithGenerationCounter((*uint32)(gen)))
	if err != nil {
		C.free(gen)
		return nil, err
	}
	liveHandles.Add(1)
	return pointer.Save(&handle{mgr: mgr, gen: gen}), nil
}

// lookup resolves an mcp_oauth*: nil for NULL, unknown or freed handles.
// go-pointer's Restore of an unknown address returns nil.
func lookup(p unsafe.Pointer) *handle {
	if p == nil {
		return nil
	}
	h, _ := pointer.Restore(p).(*handle)
	if h == nil || h.closed.Load() {
		return nil
	}
	return h
}

// freeHandle closes a live handle and quarantines its address; it reports
// false for NULL, unknown or already freed handles, so nothing is released
// twice (a second go-pointer Unref would double-free and abort the process).
func freeHandle(p unsafe.Pointer) bool {
	freeMu.Lock()
	defer freeMu.Unlock()
	h := lookup(p)
	if h == nil {
		return false
	}
	h.closed.Store(true)
	h.mgr.Close()
	liveHandles.Add(-1)
	if old := C.quarantine_push(p, h.gen); old.handle != nil {
		C.free(old.gen)
		pointer.Unref(old.handle)
	}
	return true
}
