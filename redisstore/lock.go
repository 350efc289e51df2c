package redisstore

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/mcp-oauth-client/mcp-oauth-client/core"
)

// The lease lock of an entry: SET name:lock owner NX PX lease, where owner
// is 128 random bits, so that only its holder can renew or release it
// (compare-and-expire, compare-and-delete, each one atomic script). While
// held it is renewed every lease/3; a holder that dies stops renewing and
// the lock expires. This is the single-instance lock of the Redis
// documentation ("Distributed Locks with Redis"), not Redlock: it is as
// available as the one Redis or Valkey server (or its failover) behind the
// URL.

var (
	renewScript = redis.NewScript(`if redis.call("GET", KEYS[1]) == ARGV[1] then
  return redis.call("PEXPIRE", KEYS[1], ARGV[2]) end
return 0`)
	releaseScript = redis.NewScript(`if redis.call("GET", KEYS[1]) == ARGV[1] then
  return redis.call("DEL", KEYS[1]) end
return 0`)
)

// Poll bounds between attempts to take a held lock.
const (
	pollMin = 2 * time.Millisecond
	pollMax = 25 * time.Millisecond
)

// errLockTimeout: the lock stayed held for the whole wait.
var errLockTimeout = errors.New("mcp-oauth: token store: timed out waiting for another host's lock")

// Lock takes the lease lock of k's entry, waiting at most wait (and no
// longer than ctx allows), and returns the function that releases it. A
// failure to reach Redis is a [*core.NetworkError].
func (s *Store) Lock(ctx context.Context, k core.StoreKey, wait time.Duration) (unlock func(), err error) {
	name := entryName(k) + ":lock"
	var b [16]byte
	_, _ = rand.Read(b[:])
	owner := hex.EncodeToString(b[:])
	deadline := time.Now().Add(wait)
	for poll := pollMin; ; poll = min(2*poll, pollMax) {
		octx, cancel := opContext()
		ok, err := s.rdb.SetNX(octx, name, owner, s.lease).Result()
		cancel()
		if err != nil {
			return nil, unavailable(err)
		}
		if ok {
			return s.hold(name, owner), nil
		}
		if time.Now().Add(poll).After(deadline) {
			return nil, errLockTimeout
		}
		t := time.NewTimer(poll)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			return nil, ctx.Err()
		}
	}
}

// hold renews the lock every lease/3 until the returned function releases
// it.
func (s *Store) hold(name, owner string) func() {
	stop, stopped := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(stopped)
		t := time.NewTicker(s.lease / 3)
		defer t.Stop()
		for {
			select {
			case <-stop:
				return
			case <-t.C:
				ctx, cancel := opContext()
				_ = renewScript.Run(ctx, s.rdb, []string{name}, owner, s.lease.Milliseconds()).Err()
				cancel()
			}
		}
	}()
	return func() {
		close(stop)
		<-stopped
		ctx, cancel := opContext()
		defer cancel()
		_ = releaseScript.Run(ctx, s.rdb, []string{name}, owner).Err()
	}
}
