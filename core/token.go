package core

import (
	"time"

	"golang.org/x/oauth2"
)

// Token is an access token as issued by a token endpoint (RFC 6749 §5.1).
type Token struct {
	AccessToken  string
	TokenType    string // "Bearer", or "DPoP" for a DPoP-bound token (RFC 9449)
	RefreshToken string
	// Expiry is when the server said the token expires; zero when the
	// response had no expires_in.
	Expiry time.Time
	Scope  string
}

// Snapshot is a cached token as handed to callers: the token without its
// refresh token, with the manager's schedule for it.
type Snapshot struct {
	AccessToken string
	TokenType   string
	Expiry      time.Time // zero when the server gave no lifetime
	Scope       string
	// ValidUntil is when the manager stops handing the token out.
	ValidUntil time.Time
	// RefreshAt is when a background refresh starts.
	RefreshAt time.Time
	// Generation is the manager's token generation when it was cached.
	Generation uint32
}

// OAuth2 converts the snapshot to an x/oauth2 token, for use with
// golang.org/x/oauth2's Transport and clients. A DPoP-bound token (TokenType
// "DPoP") needs a proof with every request, which x/oauth2 cannot make: use
// [Transport] for those.
func (s Snapshot) OAuth2() *oauth2.Token {
	return &oauth2.Token{AccessToken: s.AccessToken, TokenType: s.TokenType, Expiry: s.ValidUntil}
}

// assumedLifetime is used for a token whose response had no expires_in
// (RFC 6749 §5.1 leaves the lifetime to documentation): it is refreshed as if
// it lived this long, and replaced early if a resource server rejects it.
const assumedLifetime = time.Hour

// schedule decides when a token received at now, with the given lifetime
// (0 = unknown), enters its refresh window and when it is no longer handed out.
//
// The window is the last 10% of the lifetime or margin, whichever is longer,
// but at most half the lifetime, so that very short-lived tokens are still
// used. A skew of 5% of the lifetime (at most 5 s) is kept before expiry so a
// token handed out is not already expired when it reaches a resource server.
func schedule(now time.Time, lifetime, margin time.Duration) (refreshAt, validUntil time.Time) {
	if lifetime <= 0 {
		lifetime = assumedLifetime
	}
	window := max(lifetime/10, margin)
	window = min(window, lifetime/2)
	skew := min(lifetime/20, 5*time.Second)
	return now.Add(lifetime - window), now.Add(lifetime - skew)
}
