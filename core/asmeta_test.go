package core

import (
	"context"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const (
	oauthRoot      = "/.well-known/oauth-authorization-server"
	oidcRoot       = "/.well-known/openid-configuration"
	oauthInserted  = "/.well-known/oauth-authorization-server/tenant1"
	oidcInserted   = "/.well-known/openid-configuration/tenant1"
	oidcAppended   = "/tenant1/.well-known/openid-configuration"
	issuerPathPart = "/tenant1"
)

func TestDiscoverAuthServerOrder(t *testing.T) {
	// doc serves metadata naming the issuer discovery asked for; foreign
	// serves metadata for a different issuer on the same host.
	doc := func(s *docServer, issuerPath string) http.HandlerFunc {
		return jsonAnswer(200, asmDoc(s.URL+issuerPath, s.URL))
	}
	foreign := func(s *docServer, _ string) http.HandlerFunc {
		return jsonAnswer(200, asmDoc(s.URL+"/other-tenant", s.URL))
	}
	type served map[string]func(*docServer, string) http.HandlerFunc
	tests := []struct {
		name       string
		issuerPath string
		served     served
		wantFrom   string
		wantHits   []string
		wantErr    func(t *testing.T, err error)
	}{
		{name: "root issuer: OAuth first", served: served{oauthRoot: doc, oidcRoot: doc},
			wantFrom: oauthRoot, wantHits: []string{oauthRoot}},
		{name: "root issuer: OIDC-only server", served: served{oidcRoot: doc},
			wantFrom: oidcRoot, wantHits: []string{oauthRoot, oidcRoot}},
		{name: "trailing slash issuer treated as root", issuerPath: "/", served: served{oauthRoot: doc},
			wantFrom: oauthRoot, wantHits: []string{oauthRoot}},
		{name: "path issuer: OAuth path insertion first", issuerPath: issuerPathPart,
			served:   served{oauthInserted: doc, oidcInserted: doc, oidcAppended: doc},
			wantFrom: oauthInserted, wantHits: []string{oauthInserted}},
		{name: "path issuer: OIDC path insertion second", issuerPath: issuerPathPart,
			served:   served{oidcInserted: doc, oidcAppended: doc},
			wantFrom: oidcInserted, wantHits: []string{oauthInserted, oidcInserted}},
		{name: "path issuer: OIDC path appending last (Keycloak style)", issuerPath: issuerPathPart,
			served:   served{oidcAppended: doc},
			wantFrom: oidcAppended, wantHits: []string{oauthInserted, oidcInserted, oidcAppended}},
		{name: "path issuer with trailing slash", issuerPath: issuerPathPart + "/",
			served:   served{oidcAppended: doc},
			wantFrom: oidcAppended, wantHits: []string{oauthInserted, oidcInserted, oidcAppended}},
		{name: "path issuer: root metadata for the wrong tenant is skipped", issuerPath: issuerPathPart,
			served:   served{oauthInserted: foreign, oidcAppended: doc},
			wantFrom: oidcAppended, wantHits: []string{oauthInserted, oidcInserted, oidcAppended}},
		{name: "4xx everywhere", issuerPath: issuerPathPart, served: served{},
			wantHits: []string{oauthInserted, oidcInserted, oidcAppended},
			wantErr:  func(t *testing.T, err error) { require.ErrorIs(t, err, ErrMetadataNotFound) }},
		{name: "foreign issuer", served: served{oauthRoot: foreign},
			wantHits: []string{oauthRoot, oidcRoot},
			wantErr: func(t *testing.T, err error) {
				var ie *MetadataIssuerMismatchError
				require.ErrorAs(t, err, &ie)
				assert.Contains(t, ie.Got, "/other-tenant")
				assert.Contains(t, ie.MetadataURL, oauthRoot)
			}},
		{name: "5xx stops", served: served{oauthRoot: func(*docServer, string) http.HandlerFunc { return statusAnswer(500) }, oidcRoot: doc},
			wantHits: []string{oauthRoot},
			wantErr: func(t *testing.T, err error) {
				var se *ServerError
				require.ErrorAs(t, err, &se)
			}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := newDocServer(t)
			for path, h := range tc.served {
				s.route(path, h(s, tc.issuerPath))
			}
			got, err := DiscoverAuthServer(context.Background(), s.client(2*time.Second), s.URL+tc.issuerPath)
			assert.Equal(t, tc.wantHits, s.requested())
			if tc.wantFrom == "" {
				require.Error(t, err)
				tc.wantErr(t, err)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, s.URL+tc.issuerPath, got.Issuer)
			assert.Equal(t, s.URL+tc.wantFrom, got.MetadataURL)
			assert.Equal(t, s.URL+"/token", got.TokenEndpoint)
			assert.NoError(t, got.RequirePKCES256())
		})
	}
}

func TestDiscoverAuthServerValidation(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(doc map[string]any)
		check  func(t *testing.T, m *AuthServerMetadata, err error)
	}{
		{"complete document", func(map[string]any) {}, func(t *testing.T, m *AuthServerMetadata, err error) {
			require.NoError(t, err)
			assert.Equal(t, []string{"client_secret_basic", "none"}, m.TokenEndpointAuthMethodsSupported)
			assert.Equal(t, []string{"openid", "offline_access"}, m.ScopesSupported)
			assert.False(t, m.Defaulted)
		}},
		{"lenient member shapes", func(d map[string]any) {
			d["scopes_supported"] = "a b  c"
			d["client_id_metadata_document_supported"] = "true"
			d["authorization_response_iss_parameter_supported"] = true
			d["code_challenge_methods_supported"] = "S256"
		}, func(t *testing.T, m *AuthServerMetadata, err error) {
			require.NoError(t, err)
			assert.Equal(t, []string{"a", "b", "c"}, m.ScopesSupported)
			assert.True(t, m.ClientIDMetadataDocumentSupported)
			assert.True(t, m.AuthorizationResponseIssParameterSupported)
			assert.NoError(t, m.RequirePKCES256())
		}},
		{"unknown members ignored", func(d map[string]any) { d["x_vendor"] = map[string]any{"a": 1} },
			func(t *testing.T, m *AuthServerMetadata, err error) { require.NoError(t, err) }},
		{"no token_endpoint", func(d map[string]any) { delete(d, "token_endpoint") }, metadataErrorSays("token_endpoint is missing")},
		{"plain-http token endpoint", func(d map[string]any) { d["token_endpoint"] = "http://as.example.com/token" }, metadataErrorSays("token_endpoint is unusable")},
		{"registration endpoint at cloud metadata", func(d map[string]any) { d["registration_endpoint"] = "https://169.254.169.254/register" },
			metadataErrorSays("registration_endpoint is unusable")},
		{"authorization endpoint with credentials", func(d map[string]any) { d["authorization_endpoint"] = "https://u:p@as.example.com/a" },
			metadataErrorSays("authorization_endpoint is unusable")},
		{"array member of the wrong type", func(d map[string]any) { d["grant_types_supported"] = []any{1, 2} }, metadataErrorSays("wrong type")},
		{"issuer missing", func(d map[string]any) { delete(d, "issuer") }, func(t *testing.T, _ *AuthServerMetadata, err error) {
			var ie *MetadataIssuerMismatchError
			require.ErrorAs(t, err, &ie)
			assert.Empty(t, ie.Got)
		}},
		{"issuer differs only by a trailing slash", func(d map[string]any) { d["issuer"] = d["issuer"].(string) + "/" },
			func(t *testing.T, _ *AuthServerMetadata, err error) {
				var ie *MetadataIssuerMismatchError
				require.ErrorAs(t, err, &ie, "identical means identical: no normalisation")
			}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := newDocServer(t)
			d := asmDoc(s.URL, s.URL)
			tc.mutate(d)
			s.json(oauthRoot, d)
			m, err := DiscoverAuthServer(context.Background(), s.client(2*time.Second), s.URL)
			tc.check(t, m, err)
		})
	}
}

func metadataErrorSays(text string) func(*testing.T, *AuthServerMetadata, error) {
	return func(t *testing.T, m *AuthServerMetadata, err error) {
		t.Helper()
		assert.Nil(t, m)
		var me *MetadataError
		require.ErrorAs(t, err, &me)
		assert.Contains(t, me.Reason, text)
	}
}

func TestDiscoverAuthServerHostile(t *testing.T) {
	tests := []struct {
		name    string
		handler http.HandlerFunc
		check   func(t *testing.T, err error)
	}{
		{"10 MB body", hugeAnswer(10<<20, false), bodyTooLarge},
		{"slow response vs 200 ms", slowAnswer(false), timedOut},
		{"malformed JSON then nothing", jsonAnswer(200, `{"issuer":`), func(t *testing.T, err error) { require.ErrorIs(t, err, ErrMetadataNotFound) }},
		{"redirect loop then nothing", redirectAnswer(308, oauthRoot), func(t *testing.T, err error) {
			require.ErrorIs(t, err, ErrMetadataNotFound)
			assert.Contains(t, err.Error(), "too many redirects")
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := newDocServer(t)
			s.route(oauthRoot, tc.handler)
			_, err := DiscoverAuthServer(context.Background(), s.client(200*time.Millisecond), s.URL)
			tc.check(t, err) // a timeout is told from the slow server's late answer by its kind

		})
	}
}

func TestDiscoverAuthServerRefusesBadIssuers(t *testing.T) {
	for _, issuer := range []string{
		"http://as.example.com", "https://as.example.com?tenant=1", "https://as.example.com#x",
		"https://169.254.169.254", "as.example.com", "",
	} {
		t.Run(issuer, func(t *testing.T) {
			_, err := DiscoverAuthServer(context.Background(), http.DefaultClient, issuer)
			var ue *DiscoveryURLError
			require.ErrorAs(t, err, &ue)
		})
	}
}

func TestASWellKnownURLs(t *testing.T) {
	tests := []struct {
		issuer string
		want   []string
	}{
		{"https://auth.example.com", []string{
			"https://auth.example.com/.well-known/oauth-authorization-server",
			"https://auth.example.com/.well-known/openid-configuration"}},
		{"https://auth.example.com/tenant1", []string{
			"https://auth.example.com/.well-known/oauth-authorization-server/tenant1",
			"https://auth.example.com/.well-known/openid-configuration/tenant1",
			"https://auth.example.com/tenant1/.well-known/openid-configuration"}},
		{"https://auth.example.com:8443/realms/a/", []string{
			"https://auth.example.com:8443/.well-known/oauth-authorization-server/realms/a",
			"https://auth.example.com:8443/.well-known/openid-configuration/realms/a",
			"https://auth.example.com:8443/realms/a/.well-known/openid-configuration"}},
	}
	for _, tc := range tests {
		t.Run(tc.issuer, func(t *testing.T) {
			u, err := url.Parse(tc.issuer)
			require.NoError(t, err)
			assert.Equal(t, tc.want, asWellKnownURLs(u))
		})
	}
}

func TestRequirePKCES256(t *testing.T) {
	tests := []struct {
		name    string
		m       AuthServerMetadata
		wantErr string
	}{
		{"S256 listed", AuthServerMetadata{CodeChallengeMethodsSupported: []string{"plain", "S256"}}, ""},
		{"absent", AuthServerMetadata{}, "absent"},
		{"plain only", AuthServerMetadata{CodeChallengeMethodsSupported: []string{"plain"}}, "does not include S256"},
		{"case matters", AuthServerMetadata{CodeChallengeMethodsSupported: []string{"s256"}}, "does not include S256"},
		{"2025-03-26 defaults", AuthServerMetadata{Defaulted: true}, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.m.RequirePKCES256()
			if tc.wantErr == "" {
				assert.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, ErrPKCES256Unsupported)
			assert.Contains(t, err.Error(), tc.wantErr)
		})
	}
}

func TestLegacyAuthServerMetadata(t *testing.T) {
	tests := []struct {
		name  string
		setup func(s *docServer)
		check func(t *testing.T, s *docServer, m *AuthServerMetadata, err error)
	}{
		{"metadata at the origin", func(s *docServer) { s.json(oauthRoot, asmDoc(s.URL, s.URL+"/oauth")) },
			func(t *testing.T, s *docServer, m *AuthServerMetadata, err error) {
				require.NoError(t, err)
				assert.False(t, m.Defaulted)
				assert.Equal(t, s.URL+"/oauth/token", m.TokenEndpoint)
			}},
		{"issuer with trailing slash (TypeScript SDK servers)", func(s *docServer) { s.json(oauthRoot, asmDoc(s.URL+"/", s.URL)) },
			func(t *testing.T, s *docServer, m *AuthServerMetadata, err error) {
				require.NoError(t, err)
				assert.Equal(t, s.URL+"/", m.Issuer)
			}},
		{"no metadata: default endpoints", func(*docServer) {},
			func(t *testing.T, s *docServer, m *AuthServerMetadata, err error) {
				require.NoError(t, err)
				assert.Equal(t, &AuthServerMetadata{
					AuthorizationEndpoint: s.URL + "/authorize",
					TokenEndpoint:         s.URL + "/token",
					RegistrationEndpoint:  s.URL + "/register",
					Defaulted:             true,
				}, m)
				assert.NoError(t, m.RequirePKCES256())
			}},
		{"HTML catch-all: default endpoints", func(s *docServer) { s.route(oauthRoot, htmlAnswer) },
			func(t *testing.T, s *docServer, m *AuthServerMetadata, err error) {
				require.NoError(t, err)
				assert.True(t, m.Defaulted)
			}},
		{"issuer with a path on the same origin", func(s *docServer) { s.json(oauthRoot, asmDoc(s.URL+"/oauth", s.URL+"/oauth")) },
			func(t *testing.T, s *docServer, m *AuthServerMetadata, err error) {
				require.NoError(t, err)
				assert.Equal(t, s.URL+"/oauth", m.Issuer)
				assert.Equal(t, s.URL+"/oauth/token", m.TokenEndpoint)
			}},
		{"issuer on the same host with another port is foreign", func(s *docServer) { s.json(oauthRoot, asmDoc(s.URL+"0", s.URL)) },
			func(t *testing.T, s *docServer, m *AuthServerMetadata, err error) {
				var ie *MetadataIssuerMismatchError
				require.ErrorAs(t, err, &ie)
			}},
		{"foreign issuer is an error, not a reason to default", func(s *docServer) { s.json(oauthRoot, asmDoc("https://evil.example.com", s.URL)) },
			func(t *testing.T, s *docServer, m *AuthServerMetadata, err error) {
				var ie *MetadataIssuerMismatchError
				require.ErrorAs(t, err, &ie)
			}},
		{"5xx is an error", func(s *docServer) { s.route(oauthRoot, statusAnswer(502)) },
			func(t *testing.T, s *docServer, m *AuthServerMetadata, err error) {
				var se *ServerError
				require.ErrorAs(t, err, &se)
			}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := newDocServer(t)
			tc.setup(s)
			m, err := LegacyAuthServerMetadata(context.Background(), s.client(2*time.Second), s.URL+"/v1/mcp?x=1")
			assert.Equal(t, []string{oauthRoot}, s.requested(), "only the origin's RFC 8414 URL")
			tc.check(t, s, m, err)
		})
	}
	_, err := LegacyAuthServerMetadata(context.Background(), nil, "http://mcp.example.com/mcp")
	var ue *DiscoveryURLError
	require.ErrorAs(t, err, &ue)
}

// The whole discovery chain against one server: 401 challenge, PRM, AS
// metadata, scope choice.
func TestDiscoveryChain(t *testing.T) {
	s := newDocServer(t)
	s.route("/mcp", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Add("WWW-Authenticate", `Basic realm="legacy"`)
		w.Header().Add("WWW-Authenticate", `Bearer resource_metadata="`+s.URL+`/meta/prm", scope="files:read"`)
		w.WriteHeader(http.StatusUnauthorized)
	})
	s.json("/meta/prm", prmDoc(s.URL+"/mcp", s.URL+"/tenant1"))
	s.json(oidcAppended, asmDoc(s.URL+"/tenant1", s.URL))

	c := s.client(2 * time.Second)
	resp, err := c.Get(s.URL + "/mcp")
	require.NoError(t, err)
	resp.Body.Close()
	challenge, ok := BearerChallenge(ParseWWWAuthenticate(resp.Header.Values("WWW-Authenticate")))
	require.True(t, ok)

	prm, err := DiscoverProtectedResource(context.Background(), c, s.URL+"/mcp", challenge.ResourceMetadata())
	require.NoError(t, err)
	asm, err := DiscoverAuthServer(context.Background(), c, prm.AuthorizationServers[0])
	require.NoError(t, err)
	require.NoError(t, asm.RequirePKCES256())
	assert.Equal(t, []string{"files:read", "offline_access"}, SelectScopes(challenge, prm, asm, true))
	assert.Equal(t, IdentityDynamicRegistration, ChooseClientIdentity(ClientIdentityConfig{}, asm).Kind)
}
