//go:build unix

package main

/*
#if defined(__APPLE__)
#include <crt_externs.h>
static char **host_environ(void) { return *_NSGetEnviron(); }
#else
extern char **environ;
static char **host_environ(void) { return environ; }
#endif
*/
import "C"

import "unsafe"

// hostEnviron returns the host process's environment as it is now: the C
// library's `environ`, which setenv(), Python's os.environ and Node's
// process.env change. Go's runtime copies the environment once, when the
// library is loaded, so os.Environ() misses what the host set or removed
// since. Another thread's setenv() during the copy is as unsafe as it is for
// any C code reading environ.
func hostEnviron() []string {
	var env []string
	for p := C.host_environ(); p != nil && *p != nil; p = (**C.char)(unsafe.Add(unsafe.Pointer(p), unsafe.Sizeof(*p))) {
		env = append(env, C.GoString(*p))
	}
	return env
}
