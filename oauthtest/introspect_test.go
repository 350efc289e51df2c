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
