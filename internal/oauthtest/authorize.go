package oauthtest

import (
	"net/http"
	"net/url"
	"strings"
)

// handleAuthorize serves the authorization endpoint (RFC 6749 §4.1.1) and
// approves every valid request at once, unless DenyAuthorization is in
// effect. PKCE with S256 is required of every client (RFC 7636 §4.3,
// OAuth 2.1).
//
// A missing, unknown or repeated client_id, a Client ID Metadata Document
// that cannot be fetched or is invalid, or an unacceptable redirect_uri is
// answered with a 400 page, never a redirect (RFC 6749 §4.1.2.1). Other
// errors, denials and approvals redirect to redirect_uri with state and the
// iss parameter (RFC 9207 §2).
func (s *Server) handleAuthorize(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.counts.Authorize++
	deny := s.denyError
	s.mu.Unlock()

	q, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		http.Error(w, "invalid_request: malformed query", http.StatusBadRequest)
		return
	}
	if len(q["client_id"]) > 1 || len(q["redirect_uri"]) > 1 {
		http.Error(w, "invalid_request: client_id or redirect_uri included more than once", http.StatusBadRequest)
		return
	}
	client, err := s.lookupClient(r.Context(), firstValue(q, "client_id"))
	if err != nil {
		http.Error(w, "invalid_request: missing or unknown client_id: "+err.Error(), http.StatusBadRequest)
		return
	}
	redirectURI := firstValue(q, "redirect_uri")
	if !client.redirectAllowed(redirectURI) {
		http.Error(w, "invalid_request: missing or unregistered redirect_uri", http.StatusBadRequest)
		return
	}

	state := firstValue(q, "state")
	code, authErr := s.authorize(client, redirectURI, q, deny)
	params := url.Values{"iss": {s.Issuer()}}
	if state != "" {
		params.Set("state", state)
	}
	if authErr != nil {
		params.Set("error", authErr.code)
		params.Set("error_description", authErr.description)
	} else {
		params.Set("code", code)
	}
	redirect(w, redirectURI, params)
}

// authorize validates an authorization request from client and, unless deny
// is set, returns a new authorization code bound to it (RFC 6749 §4.1.2).
// The code grants exactly the requested scope, which must be among
// Options.ScopesSupported when that is set.
func (s *Server) authorize(client Client, redirectURI string, q url.Values, deny string) (string, *oauthError) {
	if p := repeatedParam(q, "resource"); p != "" {
		return "", invalidRequest("parameter " + p + " included more than once")
	}
	switch responseType := firstValue(q, "response_type"); responseType {
	case "code":
	case "":
		return "", invalidRequest("missing response_type")
	default:
		return "", badRequest("unsupported_response_type", "only response_type=code is supported")
	}
	challenge := firstValue(q, "code_challenge")
	switch {
	case challenge == "":
		return "", invalidRequest("code_challenge is required")
	case firstValue(q, "code_challenge_method") != pkceMethodS256:
		return "", invalidRequest("code_challenge_method must be S256")
	case !validS256Challenge(challenge):
		return "", invalidRequest("code_challenge is not a base64url-encoded SHA-256 hash")
	}
	scope, err := requestedScope(q)
	if err != nil {
		return "", err
	}
	if err := checkScopeSupported(scope, s.opts.ScopesSupported); err != nil {
		return "", err
	}
	resources, err := requestedResources(q)
	if err != nil {
		return "", err
	}
	if deny != "" {
		return "", badRequest(deny, "the authorization request was denied")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.issueCodeLocked(authCode{
		grant:       grant{clientID: client.ID, scope: scope, resources: resources},
		redirectURI: redirectURI,
		challenge:   challenge,
	}), nil
}

// redirect answers with a 302 to uri with params added to its query,
// keeping the query uri already has (RFC 6749 §3.1.2).
func redirect(w http.ResponseWriter, uri string, params url.Values) {
	sep := "?"
	switch {
	case strings.HasSuffix(uri, "?") || strings.HasSuffix(uri, "&"):
		sep = ""
	case strings.Contains(uri, "?"):
		sep = "&"
	}
	w.Header().Set("Location", uri+sep+params.Encode())
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusFound)
}
