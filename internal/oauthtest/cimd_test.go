package oauthtest

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// documentHost serves documents that tests set, at any path.
type documentHost struct {
	*httptest.Server
	mu   sync.Mutex
	docs map[string]string // path → body; "redirect" answers a 302
}

func newDocumentHost(t *testing.T) *documentHost {
	h := &documentHost{docs: map[string]string{}}
	h.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.mu.Lock()
		body, ok := h.docs[r.URL.Path]
		h.mu.Unlock()
		switch {
		case !ok:
			http.NotFound(w, r)
		case body == "redirect":
			http.Redirect(w, r, "/elsewhere", http.StatusFound)
		default:
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write([]byte(body))
		}
	}))
	t.Cleanup(h.Close)
	return h
}

// set publishes body at path and returns its URL.
func (h *documentHost) set(path, body string) string {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.docs[path] = body
	return h.URL + path
}

func TestClientIDMetadataDocument(t *testing.T) {
	s := StartT(t, Options{})
	host := newDocumentHost(t)
	id := host.URL + "/client.json"
	doc := func(fields string) string {
		return `{"client_id":"` + id + `","client_name":"Test","redirect_uris":["` + testRedirect + `"]` + fields + `}`
	}
	tests := []struct {
		name    string
		body    string
		wantErr string // in the 400 page of the authorization endpoint
	}{
		{"valid", doc(``), ""},
		{"valid with none", doc(`,"token_endpoint_auth_method":"none","grant_types":["authorization_code","refresh_token"]`), ""},
		{"client_id differs", strings.Replace(doc(``), id, id+"x", 1), "not its own URL"},
		{"no client_name", `{"client_id":"` + id + `","redirect_uris":["` + testRedirect + `"]}`, "client_name"},
		{"no redirect_uris", `{"client_id":"` + id + `","client_name":"x"}`, "redirect_uris"},
		{"secret", doc(`,"client_secret":"s"`), "secret"},
		{"secret auth method", doc(`,"token_endpoint_auth_method":"client_secret_basic"`), "token_endpoint_auth_method"},
		{"private_key_jwt without keys", doc(`,"token_endpoint_auth_method":"private_key_jwt"`), "jwks"},
		{"not JSON", `<html>`, "not a JSON object"},
		{"too large", doc(`,"logo_uri":"` + strings.Repeat("x", maxDocumentBytes) + `"`), "larger than"},
		{"redirected", "redirect", "redirect"},
		{"missing", "", "status 404"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			host.mu.Lock()
			host.docs = map[string]string{}
			if tt.body != "" {
				host.docs["/client.json"] = tt.body
			}
			host.mu.Unlock()
			s.ResetCounts()

			q := authorizeQuery()
			q.Set("client_id", id)
			resp, err := noRedirects.Get(s.AuthorizeURL() + "?" + q.Encode())
			require.NoError(t, err)
			page, err := io.ReadAll(resp.Body)
			resp.Body.Close()
			require.NoError(t, err)
			if tt.wantErr != "" {
				assert.Equal(t, http.StatusBadRequest, resp.StatusCode)
				assert.Contains(t, string(page), tt.wantErr)
				status, body, _ := postToken(t, s, tokenCall{form: url.Values{"grant_type": {"authorization_code"}, "client_id": {id}, "code": {"x"}}})
				assert.Equal(t, http.StatusUnauthorized, status)
				assert.Equal(t, "invalid_client", body["error"])
				assert.Equal(t, 2, s.Counts().CIMDFetch)
				return
			}
			code := redirectParams(t, resp).Get("code")
			require.NotEmpty(t, code)
			form := exchangeForm(code)
			form.Set("client_id", id)
			status, body, _ := postToken(t, s, tokenCall{form: form})
			require.Equal(t, http.StatusOK, status, body)
			assert.Equal(t, 2, s.Counts().CIMDFetch, "fetched at the authorization and token endpoints")

			q.Set("redirect_uri", "http://127.0.0.1:1/unlisted")
			assert.Equal(t, http.StatusBadRequest, authorize(t, s, q).StatusCode)
		})
	}
}

func TestClientIDMetadataDocumentPrivateKeyJWT(t *testing.T) {
	s := StartT(t, Options{})
	host := newDocumentHost(t)
	jwksURI := host.set("/jwks.json", mustJSON(jwksOf(testECKey())))
	id := host.URL + "/machine.json"
	host.set("/machine.json", mustJSON(map[string]any{
		"client_id":                  id,
		"client_name":                "Machine",
		"redirect_uris":              []string{testRedirect},
		"grant_types":                []string{"client_credentials"},
		"token_endpoint_auth_method": "private_key_jwt",
		"jwks_uri":                   jwksURI,
	}))
	form := url.Values{
		"grant_type":            {"client_credentials"},
		"client_assertion_type": {clientAssertionType},
		"client_assertion":      {signJWT(t, testECKey(), nil, assertionClaimsFor(id, s.Issuer()))},
	}
	status, body, _ := postToken(t, s, tokenCall{form: form})
	require.Equal(t, http.StatusOK, status, body)
	info, ok := s.Introspect(body["access_token"].(string))
	require.True(t, ok)
	assert.Equal(t, id, info.ClientID)

	// A public client has no key.
	host.set("/public.json", `{"client_id":"`+host.URL+`/public.json","client_name":"p","redirect_uris":["`+testRedirect+`"]}`)
	form.Set("client_assertion", signJWT(t, testECKey(), nil, assertionClaimsFor(host.URL+"/public.json", s.Issuer())))
	status, body, _ = postToken(t, s, tokenCall{form: form})
	assert.Equal(t, http.StatusUnauthorized, status, body)
}

func TestClientIDMetadataDocumentDisabled(t *testing.T) {
	s := StartT(t, Options{DisableClientIDMetadataDocuments: true})
	host := newDocumentHost(t)
	id := host.set("/client.json", `{"client_id":"`+host.URL+`/client.json","client_name":"x","redirect_uris":["`+testRedirect+`"]}`)
	q := authorizeQuery()
	q.Set("client_id", id)
	assert.Equal(t, http.StatusBadRequest, authorize(t, s, q).StatusCode)
	assert.Zero(t, s.Counts().CIMDFetch)
	resp, err := http.Get(s.URL + metadataPath)
	require.NoError(t, err)
	defer resp.Body.Close()
	assert.NotContains(t, decodeBody(t, resp.Body), "client_id_metadata_document_supported")
}

func TestIsClientIDMetadataURL(t *testing.T) {
	tests := map[string]bool{
		"https://app.example/client.json":      true,
		"https://app.example:8443/c?v=1":       true,
		"http://127.0.0.1:9000/client.json":    true,
		"http://localhost/client.json":         true,
		"http://[::1]:9000/client.json":        true,
		"https://app.example":                  false,
		"https://app.example/":                 false,
		"https://app.example/a/../client.json": false,
		"https://app.example/./client.json":    false,
		"https://user:pw@app.example/client":   false,
		"https://app.example/client.json#frag": false,
		"http://app.example/client.json":       false,
		"ftp://app.example/client.json":        false,
		"test-client":                          false,
		"urn:example:client":                   false,
	}
	for id, want := range tests {
		assert.Equal(t, want, isClientIDMetadataURL(id), id)
	}
}
