package core

import "errors"

// maxStepUps bounds the tries to satisfy the resource server without an
// intervening success (MCP "Scope Challenge Handling": clients must limit
// retries): at most 3 step-ups, and at most 3 user authorizations in all —
// the one that obtained the rejected token included.
const maxStepUps = 3

// ErrStepUpLimit: the resource server kept answering insufficient_scope.
var ErrStepUpLimit = errors.New("mcp-oauth: the resource server still answers insufficient_scope after 3 authorization attempts")

// SetChallenge records the resource server's Bearer challenge (RFC 6750 §3,
// RFC 9728 §5.1): discovery uses its resource_metadata and its scope.
func (m *TokenManager) SetChallenge(ch Challenge) {
	m.mu.Lock()
	m.challenge = ch
	m.mu.Unlock()
}

// NeedsChallenge reports whether a request should first go out without a
// token to learn the resource server's challenge: in discovery mode, before
// anything was discovered or cached.
func (m *TokenManager) NeedsChallenge() bool {
	return m.cfg.Discovering() && m.params.Load() == nil && m.cur.Load() == nil
}

// StepUp answers a 403 with error="insufficient_scope" (RFC 6750 §3.1, MCP
// step-up): the requested scopes become the union of the current ones and
// the challenge's, and the token and refresh token are dropped (a refresh
// cannot widen a grant, RFC 6749 §6). The next token request asks for the
// wider scope; with the authorization code grant that means a new
// authorization ([ErrAuthorizationRequired]). Once maxStepUps step-ups, or
// maxStepUps completed authorizations, happened without
// [TokenManager.StepUpSucceeded] it returns [ErrStepUpLimit] instead: a
// further authorization would be the user's fourth attempt.
func (m *TokenManager) StepUp(ch Challenge) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.stepUps >= maxStepUps || m.authorizations >= maxStepUps {
		return ErrStepUpLimit
	}
	m.stepUps++
	m.challenge = ch
	if p := m.params.Load(); p != nil {
		np := *p
		np.scopes = UnionScopes(p.scopes, ch.Scopes())
		ac := *p.authCode
		ac.Scopes = np.scopes
		np.authCode = &ac
		m.params.Store(&np)
	}
	// Neither the narrow token nor its refresh token may come back from the
	// token store.
	if s := m.cur.Load(); s != nil {
		m.rejected = s.AccessToken
	}
	if m.refreshToken != "" {
		m.droppedRefresh = m.refreshToken
	}
	m.refreshToken = ""
	m.publishLocked(nil)
	return nil
}

// StepUpSucceeded resets the step-up and authorization counts after a
// request succeeded.
func (m *TokenManager) StepUpSucceeded() {
	m.mu.Lock()
	m.stepUps = 0
	m.authorizations = 0
	m.mu.Unlock()
}

// countAuthorization records a completed user authorization (see StepUp).
func (m *TokenManager) countAuthorization() {
	m.mu.Lock()
	m.authorizations++
	m.mu.Unlock()
}
