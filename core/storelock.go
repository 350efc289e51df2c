//go:build unix

package core

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

// Several processes sharing one token store (token_store_dir), such as
// worker processes started together or concurrent runs of the command-line
// tool, coordinate through an advisory lock per entry: a process takes the
// entry's lock before it registers a client or requests a token, re-reads
// the entry under the lock, and uses what another process stored meanwhile
// instead of asking the authorization server again. The lock is flock(2) on
// a 0600 file beside the entry; the kernel releases it when its holder
// exits or is killed, so a crashed process never blocks the others.

// lockPoll bounds the sleep between attempts to take a held lock.
const (
	lockPollMin = 2 * time.Millisecond
	lockPollMax = 25 * time.Millisecond
)

// errLockTimeout is returned by [FileStore.Lock] when the lock stayed held
// for the whole wait.
var errLockTimeout = errors.New("mcp-oauth: token store: timed out waiting for another process's lock")

// Lock takes the exclusive lock of k's entry, waiting at most wait (and no
// longer than ctx allows), and returns the function that releases it.
func (s *FileStore) Lock(ctx context.Context, k StoreKey, wait time.Duration) (unlock func(), err error) {
	if err := s.ensureDir(); err != nil {
		return nil, err
	}
	name := strings.TrimSuffix(s.path(k), ".json") + ".lock"
	f, err := os.OpenFile(name, os.O_RDWR|os.O_CREATE|oNoFollow, 0o600)
	if err != nil {
		return nil, fmt.Errorf("mcp-oauth: token store: %w", symlinkError(filepath.Base(name), err))
	}
	if err := ownedFile(f); err != nil {
		f.Close()
		return nil, fmt.Errorf("mcp-oauth: token store: %w", err)
	}
	deadline := time.Now().Add(wait)
	for poll := lockPollMin; ; poll = min(2*poll, lockPollMax) {
		err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		if err == nil {
			return func() { f.Close() }, nil // closing the file releases the lock
		}
		if !errors.Is(err, syscall.EWOULDBLOCK) && !errors.Is(err, syscall.EINTR) {
			f.Close()
			return nil, fmt.Errorf("mcp-oauth: token store: lock: %w", err)
		}
		if time.Now().Add(poll).After(deadline) {
			f.Close()
			return nil, errLockTimeout
		}
		t := time.NewTimer(poll)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			f.Close()
			return nil, ctx.Err()
		}
	}
}
