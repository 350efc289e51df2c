package core

import (
	"context"
	"encoding/base64"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestTokenEndpointResponses(t *testing.T) {
	for _, tc := range []struct {
		name        string
		status      int
		contentType string
		body        string
		check       func(t *testing.T, tok *Token, err error)
	}{
		{"json bearer", 200, "application/json", `{"access_token":"at1","token_type":"bearer","expires_in":3600,"scope":"a b"}`,
			func(t *testing.T, tok *Token, err error) {
				require.NoError(t, err)
				assert.Equal(t, "at1", tok.AccessToken)
				assert.Equal(t, "Bearer", tok.TokenType)
				assert.Equal(t, "a b", tok.Scope)
				assert.WithinDuration(t, time.Now().Add(time.Hour), tok.Expiry, 5*time.Second)
			}},
		{"201 accepted", 201, "application/json", `{"access_token":"at1","token_type":"Bearer"}`,
			func(t *testing.T, tok *Token, err error) {
				require.NoError(t, err)
				assert.True(t, tok.Expiry.IsZero(), "no expires_in means unknown expiry")
			}},
		{"expires_in as string", 200, "application/json", `{"access_token":"at1","token_type":"Bearer","expires_in":"60"}`,
			func(t *testing.T, tok *Token, err error) {
				require.NoError(t, err)
				assert.WithinDuration(t, time.Now().Add(time.Minute), tok.Expiry, 5*time.Second)
			}},
		{"form encoded", 200, "application/x-www-form-urlencoded", `access_token=at2&token_type=bearer&expires_in=10&refresh_token=rt`,
			func(t *testing.T, tok *Token, err error) {
				require.NoError(t, err)
				assert.Equal(t, "at2", tok.AccessToken)
				assert.Equal(t, "rt", tok.RefreshToken)
			}},
		{"missing token_type treated as Bearer", 200, "application/json", `{"access_token":"at1"}`,
			func(t *testing.T, tok *Token, err error) {
				require.NoError(t, err)
				assert.Equal(t, "Bearer", tok.TokenType)
			}},
		{"oauth error 400", 400, "application/json", `{"error":"invalid_scope","error_description":"nope","error_uri":"https://e/x"}`,
			oauthErrorIs("invalid_scope", "nope", "https://e/x", 400)},
		{"oauth error 401", 401, "application/json", `{"error":"invalid_client"}`,
			oauthErrorIs("invalid_client", "", "", 401)},
		{"error in a 200 (GitHub)", 200, "application/json", `{"error":"bad_verification_code","error_description":"expired"}`,
			oauthErrorIs("bad_verification_code", "expired", "", 200)},
		{"form error", 200, "application/x-www-form-urlencoded", `error=invalid_grant&error_description=used`,
			oauthErrorIs("invalid_grant", "used", "", 200)},
		{"500 without body", 500, "text/html", `<html>oops</html>`, serverErrorIs(500)},
		{"503 json without error", 503, "application/json", `{"message":"down"}`, serverErrorIs(503)},
		{"redirect", 302, "text/html", ``, protocolErrorContains("redirect")},
		{"malformed json", 200, "application/json", `{"access_token":`, protocolErrorContains("not a JSON object")},
		{"json array", 200, "application/json", `[1]`, protocolErrorContains("not a JSON object")},
		{"no access_token", 200, "application/json", `{"token_type":"Bearer"}`, protocolErrorContains("no access_token")},
		{"access_token not a string", 200, "application/json", `{"access_token":5,"token_type":"Bearer"}`, protocolErrorContains("no access_token")},
		{"token_type mac", 200, "application/json", `{"access_token":"a","token_type":"mac"}`, protocolErrorContains("not Bearer")},
		{"expires_in negative", 200, "application/json", `{"access_token":"a","token_type":"Bearer","expires_in":-5}`, protocolErrorContains("positive")},
		{"expires_in zero", 200, "application/json", `{"access_token":"a","token_type":"Bearer","expires_in":0}`, protocolErrorContains("positive")},
		{"expires_in huge", 200, "application/json", `{"access_token":"a","token_type":"Bearer","expires_in":1e30}`, protocolErrorContains("out of range")},
		{"expires_in word", 200, "application/json", `{"access_token":"a","token_type":"Bearer","expires_in":"soon"}`, protocolErrorContains("not a number")},
		{"expires_in bool", 200, "application/json", `{"access_token":"a","token_type":"Bearer","expires_in":true}`, protocolErrorContains("not a number")},
		{"body over 1 MiB", 200, "application/json", `{"access_token":"` + strings.Repeat("a", maxBodyBytes) + `"}`, protocolErrorContains("1 MiB")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", tc.contentType)
				if tc.status == 302 {
					w.Header().Set("Location", "https://elsewhere.example/token")
				}
				w.WriteHeader(tc.status)
				_, _ = w.Write([]byte(tc.body))
			}))
			defer srv.Close()
			m := newManager(t, clientCredentials(srv.URL))
			tok, err := m.params.Load().endpoint.request(context.Background(), url.Values{"grant_type": {"client_credentials"}})
			if err != nil {
				assert.NotContains(t, err.Error(), "s3cr3t-value")
			}
			tc.check(t, tok, err)
		})
	}
}

func oauthErrorIs(code, desc, uri string, status int) func(*testing.T, *Token, error) {
	return func(t *testing.T, _ *Token, err error) {
		var oe *OAuthError
		require.ErrorAs(t, err, &oe)
		assert.Equal(t, &OAuthError{ErrorCode: code, ErrorDescription: desc, ErrorURI: uri, StatusCode: status}, oe)
	}
}

func serverErrorIs(status int) func(*testing.T, *Token, error) {
	return func(t *testing.T, _ *Token, err error) {
		var se *ServerError
		require.ErrorAs(t, err, &se)
		assert.Equal(t, status, se.StatusCode)
	}
}

func protocolErrorContains(text string) func(*testing.T, *Token, error) {
	return func(t *testing.T, _ *Token, err error) {
		var pe *ProtocolError
		require.ErrorAs(t, err, &pe)
		assert.Contains(t, pe.Error(), text)
	}
}

func TestTokenEndpointClientAuthentication(t *testing.T) {
	for _, tc := range []struct {
		name, method, secret string
		check                func(t *testing.T, h http.Header, form url.Values)
	}{
		{"basic form-encodes before base64", AuthClientSecretBasic, "p@ss:wörd",
			func(t *testing.T, h http.Header, form url.Values) {
				want := "Basic " + base64.StdEncoding.EncodeToString([]byte("client:"+url.QueryEscape("p@ss:wörd")))
				assert.Equal(t, want, h.Get("Authorization"))
				assert.False(t, form.Has("client_secret"))
			}},
		{"post", AuthClientSecretPost, "sec",
			func(t *testing.T, h http.Header, form url.Values) {
				assert.Empty(t, h.Get("Authorization"))
				assert.Equal(t, "client", form.Get("client_id"))
				assert.Equal(t, "sec", form.Get("client_secret"))
			}},
		{"none", AuthNone, "",
			func(t *testing.T, h http.Header, form url.Values) {
				assert.Empty(t, h.Get("Authorization"))
				assert.Equal(t, "client", form.Get("client_id"))
				assert.False(t, form.Has("client_secret"))
			}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ep := newFakeEndpoint(t, func(int64, url.Values) (int, any) { return 200, bearer("at", 60) })
			cfg := &Config{ClientID: "client", ClientSecret: tc.secret, TokenURL: ep.URL,
				TokenEndpointAuthMethod: tc.method, Resource: "https://mcp.example/mcp"}
			if tc.method == AuthNone {
				cfg.AuthorizeURL = ep.URL + "/authorize"
			}
			m := newManager(t, cfg)
			_, err := m.params.Load().endpoint.request(context.Background(), url.Values{"grant_type": {"x"}})
			require.NoError(t, err)
			tc.check(t, ep.headers[0], ep.form(0))
			assert.Equal(t, "https://mcp.example/mcp", ep.form(0).Get("resource"), "RFC 8707 resource on every token request")
			assert.Equal(t, "application/x-www-form-urlencoded", ep.headers[0].Get("Content-Type"))
		})
	}
}

func TestTokenEndpointTimeoutAndNetworkErrors(t *testing.T) {
	hang := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body) // lets the server notice the client hanging up
		select {
		case <-r.Context().Done():
		case <-time.After(10 * time.Second):
		}
	}))
	defer hang.Close()
	cfg := clientCredentials(hang.URL)
	cfg.HTTPTimeoutSeconds = 0.2
	m := newManager(t, cfg)
	_, err := m.Token(context.Background())
	var ne *NetworkError
	require.ErrorAs(t, err, &ne)
	assert.True(t, ne.Timeout, "the 200 ms timeout ended it (the server answers nothing for 10 s)")

	closed := httptest.NewServer(http.NotFoundHandler())
	closed.Close()
	m2 := newManager(t, clientCredentials(closed.URL))
	_, err = m2.Token(context.Background())
	require.ErrorAs(t, err, &ne)
	assert.False(t, ne.Timeout)
	assert.NotContains(t, err.Error(), "s3cr3t-value")
}

func TestLinkLocalAddressesAreRefusedAtDialTime(t *testing.T) {
	cfg := clientCredentials("https://169.254.169.254/token")
	cfg.HTTPTimeoutSeconds = 1
	m := newManager(t, cfg)
	_, err := m.Token(context.Background())
	var de *DiscoveryURLError
	require.ErrorAs(t, err, &de, "the cloud metadata address is never dialled")
}
