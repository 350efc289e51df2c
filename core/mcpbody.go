package core

import (
	"fmt"
	"io"
	"mime"
	"net/http"
	"sync/atomic"
)

// DefaultMCPMaxResponseBytes is the default bound on an MCP response body
// and on each event of an SSE stream (Config.MCPMaxResponseBytes): 8 MiB.
// The MCP SDK gathers an SSE line by appending, so an event at the bound
// transiently costs several times its size (measured: 60-80 MiB of peak RSS
// for a 16 MiB event, 20-30 MiB for 8 MiB).
const DefaultMCPMaxResponseBytes = 8 << 20

// ResponseTooLargeError reports an MCP server whose response body, or one
// event of whose SSE stream, exceeded Config.MCPMaxResponseBytes. The
// session is closed: the rest of the answer is never read.
type ResponseTooLargeError struct {
	Limit int64
}

func (e *ResponseTooLargeError) Error() string {
	return fmt.Sprintf("mcp-oauth: the MCP server's response exceeded mcp_max_response_bytes (%d bytes); the session was closed", e.Limit)
}

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
		return nil, &ResponseTooLargeError{Limit: b.limit}
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
	b.err = &ResponseTooLargeError{Limit: b.owner.limit}
	return n, b.err
}

func (b *boundedBody) Close() error { return b.body.Close() }
