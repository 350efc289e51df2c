package main

import (
	"encoding/json"
	"time"

	"github.com/mcp-oauth-client/mcp-oauth-client/core"
)

// tokenJSON renders a token as documented for mcp_oauth_get_token_json.
// The refresh token is never included.
func tokenJSON(s core.Snapshot) string {
	js, _ := json.Marshal(struct {
		AccessToken  string `json:"access_token"`
		TokenType    string `json:"token_type"`
		ExpiresAtMS  int64  `json:"expires_at_ms"`
		ValidUntilMS int64  `json:"valid_until_ms"`
		RefreshAtMS  int64  `json:"refresh_at_ms"`
		Scope        string `json:"scope"`
		Generation   uint32 `json:"generation"`
	}{s.AccessToken, s.TokenType, unixMS(s.Expiry), unixMS(s.ValidUntil), unixMS(s.RefreshAt), s.Scope, s.Generation})
	return string(js)
}

func unixMS(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMilli()
}
