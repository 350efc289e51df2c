package main

/*
typedef struct mcp_oauth mcp_oauth;
*/
import "C"

import (
	"context"
	"errors"
	"sync/atomic"

	"github.com/mcp-oauth-client/mcp-oauth-client/core"
)

// canceller hands every blocking call on a handle a context that
// mcp_oauth_cancel cancels; calls started afterwards get a new one. Reading
// it is one atomic load, so the cached get_token path stays cheap.
type canceller struct {
	cur atomic.Pointer[cancelScope]
}

type cancelScope struct {
	ctx    context.Context
	cancel context.CancelCauseFunc
}

// context returns the context of the calls in progress.
func (c *canceller) context() context.Context {
	for {
		if s := c.cur.Load(); s != nil {
			return s.ctx
		}
		ctx, cancel := context.WithCancelCause(context.Background())
		if c.cur.CompareAndSwap(nil, &cancelScope{ctx, cancel}) {
			return ctx
		}
		cancel(nil)
	}
}

// cancelAll ends every call that took the current context.
func (c *canceller) cancelAll() {
	if s := c.cur.Swap(nil); s != nil {
		s.cancel(core.ErrCancelled)
	}
}

// outcome is err, or core.ErrCancelled when ctx was cancelled by cancelAll (the
// error of the interrupted call then tells only that its context ended).
func outcome(ctx context.Context, err error) error {
	if err != nil && errors.Is(context.Cause(ctx), core.ErrCancelled) {
		return core.ErrCancelled
	}
	return err
}

// mcp_oauth_cancel ends the calls blocked on h in other threads; see the
// header.
//
//export mcp_oauth_cancel
func mcp_oauth_cancel(h *C.mcp_oauth) (rc C.int) {
	defer guard(&rc, nil)
	hd, err := handleOf(h)
	if err != nil {
		return fail(nil, err)
	}
	hd.calls.cancelAll()
	return statusOK
}
