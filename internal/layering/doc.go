// Package layering holds the test of the module's import graph (see
// layering_test.go): core decides and imports nothing of this module; the
// front ends (capi, the C ABI; cmd/mcp-oauth, the command) import only core;
// the test servers under internal/ never reach core's non-test code. It has
// no code of its own.
package layering
