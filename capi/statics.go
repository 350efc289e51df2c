package main

/*
#include <stdlib.h>

// The exports that need no Go are written in C: a call costs a plain C call
// instead of a cgo transition (which on Node's main thread costs 60 µs and
// more, see the README), and they cannot panic. Their strings are static
// storage, as the header promises. (C definitions cannot live in a file with
// //export directives.)

// MCP_STATIC_API exports these C definitions from the DLL on Windows, where
// only //export functions are exported unless marked (elsewhere every
// non-static function is visible, and the version script chooses).
#ifdef _WIN32
#define MCP_STATIC_API __declspec(dllexport)
#else
#define MCP_STATIC_API
#endif

// mcp_oauth_version: a copy of the VERSION file (packaging/set-version.sh).
MCP_STATIC_API const char *mcp_oauth_version(void) { return "0.2.0"; }

MCP_STATIC_API const char *mcp_oauth_strerror(int code) {
	switch (code) {
	case 0: return "ok";
	case -1: return "invalid argument";
	case -2: return "bad handle";
	case -3: return "invalid configuration";
	case -4: return "network error";
	case -5: return "timed out";
	case -6: return "authorization server returned an OAuth error";
	case -7: return "protocol error";
	case -8: return "state mismatch";
	case -9: return "authorization denied";
	case -10: return "authorization required";
	case -11: return "issuer mismatch";
	case -12: return "unsupported operation";
	case -13: return "internal error";
	case -14: return "server error";
	case -15: return "MCP error";
	case -16: return "authorization discovery failed";
	case -17: return "resource mismatch";
	case -18: return "client registration failed";
	case -19: return "insufficient scope";
	case -20: return "cancelled";
	case -21: return "access token rejected by the MCP server";
	}
	return "unknown status";
}

// mcp_oauth_string_free releases strings the Go side allocated with
// C.CString (malloc); NULL is a no-op, as with free().
MCP_STATIC_API void mcp_oauth_string_free(char *s) { free(s); }
*/
import "C"
