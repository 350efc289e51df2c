package main

/*
// The strings below are static storage, as the header promises for
// mcp_oauth_version and mcp_oauth_strerror. (C definitions cannot live in a
// file with //export directives.)

static const char *status_text(int code) {
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
	}
	return "unknown status";
}
static const char *library_version = "0.1.0";

// library_version must equal MCP_OAUTH_VERSION in include/mcp_oauth.h.
static const char *get_library_version(void) { return library_version; }
*/
import "C"

// libraryVersion returns the static version string.
func libraryVersion() *C.char { return C.get_library_version() }

// statusText returns the static description of a status code.
func statusText(code C.int) *C.char { return C.status_text(code) }
