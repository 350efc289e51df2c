package core

// Config's tags are the configuration schema that internal/tablegen copies
// into the header, the docs and the bindings' types. These tests hold the
// tags to what ParseConfig does, so that the documentation they generate
// cannot promise a default, an enumeration or a required member that the
// decoder does not implement.

import (
	"encoding/json"
	"errors"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// schemaFields calls fn for each Config member with its tags.
func schemaFields(fn func(name string, tag reflect.StructTag)) {
	t := reflect.TypeOf(Config{})
	for i := range t.NumField() {
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ",")
		fn(name, t.Field(i).Tag)
	}
}

// parseMembers parses the configuration of members, with null members left
// out.
func parseMembers(t *testing.T, members map[string]any) (*Config, error) {
	t.Helper()
	doc := map[string]any{}
	for k, v := range members {
		if v != nil {
			doc[k] = v
		}
	}
	data, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	return ParseConfig(data)
}

func with(base map[string]any, extra map[string]any) map[string]any {
	out := map[string]any{}
	for _, m := range []map[string]any{base, extra} {
		for k, v := range m {
			out[k] = v
		}
	}
	return out
}

var (
	schemaClientCredentials = map[string]any{"client_id": "c", "client_secret": "s", "token_url": "https://as.example/token"}
	schemaJWTBearer         = with(schemaClientCredentials, map[string]any{"grant_type": GrantJWTBearer,
		"issuer": "https://as.example", "idp_token_endpoint": "https://idp.example/token",
		"idp_client_id": "idp", "idp_id_token": "id-token"})
)

// TestConfigSchemaDefaults: each default tag is the value ParseConfig
// gives a configuration without the member.
func TestConfigSchemaDefaults(t *testing.T) {
	effective := map[string]func(*Config) string{
		"http_timeout_seconds":   func(c *Config) string { return strconv.FormatFloat(c.HTTPTimeout().Seconds(), 'f', -1, 64) },
		"refresh_margin_seconds": func(c *Config) string { return strconv.FormatFloat(c.RefreshMargin().Seconds(), 'f', -1, 64) },
		"signing_alg":            func(c *Config) string { return c.SigningAlg },
		"token_store_fallback":   func(c *Config) string { return c.StoreFallback() },
		"login":                  func(c *Config) string { return c.Login },
	}
	base := map[string]map[string]any{"signing_alg": {"private_key_pem": string(pkcs8PEM(t, testKeys().ec256))}}
	n := 0
	schemaFields(func(name string, tag reflect.StructTag) {
		def, ok := tag.Lookup("default")
		if !ok {
			return
		}
		n++
		get := effective[name]
		if get == nil {
			t.Errorf("%s: add how to read its effective value to this test", name)
			return
		}
		c, err := parseMembers(t, with(schemaClientCredentials, base[name]))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if got := get(c); got != def {
			t.Errorf("%s: default tag %q, ParseConfig gives %q", name, def, got)
		}
	})
	if n != len(effective) {
		t.Errorf("%d default tags, %d members in this test: a default tag was removed", n, len(effective))
	}
	// The documented numbers themselves (docs/concepts.md, the header).
	if DefaultHTTPTimeout != 30*time.Second || DefaultRefreshMargin != 30*time.Second {
		t.Errorf("defaults %v and %v, documented as 30 s", DefaultHTTPTimeout, DefaultRefreshMargin)
	}
}

// TestConfigSchemaEnums: a value outside an enum tag is refused, naming the
// member, by a message that lists exactly the tag's values; each value of
// the tag is accepted.
func TestConfigSchemaEnums(t *testing.T) {
	// Members each value needs beside it to make a valid configuration.
	needs := map[string]map[string]any{
		GrantJWTBearer:         schemaJWTBearer,
		GrantAuthorizationCode: with(schemaClientCredentials, map[string]any{"authorize_url": "https://as.example/authorize"}),
		AuthNone:               {"client_id": "c", "token_url": "https://as.example/token", "authorize_url": "https://as.example/authorize"},
		AuthPrivateKeyJWT:      {"client_id": "c", "token_url": "https://as.example/token", "private_key_pem": string(pkcs8PEM(t, testKeys().ec256))},
		AlgES256:               with(schemaClientCredentials, map[string]any{"private_key_pem": string(pkcs8PEM(t, testKeys().ec256))}),
		AlgRS256:               with(schemaClientCredentials, map[string]any{"private_key_pem": string(pkcs8PEM(t, testKeys().rsa2048))}),
		LoginBrowser:           {"client_id": "c", "token_url": "https://as.example/token", "authorize_url": "https://as.example/authorize"},
		LoginDevice:            {"client_id": "c", "token_url": "https://as.example/token", "device_authorization_url": "https://as.example/device"},
	}
	quoted := regexp.MustCompile(`"([^"]*)"`)
	schemaFields(func(name string, tag reflect.StructTag) {
		enum, ok := tag.Lookup("enum")
		if !ok {
			return
		}
		values := strings.Split(enum, ",")
		base := with(schemaClientCredentials, nil)
		if name == "signing_alg" {
			base["private_key_pem"] = string(pkcs8PEM(t, testKeys().ec256))
		}
		_, err := parseMembers(t, with(base, map[string]any{name: "not-a-value"}))
		var ce *ConfigError
		if !errors.As(err, &ce) || ce.Field != name {
			t.Fatalf("%s: not-a-value gave %v", name, err)
		}
		var listed []string
		for _, m := range quoted.FindAllStringSubmatch(ce.Reason, -1) {
			listed = append(listed, m[1])
		}
		if !reflect.DeepEqual(listed, values) {
			t.Errorf("%s: the enum tag says %q, the decoder accepts %q", name, values, listed)
		}
		for _, v := range values {
			b, ok := needs[v]
			if !ok {
				b = schemaClientCredentials
			}
			if _, err := parseMembers(t, with(b, map[string]any{name: v})); err != nil {
				t.Errorf("%s %q refused: %v", name, v, err)
			}
		}
	})
}

// TestConfigSchemaRequired: leaving out a member whose required tag applies
// is an error naming it.
func TestConfigSchemaRequired(t *testing.T) {
	bases := map[string]map[string]any{
		"unless server_url is set": schemaClientCredentials,
		"with jwt_bearer":          schemaJWTBearer,
		"with server_url and a client_secret or private_key_pem": {
			"server_url": "https://mcp.example.com/mcp", "client_id": "c", "client_secret": "s",
			"issuer": "https://as.example.com",
		},
	}
	schemaFields(func(name string, tag reflect.StructTag) {
		req, ok := tag.Lookup("required")
		if !ok {
			return
		}
		base, ok := bases[req]
		if !ok {
			t.Errorf("%s: required %q: add a configuration where it applies to this test", name, req)
			return
		}
		if _, err := parseMembers(t, base); err != nil {
			t.Fatalf("%s: the base configuration: %v", name, err)
		}
		_, err := parseMembers(t, with(base, map[string]any{name: nil}))
		var ce *ConfigError
		if !errors.As(err, &ce) || ce.Field != name {
			t.Errorf("%s (required %s) left out: %v", name, req, err)
		}
		if strings.HasPrefix(req, "unless server_url") {
			c := with(base, map[string]any{name: nil, "server_url": "https://mcp.example/mcp", "token_url": nil, "client_secret": nil})
			if _, err := parseMembers(t, c); err != nil {
				t.Errorf("%s left out with server_url: %v", name, err)
			}
		}
	})
}
