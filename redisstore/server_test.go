package redisstore

import (
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/stretchr/testify/require"
)

// redisServer is a redis-server (Debian's package; `make test` installs it
// when absent) on a loopback port of its own, with its files in a
// temporary directory, stopped at the end of the test.
type redisServer struct {
	t    *testing.T
	port int
	dir  string
	cmd  *exec.Cmd
}

// URL is the server's redis:// URL.
func (r *redisServer) URL() string { return fmt.Sprintf("redis://127.0.0.1:%d/0", r.port) }

func startRedis(t *testing.T) *redisServer {
	t.Helper()
	if _, err := exec.LookPath("redis-server"); err != nil {
		if os.Getenv("MCP_OAUTH_REQUIRE_REDIS") != "" {
			t.Fatal("redis-server is not installed (make test-go installs it)")
		}
		t.Skip("redis-server is not installed: apt-get install redis-server, or run make test-go")
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0") // an ephemeral port, free now
	require.NoError(t, err)
	r := &redisServer{t: t, port: ln.Addr().(*net.TCPAddr).Port, dir: t.TempDir()}
	ln.Close()
	r.start()
	t.Cleanup(r.stop)
	return r
}

// start runs the server and waits until it answers PING.
func (r *redisServer) start() {
	r.t.Helper()
	r.cmd = exec.Command("redis-server", "--port", strconv.Itoa(r.port), "--bind", "127.0.0.1",
		"--dir", r.dir, "--save", "", "--appendonly", "no", "--logfile", filepath.Join(r.dir, "log"))
	dieWithTest(r.cmd)
	require.NoError(r.t, r.cmd.Start())
	c := redis.NewClient(&redis.Options{Addr: fmt.Sprintf("127.0.0.1:%d", r.port), MaxRetries: -1})
	defer c.Close()
	require.Eventually(r.t, func() bool { return c.Ping(r.t.Context()).Err() == nil },
		10*time.Second, 5*time.Millisecond, "redis-server did not start; see %s/log", r.dir)
}

// stop kills the server and waits for it (a restart reuses the port).
func (r *redisServer) stop() {
	if r.cmd != nil && r.cmd.Process != nil {
		_ = r.cmd.Process.Kill()
		_ = r.cmd.Wait()
		r.cmd = nil
	}
}
