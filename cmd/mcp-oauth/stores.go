package main

// The store backends --store URLs may name (redis://, rediss://).
import _ "github.com/mcp-oauth-client/mcp-oauth-client/redisstore"
