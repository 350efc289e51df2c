package keyringstore

import (
	"errors"

	"github.com/mcp-oauth-client/mcp-oauth-client/core"
)

// openNative: the macOS Keychain needs cgo and the Security framework,
// which this pure-Go build has not.
func openNative(string) (core.Store, error) {
	return nil, errors.New("the macOS Keychain is not supported " +
		"(it needs cgo and the Security framework, which this build has not); use token_store_dir")
}

func sessionID() string { return "" }
