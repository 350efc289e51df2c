package keyringstore

import (
	"bufio"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/godbus/dbus/v5"
	"github.com/stretchr/testify/require"
)

// secretService is a private D-Bus session bus (dbus-daemon, from Debian's
// dbus package) and, unless asked for a bare bus, gnome-keyring-daemon on
// it with its login keyring created and unlocked with a known password, all
// in temporary directories: the user's own keyring is never touched. `make
// test-go` installs the tools and sets MCP_OAUTH_REQUIRE_KEYRING, so the
// tests fail there, rather than skip, without them.
type secretService struct {
	address string
	// home is the keyring daemon's $HOME (its keyring files are in it).
	home string
	env  []string
}

const keyringPassword = "test-password"

func startSecretService(t *testing.T, keyring bool) *secretService {
	t.Helper()
	for _, tool := range []string{"dbus-daemon", "gnome-keyring-daemon", "secret-tool"} {
		if _, err := exec.LookPath(tool); err != nil {
			if os.Getenv("MCP_OAUTH_REQUIRE_KEYRING") != "" {
				t.Fatalf("%s is not installed (make test-go installs dbus, gnome-keyring and libsecret-tools)", tool)
			}
			t.Skipf("%s is not installed: apt-get install dbus gnome-keyring libsecret-tools, or run make test-go", tool)
		}
	}
	// The socket's path must fit in sockaddr_un: a short directory.
	root, err := os.MkdirTemp("", "kr")
	require.NoError(t, err)
	t.Cleanup(func() { os.RemoveAll(root) })
	run, home := filepath.Join(root, "run"), filepath.Join(root, "home")
	require.NoError(t, os.Mkdir(run, 0o700))
	require.NoError(t, os.Mkdir(home, 0o700))
	conf := filepath.Join(root, "bus.conf")
	// No <servicedir>: nothing is activated on this bus.
	require.NoError(t, os.WriteFile(conf, []byte(`<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:dir=`+run+`</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
`), 0o600))
	bus := exec.Command("dbus-daemon", "--config-file="+conf, "--nofork", "--print-address=1")
	out, err := bus.StdoutPipe()
	require.NoError(t, err)
	start(t, bus)
	line, err := bufio.NewReader(out).ReadString('\n')
	require.NoError(t, err, "dbus-daemon printed no address")
	s := &secretService{address: strings.TrimSpace(line), home: home}
	s.env = append(os.Environ(), "DBUS_SESSION_BUS_ADDRESS="+s.address, "HOME="+home,
		"XDG_RUNTIME_DIR="+run, "XDG_DATA_HOME="+filepath.Join(home, "data"), "XDG_CONFIG_HOME="+filepath.Join(home, "config"))
	if keyring {
		// --unlock reads the login keyring's password on stdin and
		// creates the keyring, the collection of the alias "default".
		gk := exec.Command("gnome-keyring-daemon", "--foreground", "--unlock", "--components=secrets")
		gk.Env, gk.Stdin = s.env, strings.NewReader(keyringPassword)
		start(t, gk)
		conn, err := dbus.Connect(s.address)
		require.NoError(t, err)
		defer conn.Close()
		require.Eventually(t, func() bool {
			var coll dbus.ObjectPath
			err := conn.Object(ssBusName, ssPath).Call(ssService+".ReadAlias", 0, "default").Store(&coll)
			return err == nil && coll != noPrompt
		}, 10*time.Second, 10*time.Millisecond, "gnome-keyring-daemon did not serve its login keyring")
	}
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", s.address)
	return s
}

// start runs cmd until the end of the test; the kernel kills it if the
// test process dies first (a test binary killed by its -timeout runs no
// Cleanup).
func start(t *testing.T, cmd *exec.Cmd) {
	t.Helper()
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	require.NoError(t, cmd.Start())
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	})
}

// secretTool runs libsecret's secret-tool (an independent Secret Service
// client) on the bus.
func (s *secretService) secretTool(t *testing.T, stdin string, args ...string) string {
	t.Helper()
	cmd := exec.Command("secret-tool", args...)
	cmd.Env, cmd.Stdin = s.env, strings.NewReader(stdin)
	out, err := cmd.Output()
	require.NoError(t, err, "secret-tool %v", args)
	return string(out)
}
