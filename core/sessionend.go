package core

import "net/http"

// headerSessionID carries an MCP session's id (MCP 2025-03-26 "Streamable
// HTTP", Session Management).
const headerSessionID = "Mcp-Session-Id"

// endsSession reports whether req ends an MCP session: a DELETE with the
// session's Mcp-Session-Id (MCP "Session Management": a client that no
// longer needs a session should end it so).
func endsSession(req *http.Request) bool {
	return req.Method == http.MethodDelete && req.Header.Get(headerSessionID) != ""
}

// endSession sends the DELETE that ends an MCP session with what the
// manager holds now, and never obtains a token for it (issue 16: closing a
// client whose token expired fetched a new one just to say goodbye). It
// goes out with the cached token while that is valid, without one while the
// server never asked for one, and otherwise not at all: a 204 No Content
// then stands in for the server's answer, and the server ends the session
// when it expires. Its answer is final, a 401 included: nothing is retried.
func (t *Transport) endSession(req *http.Request) (*http.Response, error) {
	token, ok := t.manager.heldToken()
	if !ok {
		return &http.Response{
			Status: "204 No Content", StatusCode: http.StatusNoContent,
			Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
			Header: http.Header{}, Body: http.NoBody, Request: req,
		}, nil
	}
	return t.send(req, token)
}

// heldToken returns the token to send without obtaining one: "" while the
// server has not asked for any ([TokenManager.NeedsChallenge]), else the
// cached token while it is valid; ok is false when neither applies.
func (m *TokenManager) heldToken() (token string, ok bool) {
	if m.NeedsChallenge() {
		return "", true
	}
	if s := m.cur.Load(); s != nil && m.now().Before(s.ValidUntil) {
		return s.AccessToken, true
	}
	return "", false
}
