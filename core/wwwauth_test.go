package core

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func ch(scheme string, kv ...string) Challenge {
	c := Challenge{Scheme: scheme, Params: map[string]string{}}
	for i := 0; i+1 < len(kv); i += 2 {
		c.Params[kv[i]] = kv[i+1]
	}
	return c
}

func TestParseWWWAuthenticate(t *testing.T) {
	tests := []struct {
		name   string
		values []string
		want   []Challenge
	}{
		{"MCP 401", []string{`Bearer resource_metadata="https://mcp.example.com/.well-known/oauth-protected-resource", scope="files:read"`},
			[]Challenge{ch("Bearer", "resource_metadata", "https://mcp.example.com/.well-known/oauth-protected-resource", "scope", "files:read")}},
		{"MCP 403 insufficient_scope", []string{`Bearer error="insufficient_scope",
                         scope="files:read files:write user:profile",
                         resource_metadata="https://mcp.example.com/.well-known/oauth-protected-resource",
                         error_description="Additional file write permission required"`},
			[]Challenge{ch("Bearer", "error", "insufficient_scope", "scope", "files:read files:write user:profile",
				"resource_metadata", "https://mcp.example.com/.well-known/oauth-protected-resource",
				"error_description", "Additional file write permission required")}},
		{"scheme only", []string{"Bearer"}, []Challenge{ch("Bearer")}},
		{"lower-case scheme kept, names lower-cased", []string{`bearer Realm="x", SCOPE=a`}, []Challenge{ch("bearer", "realm", "x", "scope", "a")}},
		{"two challenges in one header", []string{`Basic realm="simple", Bearer realm="mcp", error="invalid_token"`},
			[]Challenge{ch("Basic", "realm", "simple"), ch("Bearer", "realm", "mcp", "error", "invalid_token")}},
		{"challenges across headers", []string{`Basic realm="a"`, `Bearer scope="x y"`},
			[]Challenge{ch("Basic", "realm", "a"), ch("Bearer", "scope", "x y")}},
		{"RFC 9110 example", []string{`Basic realm="simple", Newauth realm="apps", type=1, title="Login to \"apps\""`},
			[]Challenge{ch("Basic", "realm", "simple"), ch("Newauth", "realm", "apps", "type", "1", "title", `Login to "apps"`)}},
		{"commas inside quotes", []string{`Bearer resource_metadata="https://x.example/a?b=1,c=2", scope="a,b"`},
			[]Challenge{ch("Bearer", "resource_metadata", "https://x.example/a?b=1,c=2", "scope", "a,b")}},
		{"escaped backslash and quote", []string{`Bearer error_description="a \\ b \"c\""`},
			[]Challenge{ch("Bearer", "error_description", `a \ b "c"`)}},
		{"BWS around equals, tabs, stray commas", []string{" ,Bearer \t realm = \"r\" ,, scope\t=\t\"s\" , "},
			[]Challenge{ch("Bearer", "realm", "r", "scope", "s")}},
		{"token68", []string{"Negotiate YIIBhwYGKwYBBQUCoIIBezCCAXeg==, Bearer realm=x"},
			[]Challenge{{Scheme: "Negotiate", Params: map[string]string{}, Token68: "YIIBhwYGKwYBBQUCoIIBezCCAXeg=="}, ch("Bearer", "realm", "x")}},
		{"token68 with slash and plus", []string{"Basic dXNlcjpwYXNz/+="},
			[]Challenge{{Scheme: "Basic", Params: map[string]string{}, Token68: "dXNlcjpwYXNz/+="}}},
		{"unquoted URL value", []string{`Bearer resource_metadata=https://mcp.example.com/.well-known/oauth-protected-resource/mcp, scope=read`},
			[]Challenge{ch("Bearer", "resource_metadata", "https://mcp.example.com/.well-known/oauth-protected-resource/mcp", "scope", "read")}},
		{"repeated parameter keeps the first", []string{`Bearer scope="a", scope="b"`}, []Challenge{ch("Bearer", "scope", "a")}},
		{"empty quoted value", []string{`Bearer realm=""`}, []Challenge{ch("Bearer", "realm", "")}},
		{"missing comma between params", []string{`Bearer realm="a" scope="b"`}, []Challenge{ch("Bearer", "realm", "a", "scope", "b")}},
		{"unterminated quote runs to the end", []string{`Bearer realm="abc, scope=x`}, []Challenge{ch("Bearer", "realm", "abc, scope=x")}},
		{"parameter without scheme is skipped", []string{`realm="x", Bearer scope="y"`}, []Challenge{ch("Bearer", "scope", "y")}},
		{"garbage element skipped", []string{`@@@, Bearer scope="y"`}, []Challenge{ch("Bearer", "scope", "y")}},
		{"garbage parameter skipped", []string{`Bearer realm="a", ="x", scope="b"`}, []Challenge{ch("Bearer", "realm", "a", "scope", "b")}},
		{"scheme then comma then scheme", []string{"Bearer, DPoP algs=\"ES256\""}, []Challenge{ch("Bearer"), ch("DPoP", "algs", "ES256")}},
		{"quote glued to scheme", []string{`Bearer"x", Basic`}, []Challenge{ch("Bearer"), ch("Basic")}},
		{"empty and blank values", []string{"", "   ", ",,,"}, nil},
		{"no values", nil, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := ParseWWWAuthenticate(tc.values)
			assert.Equal(t, tc.want, got)
		})
	}
}

func TestChallengeAccessors(t *testing.T) {
	chs := ParseWWWAuthenticate([]string{
		`Basic realm="x"`,
		`BEARER error="insufficient_scope", scope="files:read  files:write files:read bad\"scope", resource_metadata="https://mcp.example.com/prm", error_description="more"`,
	})
	b, ok := BearerChallenge(chs)
	require.True(t, ok)
	assert.True(t, b.Is("bearer"))
	assert.Equal(t, "https://mcp.example.com/prm", b.ResourceMetadata())
	assert.Equal(t, []string{"files:read", "files:write"}, b.Scopes(), "deduplicated, invalid scope tokens dropped")
	assert.Equal(t, "insufficient_scope", b.ErrorCode())
	assert.Equal(t, "more", b.ErrorDescription())

	_, ok = BearerChallenge(ParseWWWAuthenticate([]string{`Basic realm="x"`}))
	assert.False(t, ok)
	var none Challenge
	assert.Nil(t, none.Scopes())
	assert.Empty(t, none.ResourceMetadata())
}

// FuzzParseWWWAuthenticate checks that no input panics or loops, and that
// every challenge has a token scheme and lower-case parameter names. Seeds
// live in testdata/fuzz/FuzzParseWWWAuthenticate; lines of the input are
// separate header values.
func FuzzParseWWWAuthenticate(f *testing.F) {
	for _, s := range []string{
		`Bearer resource_metadata="https://mcp.example.com/.well-known/oauth-protected-resource", scope="files:read"`,
		"Basic realm=\"a\"\nBearer scope=\"x y\"",
		`Negotiate abc==, Bearer realm=x`,
		`Bearer realm="unterminated \`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		for _, c := range ParseWWWAuthenticate(strings.Split(in, "\n")) {
			if c.Scheme == "" || strings.IndexFunc(c.Scheme, func(r rune) bool { return r > 0x7f || !isTChar(byte(r)) }) >= 0 {
				t.Fatalf("scheme %q is not a token", c.Scheme)
			}
			for k := range c.Params {
				if k != strings.ToLower(k) || k == "" {
					t.Fatalf("parameter name %q", k)
				}
			}
			if c.Token68 != "" && len(c.Params) > 0 {
				t.Fatalf("both token68 and params in %+v", c)
			}
			_ = c.Scopes()
		}
	})
}
