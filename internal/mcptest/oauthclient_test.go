package mcptest

import (
	"context"
	"net/http"
	"net/url"
	"testing"

	"github.com/modelcontextprotocol/go-sdk/auth"
	"github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/modelcontextprotocol/go-sdk/oauthex"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mcp-oauth-client/mcp-oauth-client/internal/oauthtest"
)

// approve plays the browser: the authorization server approves at once, so
// the code, state and iss are in the Location of its redirect.
func approve(ctx context.Context, args *auth.AuthorizationArgs) (*auth.AuthorizationResult, error) {
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, args.URL, nil)
	if err != nil {
		return nil, err
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, err
	}
	resp.Body.Close()
	loc, err := url.Parse(resp.Header.Get("Location"))
	if err != nil {
		return nil, err
	}
	q := loc.Query()
	return &auth.AuthorizationResult{Code: q.Get("code"), State: q.Get("state"), Iss: q.Get("iss")}, nil
}

// TestGoSDKAuthorizationFlow runs the go-sdk's own OAuth client against the
// servers: discovery from the 401 challenge, dynamic client registration,
// the authorization code flow with PKCE and resource, then step-up on 403
// insufficient_scope.
func TestGoSDKAuthorizationFlow(t *testing.T) {
	for _, opts := range []struct {
		name string
		opts Options
	}{
		{"default", Options{}},
		{"well-known probing, issuer path", Options{OmitResourceMetadata: true, AS: asWithIssuerPath("/tenant1")}},
		{"MCP 2025-03-26", Options{NoPRM: true, CoHostAS: true}},
	} {
		t.Run(opts.name, func(t *testing.T) {
			s := StartT(t, opts.opts)
			const redirect = "http://127.0.0.1:7777/callback"
			handler, err := auth.NewAuthorizationCodeHandler(&auth.AuthorizationCodeHandlerConfig{
				DynamicClientRegistrationConfig: &auth.DynamicClientRegistrationConfig{
					Metadata: &oauthex.ClientRegistrationMetadata{
						RedirectURIs:            []string{redirect},
						TokenEndpointAuthMethod: "none",
						GrantTypes:              []string{"authorization_code", "refresh_token"},
						ClientName:              "go-sdk",
					},
				},
				RedirectURL:              redirect,
				AuthorizationCodeFetcher: approve,
			})
			require.NoError(t, err)
			cs, err := connect(t, &mcp.StreamableClientTransport{Endpoint: s.StreamableURL(), OAuthHandler: handler, MaxRetries: -1})
			require.NoError(t, err)

			res, err := callTool(t, cs, "whoami", map[string]any{})
			require.NoError(t, err)
			who := res.StructuredContent.(map[string]any)
			assert.Equal(t, []any{"mcp:read"}, who["scopes"], "the challenge scope was requested")
			assert.Equal(t, oauthtest.Subject, who["subject"])

			res, err = callTool(t, cs, "write_note", map[string]any{"text": "stepped up"})
			require.NoError(t, err)
			assert.False(t, res.IsError)
			assert.Equal(t, []string{"stepped up"}, s.Notes())

			regs := s.AS().Registrations()
			require.NotEmpty(t, regs) // the go-sdk registers anew on step-up
			assert.Equal(t, "native", regs[0].Metadata.ApplicationType)
			for _, r := range s.AS().TokenRequests() {
				assert.Equal(t, []string{s.StreamableURL()}, r.Form["resource"], "resource on every token request")
			}
			assert.Equal(t, 1, s.Counts().Forbidden)
		})
	}
}
