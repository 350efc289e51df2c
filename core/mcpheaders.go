package core

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
)

// Custom HTTP headers on MCP requests (config member mcp_headers): lines
// "Name: value", as libcurl's CURLOPT_HTTPHEADER takes them — an API key, a
// tenant or routing header a gateway in front of the MCP server wants. They
// are sent on every request of a [Transport] to the MCP server's origin
// only (like the token: they may be credentials), never to the
// authorization server. Headers that carry the authorization, that the MCP
// transport manages or that HTTP itself frames the message with cannot be
// set: the configuration is refused.

// reservedMCPHeaders are the names mcp_headers may not set (canonical form).
var reservedMCPHeaders = map[string]bool{
	"Authorization": true, "Proxy-Authorization": true, "Dpop": true, "Cookie": true,
	"Host": true, "Content-Length": true, "Content-Type": true, "Transfer-Encoding": true,
	"Connection": true, "Upgrade": true, "Te": true, "Trailer": true, "Keep-Alive": true, "Accept": true,
	"Mcp-Session-Id": true, "Mcp-Protocol-Version": true, "Mcp-Method": true, "Mcp-Name": true,
	"Last-Event-Id": true,
}

// parseMCPHeader splits one mcp_headers line into its canonical name and
// its value, or reports why it cannot be sent. Its errors quote a header
// name only when it is a valid one, never a value: values may be
// credentials.
func parseMCPHeader(line string) (name, value string, err error) {
	n, v, ok := strings.Cut(line, ":")
	name, value = http.CanonicalHeaderKey(strings.TrimSpace(n)), strings.TrimSpace(v)
	switch {
	case !ok || !validHeaderName(name):
		return "", "", errors.New(`an entry is not "Name: value" with an HTTP header name (RFC 9110 §5.1)`)
	case !validHeaderValue(value):
		return "", "", fmt.Errorf("the value of %s has characters a header cannot carry (RFC 9110 §5.5)", name)
	case reservedMCPHeaders[name] || strings.HasPrefix(name, "Mcp-Param-"):
		return "", "", fmt.Errorf("%s is set by the library and cannot be configured", name)
	}
	return name, value, nil
}

// checkMCPHeaders validates the mcp_headers member.
func (c *Config) checkMCPHeaders() error {
	for _, line := range c.MCPHeaders {
		if _, _, err := parseMCPHeader(line); err != nil {
			return &ConfigError{Field: "mcp_headers", Reason: err.Error()}
		}
	}
	return nil
}

// setMCPHeaders adds the configured headers to a request to the MCP server
// (validated by checkMCPHeaders when the configuration was).
func setMCPHeaders(r *http.Request, lines []string) {
	for _, line := range lines {
		if name, value, err := parseMCPHeader(line); err == nil {
			r.Header.Add(name, value)
		}
	}
}

// validHeaderName reports whether s is a token (RFC 9110 §5.1, §5.6.2).
func validHeaderName(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0) {
			return false
		}
	}
	return true
}

// validHeaderValue reports whether s holds no control character but
// horizontal tab (RFC 9110 §5.5): no CR or LF can split the header.
func validHeaderValue(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 && c != '\t' || c == 0x7f {
			return false
		}
	}
	return true
}
