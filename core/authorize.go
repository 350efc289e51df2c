package core

import (
	"net/http"
	"net/url"
)

// RequestHeaders returns the headers a request of method to rawURL carries
// with token, exactly as [Transport] sends them: the configured
// `mcp_headers`, and for a token "Authorization: Bearer" (RFC 6750 §2.1),
// or for the manager's DPoP-bound token "Authorization: DPoP" with a fresh
// proof of its key for method, rawURL and token, carrying the server's
// latest nonce (RFC 9449 §7.1, §9). token "" adds no Authorization.
//
// An HTTP client's own auth hook (httpx, fetch, …) calls it for every send
// of a request; [TokenManager.NoteDPoPNonce] takes the answer's nonce.
func (m *TokenManager) RequestHeaders(method, rawURL, token string) (http.Header, error) {
	u, err := url.Parse(rawURL)
	if err != nil || !u.IsAbs() || u.Host == "" {
		return nil, &ArgumentError{Reason: "url must be an absolute URL"}
	}
	if method == "" || !validHeaderName(method) {
		return nil, &ArgumentError{Reason: "method must be an HTTP method"}
	}
	r := &http.Request{Method: method, URL: u, Header: http.Header{}}
	setMCPHeaders(r, m.cfg.MCPHeaders)
	if token != "" {
		if err := m.authorizeRequest(r, m.snapshotFor(token)); err != nil {
			return nil, err
		}
	}
	return r.Header, nil
}

// NoteDPoPNonce takes a resource server's answer to a request sent to
// rawURL with token: it records the answer's DPoP-Nonce header value for
// that server (RFC 9449 §9) and reports whether to send the same request
// once more with the same token — a 401 whose DPoP challenge says
// use_dpop_nonce, with a nonce not used before. Only DPoP-bound tokens use
// nonces: for any other token it records nothing and reports false. A
// request is sent again for a nonce at most once; the answer to that send
// goes to [TokenManager.Respond] as usual.
func (m *TokenManager) NoteDPoPNonce(rawURL, token string, status int, wwwAuthenticate []string, nonce string) bool {
	if token == "" || m.snapshotFor(token).TokenType != TokenTypeDPoP {
		return false
	}
	k := m.dpop.Load()
	if k == nil {
		return false
	}
	fresh := k.rememberNonce(rawURL, nonce)
	if !fresh || status != http.StatusUnauthorized {
		return false
	}
	for _, c := range ParseWWWAuthenticate(wwwAuthenticate) {
		if c.Is(TokenTypeDPoP) && c.ErrorCode() == errUseDPoPNonce {
			return true
		}
	}
	return false
}
