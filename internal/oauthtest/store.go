package oauthtest

import (
	"crypto/rand"
	"slices"
	"strings"
	"time"
)

// codeLifetime bounds the lifetime of authorization codes (RFC 6749 §4.1.2
// recommends at most ten minutes).
const codeLifetime = 60 * time.Second

// grant is what an access or refresh token authorizes.
type grant struct {
	clientID  string
	scope     string
	resources []string // RFC 8707 resource indicators
	// code is the authorization code the grant was obtained with, "" for
	// client credentials; tokens are revoked when it is replayed.
	code string
	// jkt is the thumbprint of the DPoP key the token is bound to
	// (RFC 9449 §6), "" for a Bearer token.
	jkt string
}

// accessToken is an issued access token.
type accessToken struct {
	grant
	expires time.Time // zero: never
}

// authCode is an issued authorization code and the authorization request it
// is bound to (RFC 6749 §4.1.3, RFC 7636 §4.4).
type authCode struct {
	grant
	redirectURI string
	challenge   string // S256 code_challenge
	expires     time.Time
	used        bool // kept until expiry to detect replays
}

// tokenResponse is a successful token response (RFC 6749 §5.1).
type tokenResponse struct {
	AccessToken  string `json:"access_token"`
	TokenType    string `json:"token_type"`
	ExpiresIn    *int64 `json:"expires_in,omitempty"`
	RefreshToken string `json:"refresh_token,omitempty"`
	Scope        string `json:"scope,omitempty"`
}

// bindLocked binds the tokens of resp to the DPoP key with thumbprint jkt
// (RFC 9449 §5, §6): the access token becomes token_type DPoP, and the
// refresh token is bound too. s.mu must be held.
func (s *Server) bindLocked(resp *tokenResponse, jkt string) {
	resp.TokenType = "DPoP"
	if at, ok := s.access[resp.AccessToken]; ok {
		at.jkt = jkt
		s.access[resp.AccessToken] = at
	}
	if g, ok := s.refresh[resp.RefreshToken]; ok {
		g.jkt = jkt
		s.refresh[resp.RefreshToken] = g
	}
}

// newSecret returns an unguessable random string (128 bits) with a prefix
// telling its kind.
func newSecret(prefix string) string {
	return prefix + rand.Text()
}

// issueLocked issues an access token for g and, when refresh is non-nil, a
// refresh token for *refresh (RFC 6749 §5.1). s.mu must be held.
func (s *Server) issueLocked(g grant, refresh *grant) tokenResponse {
	if len(s.opts.WithheldScopes) > 0 {
		g.scope = strings.Join(slices.DeleteFunc(strings.Fields(g.scope), func(sc string) bool {
			return slices.Contains(s.opts.WithheldScopes, sc)
		}), " ")
	}
	resp := tokenResponse{AccessToken: newSecret("at_"), TokenType: "Bearer", Scope: g.scope}
	lifetime := s.tokenLifetime
	if lifetime == 0 {
		lifetime = defaultTokenLifetime
	}
	var expires time.Time
	if lifetime > 0 {
		expires = time.Now().Add(lifetime)
		seconds := int64(lifetime / time.Second)
		resp.ExpiresIn = &seconds
	}
	s.access[resp.AccessToken] = accessToken{grant: g, expires: expires}
	if refresh != nil {
		resp.RefreshToken = newSecret("rt_")
		s.refresh[resp.RefreshToken] = *refresh
	}
	return resp
}

// issueCodeLocked stores a new authorization code for c and forgets expired
// ones. s.mu must be held.
func (s *Server) issueCodeLocked(c authCode) string {
	now := time.Now()
	for code, old := range s.codes {
		if now.After(old.expires) {
			delete(s.codes, code)
		}
	}
	code := newSecret("ac_")
	c.code = code
	c.expires = now.Add(codeLifetime)
	s.codes[code] = &c
	return code
}

// revokeCodeTokensLocked revokes every token obtained with an authorization
// code, as RFC 6749 §4.1.2 recommends when the code is used twice. s.mu must
// be held.
func (s *Server) revokeCodeTokensLocked(code string) {
	for t, at := range s.access {
		if at.code == code {
			delete(s.access, t)
		}
	}
	for t, g := range s.refresh {
		if g.code == code {
			delete(s.refresh, t)
		}
	}
}
