package core

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestParseConfigMemberNamesAreExact: encoding/json matches member names
// case-insensitively and lets a repeated member win silently; the strict
// configuration decoding refuses both (found by FuzzParseConfig, seed
// testdata/fuzz/FuzzParseConfig/89f7992c4b46ec25).
func TestParseConfigMemberNamesAreExact(t *testing.T) {
	const ok = `{"client_id":"c","client_secret":"s","token_url":"https://as.example.com/token"}`
	_, err := ParseConfig([]byte(ok))
	require.NoError(t, err)
	for _, tc := range []struct{ doc, field string }{
		{`{"Client_id":"c","client_secret":"s","token_url":"https://as.example.com/token"}`, "Client_id"},
		{`{"client_id":"c","client_secret":"s","TOKEN_URL":"https://as.example.com/token"}`, "TOKEN_URL"},
		{`{"client_id":"c","client_secret":"s","token_url":"https://as.example.com/token","token_url":"https://evil.example.com/token"}`, "token_url"},
		{`{"client_id":"c","client_secret":"s","token_url":"https://as.example.com/token","Token_url":"https://evil.example.com/token"}`, "Token_url"},
	} {
		_, err := ParseConfig([]byte(tc.doc))
		var ce *ConfigError
		if assert.ErrorAs(t, err, &ce, tc.doc) {
			assert.Equal(t, tc.field, ce.Field, tc.doc)
		}
	}
}
