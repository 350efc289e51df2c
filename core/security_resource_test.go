package core

// Rule: the resource requested is never wider than the MCP server (issue 12
// item 7). A server at /tenants/evil/mcp whose protected resource metadata
// says resource https://host must not get the client a host-wide token:
// metadata from the path-inserted well-known URL must name the server
// itself (RFC 9728 §3.3), and where a less specific resource is accepted
// (the root well-known document or the challenge's resource_metadata, which
// MCP 2025-11-25 "Canonical Server URI" allows) the client still asks for
// the server's own canonical URI.

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mcp-oauth-client/mcp-oauth-client/internal/oauthtest"
)

func TestSecurityResourceNeverWiderThanTheServer(t *testing.T) {
	const path = "/tenants/evil/mcp"
	const inserted = "/.well-known/oauth-protected-resource" + path
	const root = "/.well-known/oauth-protected-resource"
	for _, tc := range []struct {
		name string
		// serve publishes metadata on the MCP server's host (base: its
		// origin, as: the authorization server); challenge is the
		// resource_metadata of its 401, if any.
		serve     func(s *docServer, base, as string)
		challenge string
		// want is the resource the token request carries ("" → none:
		// refused with a ResourceMismatchError).
		want func(base string) string
	}{
		{"path-inserted metadata naming the whole host is refused",
			func(s *docServer, base, as string) { s.json(inserted, prmDoc(base, as)) }, "",
			func(string) string { return "" }},
		{"path-inserted metadata naming a parent path is refused",
			func(s *docServer, base, as string) { s.json(inserted, prmDoc(base+"/tenants", as)) }, "",
			func(string) string { return "" }},
		// The origin's root document is the host's own statement of its
		// resource identifier: sent exactly as published (RFC 9728 §3.3, MCP
		// "Canonical Server URI"; conformance auth/metadata-var2).
		{"path-inserted host-wide metadata refused, the host's root document used as published",
			func(s *docServer, base, as string) {
				s.json(inserted, prmDoc(base, as))
				s.json(root, prmDoc(base, as))
			}, "",
			func(base string) string { return base }},
		{"root metadata naming the host: the host's identifier requested as published",
			func(s *docServer, base, as string) { s.json(root, prmDoc(base, as)) }, "",
			func(base string) string { return base }},
		{"the challenge names the root document: as published",
			func(s *docServer, base, as string) { s.json(root, prmDoc(base, as)) }, root,
			func(base string) string { return base }},
		// A document the server's challenge names can sit under the server's
		// own path on a shared host: it never widens the resource.
		{"challenge's metadata naming the host: the server's URI requested",
			func(s *docServer, base, as string) { s.json("/meta", prmDoc(base, as)) }, "/meta",
			func(base string) string { return base + path }},
		{"challenge's metadata under the server's path naming the host: the server's URI requested",
			func(s *docServer, base, as string) { s.json("/tenants/evil/prm", prmDoc(base, as)) }, "/tenants/evil/prm",
			func(base string) string { return base + path }},
		{"path-inserted metadata naming the server (control)",
			func(s *docServer, base, as string) { s.json(inserted, prmDoc(base+path, as)) }, "",
			func(base string) string { return base + path }},
		{"path-inserted metadata naming the server with another case and a trailing slash",
			func(s *docServer, base, as string) {
				s.json(inserted, prmDoc("HTTP://"+base[len("http://"):]+path+"/", as))
			}, "",
			func(base string) string { return "HTTP://" + base[len("http://"):] + path + "/" }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			as := asServer(t, oauthtest.Options{})
			s := newDocServer(t)
			tc.serve(s, s.URL, as.URL)
			m := newManager(t, &Config{ServerURL: s.URL + path, ClientID: oauthtest.DefaultClientID,
				ClientSecret: oauthtest.DefaultClientSecret, Issuer: as.URL})
			if tc.challenge != "" {
				ch, ok := BearerChallenge(ParseWWWAuthenticate([]string{`Bearer resource_metadata="` + s.URL + tc.challenge + `"`}))
				require.True(t, ok)
				m.SetChallenge(ch)
			}
			_, err := m.Token(context.Background())
			want := tc.want(s.URL)
			if want == "" {
				var rm *ResourceMismatchError
				require.ErrorAs(t, err, &rm)
				assert.Zero(t, as.Counts().Token, "no token was requested")
				return
			}
			require.NoError(t, err)
			reqs := as.TokenRequests()
			require.Len(t, reqs, 1)
			assert.Equal(t, want, reqs[0].Form.Get("resource"))
		})
	}
}

// TestResourceIdentifiesServer: the identity RFC 9728 §3.3 asks of metadata
// fetched from the path-inserted well-known URL, up to the canonical form
// (RFC 3986 §6.2.2, §6.2.3; MCP accepts upper-case scheme and host and
// prefers no trailing slash).
func TestResourceIdentifiesServer(t *testing.T) {
	const server = "https://mcp.example.com/tenants/a/mcp"
	for _, tc := range []struct {
		resource string
		want     bool
	}{
		{server, true},
		{server + "/", true},
		{"HTTPS://MCP.EXAMPLE.COM:443/tenants/a/mcp", true},
		{"https://mcp.example.com/tenants/./a/%6Dcp", true},
		{"https://mcp.example.com", false},
		{"https://mcp.example.com/", false},
		{"https://mcp.example.com/tenants/a", false},
		{"https://mcp.example.com/tenants/a/mcp/more", false},
		{"https://mcp.example.com/tenants/a/mcp?x=1", false},
		{"https://other.example.com/tenants/a/mcp", false},
		{"https://mcp.example.com/tenants/a/mcp#f", false},
	} {
		assert.Equal(t, tc.want, resourceIdentifiesServer(tc.resource, server), tc.resource)
	}
	assert.True(t, resourceIdentifiesServer("https://h/mcp?k=1", "https://h/mcp?k=1"))
}
