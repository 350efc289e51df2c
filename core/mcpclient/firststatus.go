package mcpclient

import (
	"net/http"
	"sync/atomic"

	"github.com/mcp-oauth-client/mcp-oauth-client/core"
)

// firstStatus is the RoundTripper under an MCP session's transport that
// keeps the status of the first answer, the one to the request that opens
// the session (Streamable HTTP's initialize, HTTP+SSE's GET): a 404 there
// means no MCP endpoint is at the URL, where a later 404 means a session the
// server no longer knows.
type firstStatus struct {
	next   http.RoundTripper
	status atomic.Int32
}

func (f *firstStatus) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := f.next.RoundTrip(req)
	if err == nil {
		f.status.CompareAndSwap(0, int32(resp.StatusCode))
	}
	return resp, err
}

// openError is err, a failure to open a session with serverURL, or a
// [*core.NoMCPServerError] when the first answer was a 404.
func (f *firstStatus) openError(serverURL string, err error) error {
	if f.status.Load() == http.StatusNotFound {
		return core.NoMCPServer(serverURL)
	}
	return err
}
