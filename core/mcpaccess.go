package core

import (
	"context"
	"net/http"
)

// The exports below are what the MCP connection layer (core/mcpclient)
// needs of the engine beyond its public API: one implementation of each
// rule, shared rather than copied. core never imports core/mcpclient.

// SessionTransport is the manager's HTTP transport (its CA bundle applies to
// MCP connections too) with a bound on waiting for response headers: the
// base of an MCP session's transport (core/mcpclient).
func (m *TokenManager) SessionTransport() http.RoundTripper {
	switch tr := m.client.Transport.(type) {
	case *reachTransport:
		return tr.withHeaderTimeout(m.cfg.HTTPTimeout())
	case *http.Transport:
		tr = tr.Clone()
		tr.ResponseHeaderTimeout = m.cfg.HTTPTimeout()
		return tr
	}
	return m.client.Transport
}

// SessionError classifies an error of the MCP SDK once, where it happens
// (see sessionError in classify.go): a more specific kind stays, the end of
// ctx is a cancellation or time-out, an unreachable server a
// [NetworkError], anything else an [MCPError].
func SessionError(ctx context.Context, err error) error { return sessionError(ctx, err) }

// QueryRedactor returns a function that replaces the query parameter values
// of rawURL (an MCP server URL may carry an API key) in an error's message;
// the returned error unwraps to the original.
func QueryRedactor(rawURL string) func(error) error { return queryRedactor(rawURL).err }

// PrintableErr returns err, or an error with the same chain whose message
// has been made [Printable] (for messages of the MCP SDK that may quote
// what a server sent).
func PrintableErr(err error) error { return printableErr(err) }

// NetworkErrorFor is the [NetworkError] (or, for an address the rules
// refuse, the [DiscoveryURLError]) of a failure to reach endpoint; the
// message keeps only the scheme, host and path of a URL it names.
func NetworkErrorFor(endpoint string, err error) error { return networkError(endpoint, err) }

// DecodeStrict decodes one JSON value into v: an unknown member is an
// error, and so is anything after the value.
func DecodeStrict(js []byte, v any) error { return decodeStrict(js, v) }

// IsJSONObject reports whether body is a single JSON object (after
// whitespace).
func IsJSONObject(body []byte) bool { return isJSONObject(body) }

// QuoteShort quotes a server-supplied string for an error message, cut to
// 40 bytes and made [Printable].
func QuoteShort(s string) string { return quoteShort(s) }

// CheckEndpointURL requires an absolute https URL without fragment, or
// http on a loopback host (OAuth 2.1 §1.5, RFC 8252 §8.3); empty is
// allowed. Its error is a [ConfigError] naming field.
func CheckEndpointURL(field, raw string) error { return checkEndpointURL(field, raw) }

// ShownURL is rawURL as the library shows it in errors and status: without
// its userinfo and query (which may carry credentials).
func ShownURL(rawURL string) string { return shownURL(rawURL) }
