package oauthtest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"
)

// Limits on the documents the server fetches: Client ID Metadata Documents
// and JWK Sets named by jwks_uri.
const (
	fetchTimeout     = 5 * time.Second
	maxDocumentBytes = 64 << 10
)

// fetchClient fetches documents. It follows no redirect and keeps no idle
// connection, so that no goroutine outlives a fetch.
var fetchClient = &http.Client{
	Timeout:       fetchTimeout,
	Transport:     &http.Transport{DisableKeepAlives: true},
	CheckRedirect: func(*http.Request, []*http.Request) error { return errors.New("redirect refused") },
}

// isClientIDMetadataURL reports whether a client_id names a Client ID
// Metadata Document (draft-ietf-oauth-client-id-metadata-document-00 §3): a
// URL with a path other than "/", without fragment, user information or dot
// segments. The scheme must be https, or http on a loopback host so that
// tests need no TLS.
func isClientIDMetadataURL(id string) bool {
	u, err := url.Parse(id)
	if err != nil || !fetchableURL(id) || u.User != nil || strings.Contains(id, "#") || u.Path == "" || u.Path == "/" {
		return false
	}
	for _, seg := range strings.Split(u.Path, "/") {
		if seg == "." || seg == ".." {
			return false
		}
	}
	return true
}

// fetchableURL reports whether the server may fetch a document from uri:
// https, or http on a loopback host.
func fetchableURL(uri string) bool {
	u, err := url.Parse(uri)
	if err != nil || u.Host == "" {
		return false
	}
	return u.Scheme == "https" || (u.Scheme == "http" && isLoopbackHost(u.Hostname()))
}

// isLoopbackHost reports whether host names the loopback interface.
func isLoopbackHost(host string) bool {
	switch host {
	case "127.0.0.1", "localhost", "::1":
		return true
	}
	return false
}

// fetchDocument GETs a JSON document of at most maxDocumentBytes within
// fetchTimeout and returns its body, which must come with status 200.
func fetchDocument(ctx context.Context, uri string) ([]byte, error) {
	if !fetchableURL(uri) {
		return nil, fmt.Errorf("%s is neither https nor http on a loopback host", uri)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, uri, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Accept", "application/json")
	resp, err := fetchClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("GET %s: status %d", uri, resp.StatusCode)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxDocumentBytes+1))
	switch {
	case err != nil:
		return nil, err
	case len(body) > maxDocumentBytes:
		return nil, fmt.Errorf("GET %s: document larger than %d bytes", uri, maxDocumentBytes)
	}
	return body, nil
}

// metadataDocument is a Client ID Metadata Document: client metadata with
// the client_id it describes. client_secret and client_secret_expires_at
// are read only to be refused.
type metadataDocument struct {
	ClientID              string `json:"client_id"`
	ClientSecret          string `json:"client_secret"`
	ClientSecretExpiresAt *int64 `json:"client_secret_expires_at"`
	ClientMetadata
}

// fetchClientMetadata fetches the Client ID Metadata Document named by id
// and returns the client it describes
// (draft-ietf-oauth-client-id-metadata-document-00 §4, MCP 2025-11-25
// "Client ID Metadata Documents"). The document must be a JSON object whose
// client_id equals id exactly and which has client_name and redirect_uris;
// the client authenticates with token_endpoint_auth_method "none" (the
// default) or "private_key_jwt" with jwks or jwks_uri, never with a shared
// secret. The document is fetched anew on every use, without caching, so
// that tests may change it.
func (s *Server) fetchClientMetadata(ctx context.Context, id string) (Client, error) {
	s.mu.Lock()
	s.counts.CIMDFetch++
	s.mu.Unlock()

	raw, err := fetchDocument(ctx, id)
	if err != nil {
		return Client{}, fmt.Errorf("client metadata document: %w", err)
	}
	var doc metadataDocument
	if err := json.Unmarshal(raw, &doc); err != nil {
		return Client{}, fmt.Errorf("client metadata document is not a JSON object: %w", err)
	}
	doc.ClientMetadata = doc.withDefaults(authNone)
	switch {
	case doc.ClientID != id:
		return Client{}, fmt.Errorf("client metadata document has client_id %q, not its own URL", doc.ClientID)
	case doc.ClientSecret != "" || doc.ClientSecretExpiresAt != nil:
		return Client{}, errors.New("client metadata document must not carry a client secret")
	case !slices.Contains([]string{authNone, authJWT}, doc.TokenEndpointAuthMethod):
		return Client{}, fmt.Errorf("client metadata document: token_endpoint_auth_method %q is not none or private_key_jwt", doc.TokenEndpointAuthMethod)
	case doc.ClientName == "":
		return Client{}, errors.New("client metadata document has no client_name")
	case len(doc.RedirectURIs) == 0:
		return Client{}, errors.New("client metadata document has no redirect_uris")
	}
	client, oerr := doc.client(id)
	if oerr != nil {
		return Client{}, fmt.Errorf("client metadata document: %s", oerr.description)
	}
	return client, nil
}
