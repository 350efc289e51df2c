package core

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
)

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
//
// The challenged scopes are remembered in the token store, if one is
// configured, so that a later run asks for them too (see
// [StoredCredentials.AddedScope]). A challenge only for scopes the latest
// token response left out though they were requested is a
// [*ScopeNotGrantedError] at once: asking the user again would get the
// same answer.
func (m *TokenManager) StepUp(ch Challenge) error {
	m.mu.Lock()
	if missing := intersectScopes(ch.Scopes(), m.notGranted); len(missing) > 0 {
		m.mu.Unlock()
		return &ScopeNotGrantedError{Missing: missing}
	}
	if m.stepUps >= maxStepUps || m.authorizations >= maxStepUps {
		logEvent(m.ctx, slog.LevelWarn, EventStepUpLimit, "step-up limit reached", "scopes", ch.Scopes())
		m.mu.Unlock()
		return ErrStepUpLimit
	}
	logEvent(m.ctx, slog.LevelInfo, EventStepUp, "the server asks for more scope (step-up)", "scopes", ch.Scopes())
	m.stepUps++
	m.challenge = ch
	m.stepUpScopes = ch.Scopes()
	m.stepUpMissing = nil
	if s := m.cur.Load(); s != nil && s.Scope != "" {
		m.stepUpMissing = missingScopes(m.stepUpScopes, s.Scope)
	}
	p := m.widenScopesLocked(ch.Scopes())
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
	m.mu.Unlock()
	if p != nil {
		m.rememberScopes(m.ctx, p, ch.Scopes())
	}
	return nil
}

// widenScopesLocked installs parameters whose scopes are the current ones
// and scopes, and returns them (nil before discovery). m.mu must be held.
func (m *TokenManager) widenScopesLocked(scopes []string) *authParams {
	p := m.params.Load()
	if p == nil {
		return nil
	}
	np := *p
	np.scopes = UnionScopes(p.scopes, scopes)
	ac := *p.authCode
	ac.Scopes = np.scopes
	np.authCode = &ac
	m.params.Store(&np)
	return &np
}

// AddScopes widens the scopes the next authorization asks for by scopes,
// as a step-up would but without dropping the current token (what
// `gh auth refresh --scopes` does), and remembers them in the token store
// for later runs ([StoredCredentials.AddedScope]). In discovery mode it
// discovers first. Each scope must be a scope token (RFC 6749 §3.3).
func (m *TokenManager) AddScopes(ctx context.Context, scopes []string) error {
	for _, s := range scopes {
		if !validScopeToken(s) {
			return &ArgumentError{Reason: fmt.Sprintf("%q is not a scope token (RFC 6749 §3.3)", s)}
		}
	}
	if _, err := m.authParams(ctx); err != nil {
		return err
	}
	m.mu.Lock()
	p := m.widenScopesLocked(scopes)
	m.mu.Unlock()
	m.rememberScopes(ctx, p, scopes)
	return nil
}

// Scopes returns the scopes the manager asks for: configured or discovered,
// with those of step-ups and [TokenManager.AddScopes]; nil before
// discovery.
func (m *TokenManager) Scopes() []string {
	if p := m.params.Load(); p != nil {
		return slices.Clone(p.scopes)
	}
	return nil
}

// NotGrantedScopes returns the scopes the latest token response left out
// though they were requested (RFC 6749 §5.1), as known to this manager or,
// once discovered, from the token store.
func (m *TokenManager) NotGrantedScopes() []string {
	m.mu.Lock()
	defer m.mu.Unlock()
	return slices.Clone(m.notGranted)
}

// noteGranted records which requested scopes a new token lacks: none when
// the response omits scope (as requested, RFC 6749 §5.1).
func (m *TokenManager) noteGranted(tok *Token) {
	var missing []string
	if p := m.params.Load(); p != nil && tok.Scope != "" {
		missing = missingScopes(p.scopes, tok.Scope)
	}
	m.mu.Lock()
	m.notGranted = missing
	if missing == nil {
		m.notGranted = []string{} // known: everything was granted
	}
	m.mu.Unlock()
}

// intersectScopes returns the scopes of a that are in b, in a's order.
func intersectScopes(a, b []string) []string {
	var out []string
	for _, s := range a {
		if slices.Contains(b, s) {
			out = append(out, s)
		}
	}
	return out
}

// StepUpSucceeded resets the step-up and authorization counts after a
// request succeeded.
func (m *TokenManager) StepUpSucceeded() {
	m.mu.Lock()
	m.stepUps = 0
	m.authorizations = 0
	m.stepUpScopes, m.stepUpMissing = nil, nil
	m.mu.Unlock()
}

// countAuthorization records a completed user authorization (see StepUp).
func (m *TokenManager) countAuthorization() {
	m.mu.Lock()
	m.authorizations++
	m.mu.Unlock()
}

// StepUpRequiredError is [ErrAuthorizationRequired] after a 403
// insufficient_scope: a user must authorize again to grant Scopes, the
// scopes the MCP server challenged with (a step-up, not a first login).
// Missing are those of them the refused token had not been granted, when
// its scope was known (RFC 6749 §5.1); the message names them first.
type StepUpRequiredError struct {
	Scopes  []string
	Missing []string
}

func (e *StepUpRequiredError) Error() string {
	if len(e.Missing) > 0 {
		return fmt.Sprintf("mcp-oauth: the MCP server requires scope %q, which the token was not granted: authorize again to grant it (step-up to %q)",
			strings.Join(e.Missing, " "), strings.Join(e.Scopes, " "))
	}
	return fmt.Sprintf("mcp-oauth: the MCP server requires scope %q: authorize again to grant it (step-up)", strings.Join(e.Scopes, " "))
}

// missingScopes returns the scopes of wanted that granted (a scope
// parameter, RFC 6749 §3.3) lacks.
func missingScopes(wanted []string, granted string) []string {
	have := strings.Fields(granted)
	var missing []string
	for _, s := range wanted {
		if !slices.Contains(have, s) {
			missing = append(missing, s)
		}
	}
	return missing
}

// Is makes a StepUpRequiredError match [ErrAuthorizationRequired].
func (e *StepUpRequiredError) Is(target error) bool { return target == ErrAuthorizationRequired }

// ScopeNotGrantedError: the token response of a step-up shows (RFC 6749
// §5.1 scope) that the authorization server did not grant the scopes the MCP
// server challenged with; authorizing again would not help. It matches
// [ErrStepUpLimit].
type ScopeNotGrantedError struct {
	Missing []string
}

func (e *ScopeNotGrantedError) Error() string {
	return fmt.Sprintf("mcp-oauth: the authorization server did not grant scope %q, which the MCP server requires", strings.Join(e.Missing, " "))
}

// Is makes a ScopeNotGrantedError match [ErrStepUpLimit].
func (e *ScopeNotGrantedError) Is(target error) bool { return target == ErrStepUpLimit }

// authorizationRequired is the error of a token request that needs a user:
// a [*StepUpRequiredError] naming the challenged scopes during a step-up,
// else [ErrAuthorizationRequired].
func (m *TokenManager) authorizationRequired() error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if len(m.stepUpScopes) > 0 {
		return &StepUpRequiredError{Scopes: slices.Clone(m.stepUpScopes), Missing: slices.Clone(m.stepUpMissing)}
	}
	if m.servers != nil && m.servers.owner != m { // servers.go
		return &OtherServerAuthorizationError{Server: m.cfg.ServerURL}
	}
	return ErrAuthorizationRequired
}

// checkStepUpGranted ends a step-up with a token: when the token response
// named its scope and the challenged scopes are not all in it, a
// [*ScopeNotGrantedError]; otherwise the step-up's scopes are obtained.
func (m *TokenManager) checkStepUpGranted(tok *Token) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if len(m.stepUpScopes) == 0 || tok.Scope == "" { // omitted: as requested (RFC 6749 §5.1)
		m.stepUpScopes, m.stepUpMissing = nil, nil
		return nil
	}
	missing := missingScopes(m.stepUpScopes, tok.Scope)
	m.stepUpScopes, m.stepUpMissing = nil, nil
	if len(missing) > 0 {
		return &ScopeNotGrantedError{Missing: missing}
	}
	return nil
}
