package mcpclient

import (
	"io"
	"mime"
	"net/http"
	"sync/atomic"

	"github.com/mcp-oauth-client/mcp-oauth-client/core"
)

// boundedResponses caps what an MCP session reads from its server: a body
// as a whole, or an SSE stream (HTML Living Standard §9.2, server-sent
// events) event by event, since a stream lives as long as the session.
// Reading past the cap fails, and the failure is remembered (tripped), as
// the MCP SDK reports a broken read only as text.
type boundedResponses struct {
	next    http.RoundTripper
	limit   int64
	tripped atomic.Bool
}

func (b *boundedResponses) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := b.next.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	mt, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type"))
	events := mt == "text/event-stream"
	if !events && resp.ContentLength > b.limit {
		_ = resp.Body.Close()
		b.tripped.Store(true)
		return nil, &core.ResponseTooLargeError{Limit: b.limit}
	}
	resp.Body = &boundedBody{body: resp.Body, owner: b, left: b.limit, events: events}
	return resp, nil
}

// boundedBody is a response body that fails once more than the limit has
// been read: in all, or (events) since the last blank line, which ends an
// SSE event.
type boundedBody struct {
	body   io.ReadCloser
	owner  *boundedResponses
	left   int64
	events bool
	lf     bool // the last byte other than CR was LF
	err    error
}

func (b *boundedBody) Read(p []byte) (int, error) {
	if b.err != nil {
		return 0, b.err
	}
	if !b.events && int64(len(p)) > b.left+1 {
		p = p[:b.left+1]
	}
	n, err := b.body.Read(p)
	if !b.events {
		if b.left -= int64(n); b.left < 0 {
			return b.trip(n + int(b.left))
		}
		return n, err
	}
	for i, c := range p[:n] {
		switch {
		case c == '\n' && b.lf:
			b.left = b.owner.limit // a blank line: the event is complete
		case c == '\n':
			b.lf = true
		case c != '\r':
			b.lf = false
		}
		if b.left--; b.left < 0 {
			return b.trip(i)
		}
	}
	return n, err
}

// trip ends the body after its first n bytes.
func (b *boundedBody) trip(n int) (int, error) {
	b.owner.tripped.Store(true)
	b.err = &core.ResponseTooLargeError{Limit: b.owner.limit}
	return n, b.err
}

func (b *boundedBody) Close() error { return b.body.Close() }
