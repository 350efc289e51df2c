package core

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestGenerateCodeChallengeRFC7636AppendixB(t *testing.T) {
	got, err := GenerateCodeChallenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk")
	require.NoError(t, err)
	assert.Equal(t, "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM", got)
}

func TestGenerateCodeVerifier(t *testing.T) {
	seen := map[string]bool{}
	for range 100 {
		v := GenerateCodeVerifier()
		assert.True(t, ValidCodeVerifier(v), "verifier %q", v)
		assert.False(t, seen[v], "verifier repeated")
		seen[v] = true
	}
}

func TestGenerateCodeChallengeRejectsBadVerifiers(t *testing.T) {
	for _, tc := range []struct{ name, verifier string }{
		{"empty", ""},
		{"too short", "abc"},
		{"42 chars", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"},
		{"129 chars", string(make([]byte, 129))},
		{"reserved character", "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjX+"},
		{"non-ASCII", "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXé"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := GenerateCodeChallenge(tc.verifier)
			assert.ErrorIs(t, err, ErrInvalidVerifier)
		})
	}
}
