package oauthtest

import (
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestIntrospect(t *testing.T) {
	s := StartT(t, Options{})
	tok := ccToken(t, s, url.Values{"scope": {"read write"}, "resource": {"https://mcp.example/mcp"}})["access_token"].(string)
	info, ok := s.Introspect(tok)
	require.True(t, ok)
	assert.True(t, info.Active)
	assert.Equal(t, DefaultClientID, info.ClientID)
	assert.Equal(t, DefaultClientID, info.Subject, "a client acts on its own behalf")
	assert.Equal(t, "read write", info.Scope)
	assert.Equal(t, []string{"read", "write"}, info.Scopes())
	assert.Equal(t, []string{"https://mcp.example/mcp"}, info.Resource)
	assert.WithinDuration(t, time.Now().Add(time.Hour), info.Expiry, time.Minute)

	s.SetTokenLifetime(time.Millisecond)
	short := ccToken(t, s, url.Values{})["access_token"].(string)
	time.Sleep(5 * time.Millisecond)
	info, ok = s.Introspect(short)
	assert.False(t, ok)
	assert.False(t, info.Active)
	assert.Equal(t, DefaultClientID, info.ClientID, "an expired token is still described")

	s.SetTokenLifetime(-1)
	forever := ccToken(t, s, url.Values{})["access_token"].(string)
	info, ok = s.Introspect(forever)
	assert.True(t, ok)
	assert.True(t, info.Expiry.IsZero())

	info, ok = s.Introspect("at_unknown")
	assert.False(t, ok)
	assert.Equal(t, TokenInfo{}, info)

	s.RevokeAccessTokens()
	_, ok = s.Introspect(tok)
	assert.False(t, ok)
}

func TestIntrospectAuthorizationCodeToken(t *testing.T) {
	s := StartT(t, Options{})
	status, body, _ := postToken(t, s, tokenCall{form: exchangeForm(authorizationCode(t, s, authorizeQuery()))})
	require.Equal(t, 200, status, body)
	info, ok := s.Introspect(body["access_token"].(string))
	require.True(t, ok)
	assert.Equal(t, DefaultPublicClientID, info.ClientID)
	assert.Equal(t, Subject, info.Subject)
}
