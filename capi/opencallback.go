package main

/*
#include <stdlib.h>
typedef struct mcp_oauth mcp_oauth;
typedef int (*mcp_oauth_open_fn)(void *userdata, const char *url);

// cgo cannot call a C function pointer: this does.
static int call_open_fn(mcp_oauth_open_fn fn, void *userdata, const char *url) {
	return fn(userdata, url);
}
*/
import "C"

import (
	"unsafe"

	"github.com/mcp-oauth-client/mcp-oauth-client/core"
)

//export mcp_oauth_authorize_interactive_callback
func mcp_oauth_authorize_interactive_callback(h *C.mcp_oauth, open C.mcp_oauth_open_fn, userdata unsafe.Pointer, timeoutSeconds C.double, outErr **C.char) (rc C.int) {
	defer guard(&rc, outErr)
	clearOut(outErr)
	return authorizeInteractive(h, func() (func(string) error, error) {
		if open == nil {
			return nil, errArg("open is NULL")
		}
		return core.FuncOpener(func(u string) bool {
			cu := C.CString(u)
			defer C.free(unsafe.Pointer(cu))
			return C.call_open_fn(open, userdata, cu) == 0
		}), nil
	}, timeoutSeconds, outErr)
}
