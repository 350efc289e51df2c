package core

import (
	"context"
	"testing"

	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"

	"github.com/mcp-oauth-client/mcp-oauth-client/internal/oauthtest"
)

// BenchmarkTokenCached measures a cached Token call; compare with
// BenchmarkReuseTokenSourceCached (golang.org/x/oauth2) in the same run.
func BenchmarkTokenCached(b *testing.B) {
	srv := oauthtest.StartT(b, oauthtest.Options{})
	m, err := NewTokenManager(&Config{ClientID: oauthtest.DefaultClientID, ClientSecret: oauthtest.DefaultClientSecret, TokenURL: srv.TokenURL()})
	if err != nil {
		b.Fatal(err)
	}
	defer m.Close()
	ctx := context.Background()
	if _, err := m.Token(ctx); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := m.Token(ctx); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkReuseTokenSourceCached is the x/oauth2 baseline for
// BenchmarkTokenCached.
func BenchmarkReuseTokenSourceCached(b *testing.B) {
	srv := oauthtest.StartT(b, oauthtest.Options{})
	cc := &clientcredentials.Config{ClientID: oauthtest.DefaultClientID, ClientSecret: oauthtest.DefaultClientSecret, TokenURL: srv.TokenURL()}
	ts := oauth2.ReuseTokenSource(nil, cc.TokenSource(context.Background()))
	if _, err := ts.Token(); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := ts.Token(); err != nil {
				b.Fatal(err)
			}
		}
	})
}
