// Package layering holds the test of the module's import graph (see
// layering_test.go): core decides and imports nothing of this module;
// core/mcpclient (MCP sessions) imports only core; the front ends (capi,
// the C ABI; cmd/mcp-oauth, the command) import only those two (and the
// token store backend redisstore);
// the test servers under internal/ never reach core's non-test code. It has
// no code of its own.
package layering
