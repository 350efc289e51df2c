//go:build unix

package main

/*
#include <stdlib.h>
*/
import "C"

import (
	"unsafe"

	"github.com/mcp-oauth-client/mcp-oauth-client/core"
)

// The proxy variables (HTTPS_PROXY, NO_PROXY, ...) are read at each request
// from the host process's environment as it is then — what setenv(),
// Python's os.environ and Node's process.env set — not from the copy Go's
// runtime took when the library loaded.
func init() { core.SetGetenv(hostGetenv) }

// hostGetenv is the C library's getenv(name), copied.
func hostGetenv(name string) string {
	cs := C.CString(name)
	defer C.free(unsafe.Pointer(cs))
	v := C.getenv(cs)
	if v == nil {
		return ""
	}
	return C.GoString(v)
}
