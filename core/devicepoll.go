package core

import (
	"context"
	"net/url"
	"sync"
)

// A device-code poll (RFC 8628 §3.4) is not a request to abandon: when the
// user has approved, the server issues the tokens and spends the device
// code with the same answer (§3.5), and a poll sent again is refused
// (invalid_grant). A caller whose context ends while a poll is at the
// server — cancelled, or a timeout falling as the poll went out — therefore
// stops waiting for it but does not cut it: the poll runs on, bounded by
// the HTTP timeout and ended by Close, stores the tokens if they come, and
// the next CompleteDeviceAuthorization takes its answer instead of polling.

// devicePolls holds the poll of a device authorization that is in flight,
// or answered while nobody waited.
type devicePolls struct {
	mu      sync.Mutex
	current *devicePoll
}

// devicePoll is one poll: its outcome once done is closed.
type devicePoll struct {
	done chan struct{}
	err  error // nil: the tokens are stored
}

// pending returns the poll a caller gave up on, or nil.
func (p *devicePolls) pending() *devicePoll {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.current
}

// startPoll sends a poll for d detached from ctx's end (see above): its
// outcome is waited for with wait.
func (m *TokenManager) startPoll(ctx context.Context, d *DeviceAuthorization) *devicePoll {
	poll := &devicePoll{done: make(chan struct{})}
	d.polls.mu.Lock()
	d.polls.current = poll
	d.polls.mu.Unlock()
	pctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	stop := context.AfterFunc(m.ctx, cancel) // Close ends it
	go func() {
		defer cancel()
		defer stop()
		tok, err := d.params.endpoint.request(pctx, url.Values{
			"grant_type":  {GrantDeviceCode},
			"device_code": {d.deviceCode},
		})
		if err == nil {
			m.countAuthorization()
			_, err = m.store(tok)
		}
		poll.err = err
		close(poll.done)
	}()
	return poll
}

// wait returns the outcome of poll, which is then no longer pending, or
// ctx's error when ctx ends first (the poll stays pending).
func (p *devicePolls) wait(ctx context.Context, poll *devicePoll) error {
	select {
	case <-poll.done:
	case <-ctx.Done():
		return networkError("device authorization", ctx.Err())
	}
	p.mu.Lock()
	if p.current == poll {
		p.current = nil
	}
	p.mu.Unlock()
	return poll.err
}
