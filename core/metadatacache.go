package core

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Metadata caching: the protected resource metadata (RFC 9728) and the
// authorization server metadata (RFC 8414) a discovery fetched are kept in
// the token store entry of the credentials they led to, for as long as HTTP
// caching allows (RFC 9111 §4.2), so that a restarted program — each run of
// the command-line tool — discovers without a metadata request. A cached
// document is validated again, exactly as a fetched one, before it is used;
// a challenge naming another resource_metadata URL, or a re-check after a
// refused token (migration.go), fetches afresh.

const (
	// defaultMetadataFreshness is the heuristic freshness (RFC 9111
	// §4.2.2) of a metadata response that states none.
	defaultMetadataFreshness = time.Hour
	// maxMetadataFreshness bounds any freshness, so that an authorization
	// server's new endpoints are found within a day.
	maxMetadataFreshness = 24 * time.Hour
)

// CachedMetadata is the metadata a discovery used, as fetched (see
// [StoredCredentials.Metadata]).
type CachedMetadata struct {
	ProtectedResource   *CachedDocument `json:"protected_resource,omitempty"`
	AuthorizationServer *CachedDocument `json:"authorization_server,omitempty"`
}

// CachedDocument is one metadata document as fetched: the URL asked for,
// the URL it came from after same-origin redirects, its body, and when it
// stops being fresh.
type CachedDocument struct {
	Requested string          `json:"requested"`
	URL       string          `json:"url"`
	Body      json.RawMessage `json:"body"`
	Expires   time.Time       `json:"expires"`
}

// freshAt reports whether d may be used at now.
func (d *CachedDocument) freshAt(now time.Time) bool { return d != nil && now.Before(d.Expires) }

// fetched is d as the fetch that got it returned it.
func (d *CachedDocument) fetched() fetchedDoc {
	return fetchedDoc{requested: d.Requested, url: d.URL, status: http.StatusOK, body: d.Body}
}

// cachedDocument is f to keep until now + its freshness, or nil when it
// may not be kept.
func cachedDocument(f fetchedDoc, now time.Time) *CachedDocument {
	if f.fresh <= 0 || !json.Valid(f.body) {
		return nil
	}
	return &CachedDocument{Requested: f.requested, URL: f.url, Body: json.RawMessage(f.body), Expires: now.Add(f.fresh)}
}

// metadataFreshness is how long a response with header h, received at now,
// may be reused by a private cache (RFC 9111 §4.2.1): 0 with no-store or
// no-cache (§5.2.2.4, §5.2.2.5: this client does not revalidate), else
// max-age, else Expires minus Date, else [defaultMetadataFreshness]; less
// its Age (§5.1), at most [maxMetadataFreshness]. A malformed max-age or
// Expires counts as stale (§4.2.1, §5.3).
func metadataFreshness(h http.Header, now time.Time) time.Duration {
	directives := map[string]string{}
	for _, v := range h.Values("Cache-Control") {
		for _, d := range strings.Split(v, ",") {
			name, value, _ := strings.Cut(strings.TrimSpace(d), "=")
			directives[strings.ToLower(name)] = strings.Trim(value, `"`)
		}
	}
	if _, ok := directives["no-store"]; ok {
		return 0
	}
	if _, ok := directives["no-cache"]; ok {
		return 0
	}
	life := defaultMetadataFreshness
	if v, ok := directives["max-age"]; ok {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 0 {
			return 0
		}
		life = time.Duration(min(n, int64(maxMetadataFreshness/time.Second))) * time.Second
	} else if v := h.Get("Expires"); v != "" {
		expires, err := http.ParseTime(v)
		if err != nil {
			return 0
		}
		date, err := http.ParseTime(h.Get("Date"))
		if err != nil {
			date = now
		}
		life = expires.Sub(date)
	}
	if age, err := strconv.ParseInt(h.Get("Age"), 10, 64); err == nil && age > 0 {
		life -= time.Duration(min(age, int64(maxMetadataFreshness/time.Second))) * time.Second
	}
	return min(max(life, 0), maxMetadataFreshness)
}

// cachedMetadata returns the fresh metadata stored for the configured
// server and client (and issuer, when configured) by an earlier discovery,
// when exactly one authorization server's entry has some, and the
// challenge names no other resource_metadata URL than its document's.
func (m *TokenManager) cachedMetadata(ch Challenge) *CachedMetadata {
	lister, ok := m.tokenStore.(StoreLister)
	if !ok {
		return nil
	}
	entries, err := lister.List()
	if err != nil {
		return nil
	}
	var found *CachedMetadata
	for _, c := range entries {
		md := c.Metadata
		if c.Key.ServerURL != m.cfg.ServerURL || c.Key.ClientID != m.cfg.ClientID || md == nil ||
			(m.cfg.Issuer != "" && c.Key.Issuer != m.cfg.Issuer) {
			continue
		}
		if rm := ch.ResourceMetadata(); rm != "" && (md.ProtectedResource == nil || md.ProtectedResource.Requested != rm) {
			continue
		}
		if found != nil {
			return nil // several authorization servers: discovery decides
		}
		found = md
	}
	return found
}

// protectedResource is the server's protected resource metadata: cached
// when fresh and still valid, else fetched.
func (m *TokenManager) protectedResource(ctx context.Context, cached *CachedMetadata, resourceMetadata string) (*ProtectedResourceMetadata, fetchedDoc, error) {
	if cached != nil && cached.ProtectedResource.freshAt(m.now()) {
		if accept, err := prmAcceptor(m.cfg.ServerURL); err == nil {
			f := cached.ProtectedResource.fetched()
			if prm, err := accept(f); err == nil {
				return prm, f, nil
			}
		}
	}
	return discoverPRM(ctx, m.client, m.cfg.ServerURL, resourceMetadata)
}

// authServer is issuer's metadata: cached when fresh and still valid for
// issuer, else fetched.
func (m *TokenManager) authServer(ctx context.Context, cached *CachedMetadata, issuer string) (*AuthServerMetadata, fetchedDoc, error) {
	if cached != nil && cached.AuthorizationServer.freshAt(m.now()) {
		f := cached.AuthorizationServer.fetched()
		if asm, err := validateASM(f, issuer); err == nil {
			return asm, f, nil
		}
	}
	return discoverASM(ctx, m.client, issuer)
}

// cacheMetadata keeps the documents of a discovery in p's entry (best
// effort): those fetched now while they are fresh, those taken from the
// cache as they were; nothing is written when both came from the cache.
func (m *TokenManager) cacheMetadata(ctx context.Context, p *authParams, cached *CachedMetadata, prm, asm fetchedDoc) {
	if m.tokenStore == nil {
		return
	}
	if cached == nil {
		cached = &CachedMetadata{}
	}
	now := m.now()
	fromCache := func(f fetchedDoc, old *CachedDocument) bool {
		return f.fresh == 0 && old.freshAt(now) && old.URL == f.url && bytes.Equal(old.Body, f.body)
	}
	keep := func(f fetchedDoc, old *CachedDocument) *CachedDocument {
		if fromCache(f, old) {
			return old
		}
		return cachedDocument(f, now)
	}
	if fromCache(prm, cached.ProtectedResource) && fromCache(asm, cached.AuthorizationServer) {
		return
	}
	md := &CachedMetadata{ProtectedResource: keep(prm, cached.ProtectedResource), AuthorizationServer: keep(asm, cached.AuthorizationServer)}
	if md.ProtectedResource == nil && md.AuthorizationServer == nil {
		md = nil
	}
	m.updateStored(ctx, m.paramsKey(p), func(c *StoredCredentials) bool {
		if md == nil && c.Metadata == nil {
			return false
		}
		c.Metadata = md
		return true
	})
}
