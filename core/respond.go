package core

import (
	"context"
	"errors"
	"net/http"
)

// Response is what a client saw of a protected resource's answer: enough
// for [TokenManager.Respond] to decide the next step.
type Response struct {
	// Status is the HTTP status code.
	Status int
	// WWWAuthenticate holds the WWW-Authenticate header values (RFC 9110
	// §11.6.1); several values may also come joined by ", ".
	WWWAuthenticate []string
	// Token is the access token the request carried, "" when it went out
	// without one (see [TokenManager.NeedsChallenge]).
	Token string
	// Previous is the status of the response that made the client send
	// this request again with a new token (401 or 403), 0 for the first
	// request with a token, or the one after a tokenless probe.
	Previous int
}

// Respond decides what a client does with a protected resource's answer
// to a request (RFC 6750 §3.1, MCP "Authorization" and "Scope Challenge
// Handling"). It returns the access token to send the same request again
// with, or "" when the response is final and goes to the caller:
//
//   - 401: the challenge is recorded (its resource_metadata and scope steer
//     discovery), the token is invalidated, and a new token is obtained; the
//     request is sent again only if that token differs from the rejected
//     one. A 401 to a request sent again after a 401 is a
//     [TokenRejectedError]: the server does not take this client's tokens.
//   - 403 with error="insufficient_scope": the scope is widened
//     ([TokenManager.StepUp]) and the request sent again with the new token;
//     [ErrStepUpLimit] after too many step-ups without a success.
//   - any status below 400 to a request with a token (a retry included)
//     ends a series of step-ups ([TokenManager.StepUpSucceeded]).
//
// A request is therefore sent at most three times: a tokenless probe, with
// a token, and once more with a new token. A token that needs a user
// yields [ErrAuthorizationRequired]. Respond blocks only while a token is
// obtained; ctx bounds that wait.
func (m *TokenManager) Respond(ctx context.Context, r Response) (string, error) {
	migrated := false
	switch {
	case r.Status < 400:
		if r.Token != "" {
			m.StepUpSucceeded()
		}
		return "", nil
	case r.Previous == http.StatusUnauthorized && r.Status == http.StatusUnauthorized:
		if r.Token == "" {
			return "", nil
		}
		m.observe(r.WWWAuthenticate)
		m.mu.Lock()
		previous := m.rejected // the token refused just before
		m.mu.Unlock()
		return "", rejectedBy(r.WWWAuthenticate, r.Token, previous)
	case r.Previous != 0:
		return "", nil // one retry per request
	case r.Status == http.StatusUnauthorized:
		m.observe(r.WWWAuthenticate)
		if r.Token == "" { // the probe taught the challenge: now a token
			snap, err := m.Token(ctx)
			return snap.AccessToken, err
		}
		m.Invalidate(r.Token)
		// From another authorization server if the MCP server moved to one
		// (migration.go).
		migrated = m.recheckAuthorizationServer(ctx, r.Token)
	case r.Status == http.StatusForbidden:
		ch, ok := resourceChallenge(r.WWWAuthenticate)
		if !ok || ch.ErrorCode() != "insufficient_scope" || r.Token == "" {
			return "", nil
		}
		// A token restored from the store before discovery: discover now,
		// so that the step-up widens the discovered scopes and drops the
		// stored refresh token too.
		if _, err := m.authParams(ctx); err != nil {
			return "", err
		}
		if err := m.StepUp(ch); err != nil {
			return "", err // ErrStepUpLimit
		}
	default:
		return "", nil
	}
	fresh, err := m.Token(ctx)
	if errors.Is(err, ErrAuthorizationRequired) || errors.Is(err, ErrStepUpLimit) || (migrated && err != nil) {
		return "", err // a user must authorize (again), the scope is not granted, or the new server cannot be used
	}
	if err != nil || fresh.AccessToken == r.Token {
		return "", nil
	}
	return fresh.AccessToken, nil
}

// observe records a response's challenge (Bearer, else DPoP), and the
// schemes it offers, with the manager.
func (m *TokenManager) observe(wwwAuthenticate []string) {
	m.noteOffers(ParseWWWAuthenticate(wwwAuthenticate))
	if ch, ok := resourceChallenge(wwwAuthenticate); ok {
		m.SetChallenge(ch)
	}
}
