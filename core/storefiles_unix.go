//go:build unix

package core

import (
	"errors"
	"fmt"
	"os"
	"syscall"
)

// oNoFollow makes open(2) fail on a symbolic link instead of following it.
const oNoFollow = syscall.O_NOFOLLOW

// symlinkError turns open(2)'s ELOOP under O_NOFOLLOW into a clear error.
func symlinkError(name string, err error) error {
	if errors.Is(err, syscall.ELOOP) {
		return fmt.Errorf("%s is a symbolic link; the token store refuses it", name)
	}
	return err
}

// checkOwner refuses a file or directory that the effective user does not
// own: another user who can plant a file there could feed this program
// tokens, or read what it writes.
func checkOwner(name string, info os.FileInfo) error {
	st, ok := info.Sys().(*syscall.Stat_t)
	if ok && int(st.Uid) != os.Geteuid() {
		return fmt.Errorf("%s is owned by uid %d, not by this user (uid %d); the token store refuses it", name, st.Uid, os.Geteuid())
	}
	return nil
}
