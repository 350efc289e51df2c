// Package redisstore is a [core.Store] on Redis or Valkey, for fleets: the
// processes of many hosts share each credential's tokens, so that the fleet
// makes one token request per credential, and a rotated refresh token
// (RFC 6749 §6, §10.4) is never presented twice. Importing the package
// registers it for config token_store URLs of the schemes redis and rediss
// (the C library, the CLI and the bindings import it).
//
// Files:
//   - store.go: opening (one client per URL and key in a process), the
//     entries (Load, Save, List, Delete) and their key names.
//   - lock.go: the lease lock of an entry (SET NX PX with a random owner,
//     renewed while held, released by a compare-and-delete script).
//   - seal.go: AES-256-GCM encryption of the entries at rest.
//
// # The protocol
//
// A manager whose token is missing or due takes the entry's lease lock,
// re-reads the entry under it and adopts a fresh access token or the latest
// refresh token that another host stored; only when neither serves does it
// request a token, then saves the result before it unlocks. Hosts waiting
// for the lock poll it (2 to 25 ms) and then read the winner's token. A
// holder that dies stops renewing its lease and the lock expires after
// LockLease. The cached path never reaches Redis: a manager reads it only on
// a miss or once its token is due. When Redis cannot be reached, Lock
// returns a [core.NetworkError] and the manager follows token_store_fallback;
// the client reconnects on its own when Redis returns.
//
// # Why go-redis
//
// github.com/redis/go-redis/v9 over github.com/valkey-io/valkey-go: the
// store needs a handful of commands on a small connection pool that opens
// connections only when used (an idle process keeps none), scripts run by
// SHA with EVAL fallback (redis.Script), and the redis:// and rediss://
// URL syntax fleets already use in their configuration (redis.ParseURL,
// including TLS, user and password). valkey-go's strengths — client-side
// caching over RESP3 tracking and automatic pipelining — serve read-heavy
// workloads, and the store reads Redis only on a miss or once a token is
// due, while its client keeps a dedicated connection and background
// goroutines per client. go-redis speaks to Valkey as well (Valkey keeps
// the Redis protocol).
package redisstore
