package oauthtest

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

const (
	testRedirect = "http://127.0.0.1:8765/callback"
	testVerifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk" // RFC 7636 Appendix B
)

// noRedirects is an HTTP client that returns redirects instead of following
// them.
var noRedirects = &http.Client{
	CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
}

// challengeOf returns the S256 code challenge of verifier (RFC 7636 §4.2).
func challengeOf(verifier string) string {
	sum := sha256.Sum256([]byte(verifier))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

// tokenCall is a token request to send.
type tokenCall struct {
	form         url.Values
	basicID      string // when set, sent form-urlencoded in HTTP Basic
	basicSecret  string
	extraHeaders map[string]string
}

// postToken sends c to the token endpoint and returns the status, decoded
// JSON body and response.
func postToken(t *testing.T, s *Server, c tokenCall) (int, map[string]any, *http.Response) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, s.TokenURL(), strings.NewReader(c.form.Encode()))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if c.basicID != "" {
		req.SetBasicAuth(url.QueryEscape(c.basicID), url.QueryEscape(c.basicSecret))
	}
	for k, v := range c.extraHeaders {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	return resp.StatusCode, decodeBody(t, resp.Body), resp
}

func decodeBody(t *testing.T, r io.Reader) map[string]any {
	t.Helper()
	var body map[string]any
	require.NoError(t, json.NewDecoder(r).Decode(&body))
	return body
}

// ccToken obtains a token for the default confidential client.
func ccToken(t *testing.T, s *Server, form url.Values) map[string]any {
	t.Helper()
	form.Set("grant_type", "client_credentials")
	status, body, _ := postToken(t, s, tokenCall{form: form, basicID: DefaultClientID, basicSecret: DefaultClientSecret})
	require.Equal(t, http.StatusOK, status, body)
	return body
}

// authorizeQuery returns a valid authorization request for the public client.
func authorizeQuery() url.Values {
	return url.Values{
		"response_type":         {"code"},
		"client_id":             {DefaultPublicClientID},
		"redirect_uri":          {testRedirect},
		"code_challenge":        {challengeOf(testVerifier)},
		"code_challenge_method": {"S256"},
		"state":                 {"xyz"},
		"scope":                 {"read write"},
	}
}

// authorize sends an authorization request and returns the response.
func authorize(t *testing.T, s *Server, q url.Values) *http.Response {
	t.Helper()
	resp, err := noRedirects.Get(s.AuthorizeURL() + "?" + q.Encode())
	require.NoError(t, err)
	resp.Body.Close()
	return resp
}

// redirectParams returns the query of the Location of a 302 response.
func redirectParams(t *testing.T, resp *http.Response) url.Values {
	t.Helper()
	require.Equal(t, http.StatusFound, resp.StatusCode)
	loc, err := url.Parse(resp.Header.Get("Location"))
	require.NoError(t, err)
	return loc.Query()
}

// authorizationCode runs a successful authorization request and returns the
// code.
func authorizationCode(t *testing.T, s *Server, q url.Values) string {
	t.Helper()
	params := redirectParams(t, authorize(t, s, q))
	require.Empty(t, params.Get("error"), params.Get("error_description"))
	require.NotEmpty(t, params.Get("code"))
	return params.Get("code")
}

// exchangeForm is the token request redeeming code for the public client.
func exchangeForm(code string) url.Values {
	return url.Values{
		"grant_type":    {"authorization_code"},
		"client_id":     {DefaultPublicClientID},
		"code":          {code},
		"redirect_uri":  {testRedirect},
		"code_verifier": {testVerifier},
	}
}

// getProtected calls /protected with the given Authorization header value.
func getProtected(t *testing.T, s *Server, authorization string) (*http.Response, map[string]any) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, s.ProtectedURL(), nil)
	require.NoError(t, err)
	if authorization != "" {
		req.Header.Set("Authorization", authorization)
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	return resp, decodeBody(t, resp.Body)
}
