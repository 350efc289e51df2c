package main

// The store backends --store may name: redis:// and rediss:// URLs, and
// "keyring" (the OS keyring).
import (
	_ "github.com/mcp-oauth-client/mcp-oauth-client/keyringstore"
	_ "github.com/mcp-oauth-client/mcp-oauth-client/redisstore"
)
