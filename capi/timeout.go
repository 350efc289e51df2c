package main

import (
	"strings"
	"time"

	"github.com/mcp-oauth-client/mcp-oauth-client/core"
)

// timeoutArg turns a timeout_seconds argument into a Duration by core's one
// rule ([core.TimeoutFromSeconds]: 0 is def, +Inf none, huge clamped); NaN
// and negatives are MCP_OAUTH_E_INVALID_ARGUMENT naming the argument.
func timeoutArg(secs float64, def time.Duration) (time.Duration, error) {
	d, err := core.TimeoutFromSeconds(secs, def)
	if err != nil {
		return 0, &core.ArgumentError{Reason: strings.TrimPrefix(err.Error(), "mcp-oauth: ")}
	}
	return d, nil
}
