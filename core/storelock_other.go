//go:build !unix

package core

import (
	"context"
	"time"
)

// Lock is a no-op where flock(2) does not exist: processes sharing a token
// store there do not coordinate, and each may request its own token.
func (s *FileStore) Lock(context.Context, StoreKey, time.Duration) (func(), error) {
	return func() {}, nil
}
