package core

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// registrar is a registration endpoint that records the request and
// answers with answer(request body).
type registrar struct {
	*docServer
	mu      sync.Mutex
	body    map[string]any
	headers http.Header
}

func newRegistrar(t *testing.T, answer func(req map[string]any) (int, any)) *registrar {
	t.Helper()
	r := &registrar{docServer: newDocServer(t)}
	r.route("/register", func(w http.ResponseWriter, req *http.Request) {
		raw, _ := io.ReadAll(req.Body)
		var body map[string]any
		_ = json.Unmarshal(raw, &body)
		r.mu.Lock()
		r.body, r.headers = body, req.Header.Clone()
		r.mu.Unlock()
		status, resp := answer(body)
		jsonAnswer(status, resp)(w, req)
	})
	return r
}

func (r *registrar) request() (map[string]any, http.Header) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.body, r.headers
}

// echoClient answers like a conforming server: 201 with the metadata sent
// plus the credentials.
func echoClient(secret string) func(map[string]any) (int, any) {
	return func(req map[string]any) (int, any) {
		resp := map[string]any{"client_id": "c-123", "client_id_issued_at": 1700000000}
		for k, v := range req {
			resp[k] = v
		}
		if secret != "" {
			resp["client_secret"] = secret
			resp["client_secret_expires_at"] = 0
		}
		return http.StatusCreated, resp
	}
}

func TestRegisterClientRequest(t *testing.T) {
	tests := []struct {
		name    string
		reg     ClientRegistration
		secret  string
		want    map[string]any // members of the request body
		absent  []string
		wantOut RegisteredClient
	}{
		{name: "public native client",
			reg: ClientRegistration{RedirectURIs: []string{"http://127.0.0.1:8976/callback"}, ClientName: "Test Client", Scopes: []string{"mcp:read", "offline_access"}},
			want: map[string]any{
				"application_type": "native", "token_endpoint_auth_method": "none",
				"grant_types": []any{"authorization_code", "refresh_token"}, "response_types": []any{"code"},
				"redirect_uris": []any{"http://127.0.0.1:8976/callback"}, "client_name": "Test Client",
				"scope": "mcp:read offline_access"},
			absent: []string{"client_uri", "logo_uri", "software_id"},
			wantOut: RegisteredClient{ClientID: "c-123", ClientIDIssuedAt: 1700000000, TokenEndpointAuthMethod: "none", ApplicationType: "native",
				Scope: "mcp:read offline_access", RedirectURIs: []string{"http://127.0.0.1:8976/callback"},
				GrantTypes: []string{"authorization_code", "refresh_token"}, ResponseTypes: []string{"code"}}},
		{name: "private-use scheme is native", reg: ClientRegistration{RedirectURIs: []string{"com.example.app:/cb", "http://localhost:1/cb"}},
			want: map[string]any{"application_type": "native"}},
		{name: "https redirect is web", reg: ClientRegistration{RedirectURIs: []string{"https://app.example.com/cb", "http://127.0.0.1/cb"}},
			want: map[string]any{"application_type": "web"}},
		{name: "explicit application type", reg: ClientRegistration{RedirectURIs: []string{"http://127.0.0.1/cb"}, ApplicationType: "web"},
			want: map[string]any{"application_type": "web"}},
		{name: "refresh_token added to explicit grants", reg: ClientRegistration{RedirectURIs: []string{"http://127.0.0.1/cb"}, GrantTypes: []string{"authorization_code"}},
			want: map[string]any{"grant_types": []any{"authorization_code", "refresh_token"}}},
		{name: "confidential client prefers client_secret_basic", secret: "s3cr3t",
			reg:     ClientRegistration{RedirectURIs: []string{"http://127.0.0.1/cb"}, Confidential: true, SupportedAuthMethods: []string{"none", "client_secret_post", "client_secret_basic"}},
			want:    map[string]any{"token_endpoint_auth_method": "client_secret_basic"},
			wantOut: RegisteredClient{ClientID: "c-123", ClientSecret: "s3cr3t", TokenEndpointAuthMethod: "client_secret_basic"}},
		{name: "confidential client falls back to client_secret_post", secret: "s3cr3t",
			reg:  ClientRegistration{RedirectURIs: []string{"http://127.0.0.1/cb"}, Confidential: true, SupportedAuthMethods: []string{"private_key_jwt", "client_secret_post"}},
			want: map[string]any{"token_endpoint_auth_method": "client_secret_post"}},
		{name: "machine client: client_credentials only", secret: "s3cr3t",
			reg:    ClientRegistration{GrantTypes: []string{"client_credentials"}, Confidential: true, SoftwareID: "mcp-oauth", SoftwareVersion: "1.0"},
			want:   map[string]any{"grant_types": []any{"client_credentials"}, "response_types": []any{}, "application_type": "web", "software_id": "mcp-oauth", "software_version": "1.0"},
			absent: []string{"redirect_uris"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := newRegistrar(t, echoClient(tc.secret))
			got, err := RegisterClient(context.Background(), r.client(2*time.Second), r.URL+"/register", tc.reg)
			require.NoError(t, err)
			body, hdr := r.request()
			assert.Equal(t, "application/json", hdr.Get("Content-Type"))
			assert.Empty(t, hdr.Get("Authorization"))
			for k, v := range tc.want {
				assert.Equal(t, v, body[k], "request member %s", k)
			}
			for _, k := range tc.absent {
				assert.NotContains(t, body, k)
			}
			if tc.wantOut.ClientID != "" {
				assert.Equal(t, tc.wantOut.ClientID, got.ClientID)
				assert.Equal(t, tc.wantOut.ClientSecret, got.ClientSecret)
				assert.Equal(t, tc.wantOut.TokenEndpointAuthMethod, got.TokenEndpointAuthMethod)
				if tc.wantOut.ApplicationType != "" {
					assert.Equal(t, tc.wantOut, *got)
				}
			}
		})
	}
}

func TestRegisterClientResponses(t *testing.T) {
	public := ClientRegistration{RedirectURIs: []string{"http://127.0.0.1/cb"}, ClientName: "Test"}
	tests := []struct {
		name   string
		reg    ClientRegistration
		answer func(map[string]any) (int, any)
		check  func(t *testing.T, c *RegisteredClient, err error)
	}{
		{"200 instead of 201, minimal body", public,
			func(map[string]any) (int, any) { return 200, map[string]any{"client_id": "abc"} },
			func(t *testing.T, c *RegisteredClient, err error) {
				require.NoError(t, err)
				assert.Equal(t, "abc", c.ClientID)
				assert.Equal(t, AuthNone, c.TokenEndpointAuthMethod, "taken from the request")
				assert.Equal(t, []string{"http://127.0.0.1/cb"}, c.RedirectURIs)
				assert.Equal(t, []string{"authorization_code", "refresh_token"}, c.GrantTypes)
			}},
		{"server changes the auth method", ClientRegistration{RedirectURIs: []string{"http://127.0.0.1/cb"}, Confidential: true},
			func(map[string]any) (int, any) {
				return 201, map[string]any{"client_id": "abc", "client_secret": "s", "token_endpoint_auth_method": "client_secret_post"}
			},
			func(t *testing.T, c *RegisteredClient, err error) {
				require.NoError(t, err)
				assert.Equal(t, AuthClientSecretPost, c.TokenEndpointAuthMethod)
			}},
		{"numeric strings and expiry", ClientRegistration{RedirectURIs: []string{"http://127.0.0.1/cb"}, Confidential: true},
			func(map[string]any) (int, any) {
				return 201, map[string]any{"client_id": "abc", "client_secret": "s", "client_secret_expires_at": "1700000000", "client_id_issued_at": "1600000000"}
			},
			func(t *testing.T, c *RegisteredClient, err error) {
				require.NoError(t, err)
				assert.Equal(t, int64(1700000000), c.ClientSecretExpiresAt)
				assert.True(t, c.SecretExpired(time.Unix(1700000000, 0)))
				assert.False(t, c.SecretExpired(time.Unix(1699999999, 0)))
				c.RegistrationAccessToken = "rat-SECRET"
				c.ClientSecret = "cs-SECRET"
				printed := fmt.Sprintf("%v %+v %#v %v %+v %#v %s", c, c, c, *c, *c, *c, c)
				assert.NotContains(t, printed, "SECRET", "secrets never printed")
				assert.Contains(t, printed, `client_id="abc"`)
			}},
		{"RFC 7591 rejection", public,
			func(map[string]any) (int, any) {
				return 400, map[string]any{"error": "invalid_redirect_uri", "error_description": "loopback redirect URIs are not allowed"}
			},
			func(t *testing.T, c *RegisteredClient, err error) {
				var re *RegistrationError
				require.ErrorAs(t, err, &re)
				assert.Equal(t, RegistrationError{ErrorCode: "invalid_redirect_uri", ErrorDescription: "loopback redirect URIs are not allowed", StatusCode: 400}, *re)
				assert.Contains(t, err.Error(), "invalid_redirect_uri")
			}},
		{"error in a 200", public,
			func(map[string]any) (int, any) { return 200, map[string]any{"error": "invalid_client_metadata"} },
			func(t *testing.T, c *RegisteredClient, err error) {
				var re *RegistrationError
				require.ErrorAs(t, err, &re)
				assert.Equal(t, 200, re.StatusCode)
			}},
		{"403 without a body", public,
			func(map[string]any) (int, any) { return 403, "<html>Forbidden</html>" },
			func(t *testing.T, c *RegisteredClient, err error) {
				var se *ServerError
				require.ErrorAs(t, err, &se)
				assert.Equal(t, 403, se.StatusCode)
			}},
		{"no client_id", public,
			func(map[string]any) (int, any) { return 201, map[string]any{"client_secret": "x"} },
			protocolErrorSays("no client_id")},
		{"malformed JSON", public,
			func(map[string]any) (int, any) { return 201, `{"client_id":` },
			protocolErrorSays("not a valid JSON object")},
		{"wrong member type", public,
			func(map[string]any) (int, any) { return 201, `{"client_id": "a", "redirect_uris": 7}` },
			protocolErrorSays("not a valid JSON object")},
		{"secret method without a secret", ClientRegistration{RedirectURIs: []string{"http://127.0.0.1/cb"}, Confidential: true},
			func(map[string]any) (int, any) { return 201, map[string]any{"client_id": "a"} },
			protocolErrorSays("no client_secret")},
		{"unusable assigned method", public,
			func(map[string]any) (int, any) {
				return 201, map[string]any{"client_id": "a", "token_endpoint_auth_method": "tls_client_auth"}
			},
			protocolErrorSays("unsupported token_endpoint_auth_method")},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := newRegistrar(t, tc.answer)
			c, err := RegisterClient(context.Background(), r.client(2*time.Second), r.URL+"/register", tc.reg)
			tc.check(t, c, err)
		})
	}
}

func protocolErrorSays(text string) func(*testing.T, *RegisteredClient, error) {
	return func(t *testing.T, c *RegisteredClient, err error) {
		t.Helper()
		assert.Nil(t, c)
		var pe *ProtocolError
		require.ErrorAs(t, err, &pe)
		assert.Contains(t, pe.Reason, text)
	}
}

func TestRegisterClientTransport(t *testing.T) {
	reg := ClientRegistration{RedirectURIs: []string{"http://127.0.0.1/cb"}, InitialAccessToken: "iat-SECRET"}
	t.Run("initial access token as bearer", func(t *testing.T) {
		r := newRegistrar(t, echoClient(""))
		_, err := RegisterClient(context.Background(), r.client(time.Second), r.URL+"/register", reg)
		require.NoError(t, err)
		_, hdr := r.request()
		assert.Equal(t, "Bearer iat-SECRET", hdr.Get("Authorization"))
	})
	t.Run("redirect is not followed", func(t *testing.T) {
		other := newRegistrar(t, echoClient(""))
		s := newDocServer(t)
		s.route("/register", redirectAnswer(307, other.URL+"/register"))
		c := s.client(time.Second)
		c.CheckRedirect = nil
		_, err := RegisterClient(context.Background(), c, s.URL+"/register", reg)
		var pe *ProtocolError
		require.ErrorAs(t, err, &pe)
		assert.Empty(t, other.requested(), "the initial access token never leaves for another server")
	})
	t.Run("10 MB response", func(t *testing.T) {
		s := newDocServer(t)
		s.route("/register", hugeAnswer(10<<20, false))
		_, err := RegisterClient(context.Background(), s.client(time.Second), s.URL+"/register", reg)
		bodyTooLarge(t, err)
	})
	t.Run("slow registration vs 200 ms", func(t *testing.T) {
		s := newDocServer(t)
		s.route("/register", slowAnswer(false))
		_, err := RegisterClient(context.Background(), s.client(200*time.Millisecond), s.URL+"/register", reg)
		var ne *NetworkError
		require.ErrorAs(t, err, &ne)
		assert.True(t, ne.Timeout)
		assert.Equal(t, "registration endpoint", ne.Endpoint)
		assert.NotContains(t, err.Error(), "iat-SECRET")
	})
}

func TestRegisterClientRefusals(t *testing.T) {
	s := newDocServer(t)
	tests := []struct {
		name     string
		endpoint string
		reg      ClientRegistration
		field    string // ConfigError field; "" = DiscoveryURLError
	}{
		{"plain-http endpoint", "http://as.example.com/register", ClientRegistration{RedirectURIs: []string{"http://127.0.0.1/cb"}}, ""},
		{"cloud metadata endpoint", "https://169.254.169.254/register", ClientRegistration{RedirectURIs: []string{"http://127.0.0.1/cb"}}, ""},
		{"no redirect URI for the code grant", s.URL + "/register", ClientRegistration{}, "redirect_uris"},
		{"non-loopback http redirect", s.URL + "/register", ClientRegistration{RedirectURIs: []string{"http://app.example.com/cb"}}, "redirect_uris"},
		{"redirect with fragment", s.URL + "/register", ClientRegistration{RedirectURIs: []string{"http://127.0.0.1/cb#x"}}, "redirect_uris"},
		{"bad scope", s.URL + "/register", ClientRegistration{RedirectURIs: []string{"http://127.0.0.1/cb"}, Scopes: []string{"a b"}}, "scopes"},
		{"unknown auth method", s.URL + "/register", ClientRegistration{RedirectURIs: []string{"http://127.0.0.1/cb"}, TokenEndpointAuthMethod: "private_key_jwt"}, "token_endpoint_auth_method"},
		{"no usable auth method", s.URL + "/register", ClientRegistration{RedirectURIs: []string{"http://127.0.0.1/cb"}, Confidential: true, SupportedAuthMethods: []string{"private_key_jwt"}}, "token_endpoint_auth_method"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := RegisterClient(context.Background(), s.client(time.Second), tc.endpoint, tc.reg)
			if tc.field == "" {
				var ue *DiscoveryURLError
				require.ErrorAs(t, err, &ue)
				return
			}
			var ce *ConfigError
			require.ErrorAs(t, err, &ce)
			assert.Equal(t, tc.field, ce.Field)
		})
	}
	assert.Empty(t, s.requested())
}

func TestChooseTokenEndpointAuthMethod(t *testing.T) {
	tests := []struct {
		name         string
		supported    []string
		confidential bool
		want         string
		ok           bool
	}{
		{"public, anything", []string{"client_secret_basic"}, false, "none", true},
		{"public, nothing listed", nil, false, "none", true},
		{"confidential, nothing listed: RFC 8414 default", nil, true, "client_secret_basic", true},
		{"confidential, basic preferred", []string{"client_secret_post", "client_secret_basic", "none"}, true, "client_secret_basic", true},
		{"confidential, post", []string{"client_secret_post", "none"}, true, "client_secret_post", true},
		{"confidential, none only", []string{"none"}, true, "none", true},
		{"confidential, unusable", []string{"private_key_jwt", "tls_client_auth"}, true, "", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := ChooseTokenEndpointAuthMethod(tc.supported, tc.confidential)
			assert.Equal(t, tc.want, got)
			assert.Equal(t, tc.ok, ok)
		})
	}
}
