package core

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestSelectScopes(t *testing.T) {
	challenge := func(scope string) Challenge { return ch("Bearer", "scope", scope) }
	prm := &ProtectedResourceMetadata{ScopesSupported: []string{"mcp:read", "mcp:tools"}}
	withOffline := &AuthServerMetadata{ScopesSupported: []string{"openid", "offline_access"}}
	withoutOffline := &AuthServerMetadata{ScopesSupported: []string{"openid"}}
	tests := []struct {
		name        string
		challenge   Challenge
		prm         *ProtectedResourceMetadata
		asm         *AuthServerMetadata
		wantOffline bool
		want        []string
	}{
		{"challenge scope is authoritative", challenge("files:read"), prm, nil, false, []string{"files:read"}},
		{"challenge scope not a subset of scopes_supported", challenge("admin other"), prm, nil, false, []string{"admin", "other"}},
		{"PRM scopes_supported without a challenge scope", Challenge{}, prm, nil, false, []string{"mcp:read", "mcp:tools"}},
		{"empty challenge scope falls back", challenge("   "), prm, nil, false, []string{"mcp:read", "mcp:tools"}},
		{"nothing: omit scope", Challenge{}, nil, withOffline, true, nil},
		{"PRM without scopes_supported: omit scope", Challenge{}, &ProtectedResourceMetadata{}, withOffline, true, nil},
		{"offline_access when the AS lists it", challenge("files:read"), prm, withOffline, true, []string{"files:read", "offline_access"}},
		{"no offline_access when the AS does not list it", challenge("files:read"), prm, withoutOffline, true, []string{"files:read"}},
		{"no offline_access without AS metadata", challenge("files:read"), prm, nil, true, []string{"files:read"}},
		{"no offline_access unless wanted", challenge("files:read"), prm, withOffline, false, []string{"files:read"}},
		{"offline_access not duplicated", challenge("offline_access files:read"), prm, withOffline, true, []string{"offline_access", "files:read"}},
		{"duplicates and invalid tokens dropped", challenge(`a a b"c b`), prm, nil, false, []string{"a", "b"}},
		{"invalid PRM scopes dropped", Challenge{}, &ProtectedResourceMetadata{ScopesSupported: []string{"ok", "bad scope", "", "ok"}}, nil, false, []string{"ok"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, SelectScopes(tc.challenge, tc.prm, tc.asm, tc.wantOffline))
		})
	}
}

func TestUnionScopes(t *testing.T) {
	tests := []struct {
		name string
		a, b []string
		want []string
	}{
		{"step-up keeps granted scopes first", []string{"files:read"}, []string{"files:read", "files:write"}, []string{"files:read", "files:write"}},
		{"order of first appearance", []string{"c", "a"}, []string{"b", "a", "c", "d"}, []string{"c", "a", "b", "d"}},
		{"duplicates inside one list", []string{"a", "a"}, []string{"b", "b"}, []string{"a", "b"}},
		{"empty inputs", nil, nil, nil},
		{"one side empty", nil, []string{"x"}, []string{"x"}},
		{"invalid tokens dropped", []string{"", "a b", "ok"}, []string{`q"`, "ok"}, []string{"ok"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a, b := append([]string(nil), tc.a...), append([]string(nil), tc.b...)
			assert.Equal(t, tc.want, UnionScopes(tc.a, tc.b))
			assert.Equal(t, a, tc.a, "inputs unchanged")
			assert.Equal(t, b, tc.b, "inputs unchanged")
		})
	}
}
