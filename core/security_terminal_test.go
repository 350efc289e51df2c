package core

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/mcp-oauth-client/mcp-oauth-client/internal/oauthtest"
)

// terminalAttack is server text that retitles the terminal window, clears
// the screen, writes the clipboard (OSC 52) and reverses the text after it.
const terminalAttack = "\x1b]0;pwned\x07\x1b[2J\x1b]52;c;cHduZWQ=\x07\u202eevil\r\n"

// requirePrintable fails when s holds a character [Printable] escapes.
func requirePrintable(t *testing.T, what, s string) {
	t.Helper()
	require.Equal(t, Printable(s), s, "%s carries raw control characters: %q", what, s)
	require.NotEmpty(t, s, what)
}

// TestSecurityNoControlCharactersInErrors: whatever a server writes into an
// error (error_description of a token, authorization, registration or device
// error, a Bearer challenge, a JSON-RPC error message), the library's error
// messages and the fields it reports carry no raw control character — a
// terminal printing them is not driven by the server (issue 12 item 5).
func TestSecurityNoControlCharactersInErrors(t *testing.T) {
	ctx := context.Background()

	t.Run("token endpoint error", func(t *testing.T) {
		as := newFakeEndpoint(t, func(int64, url.Values) (int, any) {
			return 400, map[string]any{"error": "invalid_client" + terminalAttack, "error_description": terminalAttack,
				"error_uri": "https://as.example/e" + terminalAttack}
		})
		_, err := newManager(t, clientCredentials(as.URL)).Token(ctx)
		var oe *OAuthError
		require.ErrorAs(t, err, &oe)
		requirePrintable(t, "message", err.Error())
		requirePrintable(t, "error", oe.ErrorCode)
		requirePrintable(t, "error_description", oe.ErrorDescription)
		requirePrintable(t, "error_uri", oe.ErrorURI)
	})

	t.Run("authorization response error", func(t *testing.T) {
		srv := oauthtest.StartT(t, oauthtest.Options{})
		m := newManager(t, publicClient(srv))
		req, err := m.BeginAuthorization(ctx, redirect)
		require.NoError(t, err)
		q := url.Values{"state": {req.State}, "error": {"access_denied" + terminalAttack},
			"error_description": {terminalAttack}, "error_uri": {terminalAttack}, "iss": {srv.Issuer()}}
		_, err = m.CompleteAuthorization(ctx, redirect+"?"+q.Encode())
		var de *AuthorizationDeniedError
		require.ErrorAs(t, err, &de)
		requirePrintable(t, "message", err.Error())
		requirePrintable(t, "error", de.ErrorCode)
		requirePrintable(t, "error_description", de.ErrorDescription)
		requirePrintable(t, "error_uri", de.ErrorURI)
	})

	t.Run("registration error", func(t *testing.T) {
		reg := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(400)
			_ = json.NewEncoder(w).Encode(map[string]string{"error": "invalid_client_metadata" + terminalAttack, "error_description": terminalAttack})
		}))
		defer reg.Close()
		_, err := RegisterClient(ctx, reg.Client(), reg.URL, ClientRegistration{RedirectURIs: []string{redirect}, ClientName: "t"})
		var re *RegistrationError
		require.ErrorAs(t, err, &re)
		requirePrintable(t, "message", err.Error())
		requirePrintable(t, "error", re.ErrorCode)
		requirePrintable(t, "error_description", re.ErrorDescription)
	})

	t.Run("bearer challenge of a rejected token", func(t *testing.T) {
		rs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			// net/http refuses C0 controls in a header; C1 controls (CSI
			// U+009B is ESC [ to many terminals) and bidi controls pass.
			w.Header().Set("WWW-Authenticate", "Bearer error=\"invalid_token\u009b2J\", error_description=\"\u009b2J\u009d0;pwned\u009c\u202eevil\"")
			w.WriteHeader(http.StatusUnauthorized)
		}))
		defer rs.Close()
		m := mcpManager(t)
		rt, err := NewTransport(m, rs.URL, http.DefaultTransport)
		require.NoError(t, err)
		_, err = (&http.Client{Transport: rt}).Get(rs.URL)
		var tr *TokenRejectedError
		require.ErrorAs(t, err, &tr)
		requirePrintable(t, "message", err.Error())
		requirePrintable(t, "error", tr.ErrorCode)
		requirePrintable(t, "error_description", tr.ErrorDescription)
	})
}
