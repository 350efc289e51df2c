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
	"os"
	"sync"
	"sync/atomic"
	"time"
	"unsafe"

	pointer "github.com/mattn/go-pointer"

	"github.com/mcp-oauth-client/mcp-oauth-client/core"
	"github.com/mcp-oauth-client/mcp-oauth-client/core/mcpclient"
)

// registered is what go-pointer keeps for a handle of any kind.
type registered interface {
	closedFlag() *atomic.Bool
	// release closes the Go side; cword is C memory to free once the
	// handle's address leaves quarantine (nil if none).
	release()
	cword() unsafe.Pointer
}

// handle is what an mcp_oauth* stands for: a token manager, the C word
// holding its generation counter, its pending device authorization and
// the cancellation of its blocking calls.
type handle struct {
	mgr    *core.TokenManager
	gen    unsafe.Pointer // C.malloc'd uint32, read by bindings
	closed atomic.Bool

	device core.PendingDevice // begun by mcp_oauth_device_begin

	calls canceller // the context of blocking calls, see mcp_oauth_cancel
}

func (h *handle) closedFlag() *atomic.Bool { return &h.closed }
func (h *handle) release()                 { h.mgr.Close() }
func (h *handle) cword() unsafe.Pointer    { return h.gen }

// clientHandle is what an mcp_client* stands for: an MCP session and the
// bound on each of its requests. A borrowed session belongs to an
// mcp_client_multi, which ends it.
type clientHandle struct {
	sess     *mcpclient.MCPSession
	timeout  time.Duration
	borrowed bool
	closed   atomic.Bool
	calls    canceller // the context of its requests, see mcp_client_cancel
}

func (c *clientHandle) closedFlag() *atomic.Bool { return &c.closed }
func (c *clientHandle) release() {
	if !c.borrowed {
		_ = c.sess.Close()
	}
}
func (c *clientHandle) cword() unsafe.Pointer { return nil }

// multiHandle is what an mcp_client_multi* stands for: several named MCP
// servers, each with its own token manager and session.
type multiHandle struct {
	ms     *mcpclient.MultiServer
	closed atomic.Bool
	calls  canceller // the context of its calls, see mcp_client_multi_cancel
}

func (m *multiHandle) closedFlag() *atomic.Bool { return &m.closed }
func (m *multiHandle) release()                 { m.ms.Close() }
func (m *multiHandle) cword() unsafe.Pointer    { return nil }

// freeMu serialises frees so that a handle is closed and released once.
var freeMu sync.Mutex

// newHandle registers a token manager; the returned address is the
// mcp_oauth* given to C.
func newHandle(cfg *core.Config) (unsafe.Pointer, error) {
	gen := C.calloc(1, C.size_t(unsafe.Sizeof(C.uint32_t(0))))
	mgr, err := core.NewTokenManager(cfg, core.WithGenerationCounter((*uint32)(gen)),
		core.WithLoginPrompt(os.Stderr)) // the login's URL or user code (config member login)
	if err != nil {
		C.free(gen)
		return nil, err
	}
	return pointer.Save(&handle{mgr: mgr, gen: gen}), nil
}

// lookup resolves a handle of kind T: false for NULL, unknown, freed or
// other-kind handles (go-pointer's Restore of an unknown address is nil).
func lookup[T registered](p unsafe.Pointer) (T, bool) {
	var zero T
	if p == nil {
		return zero, false
	}
	h, ok := pointer.Restore(p).(T)
	if !ok || h.closedFlag().Load() {
		return zero, false
	}
	return h, true
}

// free closes a live handle of kind T and quarantines its address; it
// reports false for NULL, unknown, other-kind or already freed handles, so
// nothing is released twice (a second go-pointer Unref would double-free and
// abort the process).
func free[T registered](p unsafe.Pointer) bool {
	freeMu.Lock()
	defer freeMu.Unlock()
	h, ok := lookup[T](p)
	if !ok {
		return false
	}
	h.closedFlag().Store(true)
	h.release()
	if old := C.quarantine_push(p, h.cword()); old.handle != nil {
		C.free(old.gen)
		pointer.Unref(old.handle)
	}
	return true
}
