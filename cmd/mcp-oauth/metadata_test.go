package main

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/mcp-oauth-client/mcp-oauth-client/internal/mcptest"
	"github.com/mcp-oauth-client/mcp-oauth-client/internal/oauthtest"
)

// TestRepeatedCommandsMakeNoMetadataRequests: the metadata a login fetched
// is kept in the store (core's metadata cache), so that later commands —
// another login, a refresh that needs the token endpoint — fetch none while
// HTTP caching allows; a server that says no-store is asked every time.
func TestRepeatedCommandsMakeNoMetadataRequests(t *testing.T) {
	metadata := func(s *mcptest.Server) [2]int { return [2]int{s.Counts().Metadata, s.AS().Counts().Metadata} }

	s := startServer(t, mcptest.Options{})
	s.AS().SetTokenLifetime(time.Minute)
	e := newEnv(t)
	server := s.StreamableURL()
	e.login(server)
	assert.Equal(t, [2]int{1, 1}, metadata(s), "login fetched each document once")
	tokens := s.AS().Counts().Token

	e.mustRun("tools", server)
	e.mustRun("call", server, "echo", `{"text":"x"}`)
	ageStoredTokens(t, e.store, 40*time.Second) // due: the refresh needs the token endpoint
	e.mustRun("token", server)
	assert.Equal(t, tokens+1, s.AS().Counts().Token, "refreshed")
	e.login(server)
	assert.Equal(t, [2]int{1, 1}, metadata(s), "no metadata request after the first")

	noStore := startServer(t, mcptest.Options{PRMCacheControl: "no-store", AS: oauthtest.Options{MetadataCacheControl: "no-store"}})
	e = newEnv(t)
	e.login(noStore.StreamableURL())
	e.login(noStore.StreamableURL())
	assert.Equal(t, [2]int{2, 2}, metadata(noStore), "no-store: fetched by every login")
}
