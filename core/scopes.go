package core

import "slices"

// ScopeOfflineAccess asks for a refresh token from servers that issue them
// only on request (OpenID Connect Core §11).
const ScopeOfflineAccess = "offline_access"

// SelectScopes chooses the scopes of an authorization request, following
// the MCP authorization "Scope Selection Strategy": the challenge's scope
// (authoritative for the current request) if it has one, else every scope in
// the protected resource metadata's scopes_supported, else none — nil means
// the scope parameter is omitted.
//
// With wantOffline, offline_access is added only when the authorization
// server lists it in scopes_supported, and only to a non-empty selection:
// requesting offline_access alone would replace the server's default scope.
// The result has no duplicates and only valid scope tokens.
func SelectScopes(challenge Challenge, prm *ProtectedResourceMetadata, asm *AuthServerMetadata, wantOffline bool) []string {
	scopes := challenge.Scopes()
	if len(scopes) == 0 && prm != nil {
		scopes = UnionScopes(prm.ScopesSupported, nil)
	}
	if len(scopes) == 0 {
		return nil
	}
	if wantOffline && asm != nil && slices.Contains(asm.ScopesSupported, ScopeOfflineAccess) {
		scopes = UnionScopes(scopes, []string{ScopeOfflineAccess})
	}
	return scopes
}

// UnionScopes returns the scopes of a followed by those of b not already
// present, in order and without duplicates — the scope set of a step-up
// re-authorization (previously granted plus challenged scopes). Values that
// are not scope tokens (RFC 6749 §3.3) are dropped. Neither input is
// modified; the result is nil when empty.
func UnionScopes(a, b []string) []string {
	var out []string
	seen := make(map[string]bool, len(a)+len(b))
	for _, list := range [][]string{a, b} {
		for _, s := range list {
			if !seen[s] && validScopeToken(s) {
				seen[s] = true
				out = append(out, s)
			}
		}
	}
	return out
}
