//go:build !windows && !darwin

package keyringstore

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/godbus/dbus/v5"
)

// A client of the freedesktop Secret Service API (version 0.2) on the
// D-Bus session bus, as gnome-keyring, KeePassXC and KWallet serve it: one
// connection and one encrypted session per store operation (operations
// are rare: a token cache miss, or a token due for refresh), so an idle
// process holds no connection.

const (
	ssBusName    = "org.freedesktop.secrets"
	ssPath       = dbus.ObjectPath("/org/freedesktop/secrets")
	ssService    = "org.freedesktop.Secret.Service"
	ssCollection = "org.freedesktop.Secret.Collection"
	ssItem       = "org.freedesktop.Secret.Item"
	ssSession    = "org.freedesktop.Secret.Session"
	ssPrompt     = "org.freedesktop.Secret.Prompt"
	// noPrompt is the path the service returns when no prompt is needed.
	noPrompt = dbus.ObjectPath("/")
)

// opTimeout bounds each store operation on the bus (connection, session
// and calls). A service started by D-Bus activation gets this long to
// come up.
const opTimeout = 10 * time.Second

// secret is the Secret structure of the API, (oayays).
type secret struct {
	Session     dbus.ObjectPath
	Parameters  []byte // the IV
	Value       []byte // the encrypted secret
	ContentType string
}

// errLocked refuses an operation on a locked keyring that only a prompt
// could unlock: a library cannot show one on behalf of a process that may
// have no user before it.
var errLocked = errors.New("mcp-oauth: token store: the keyring is locked and unlocking it needs the user " +
	"(a password prompt this program does not show); unlock it — log in to the desktop session, or open " +
	"it in your keyring manager — and retry")

// busAddress is the session bus's address: DBUS_SESSION_BUS_ADDRESS, else
// the per-user bus socket $XDG_RUNTIME_DIR/bus (systemd's user bus), else
// "" (no bus). Unlike godbus's own lookup, it never autolaunches a bus.
func busAddress() string {
	if a := os.Getenv("DBUS_SESSION_BUS_ADDRESS"); a != "" {
		return a
	}
	if dir := os.Getenv("XDG_RUNTIME_DIR"); dir != "" {
		sock := filepath.Join(dir, "bus")
		if info, err := os.Stat(sock); err == nil && info.Mode().Type() == os.ModeSocket {
			return "unix:path=" + sock
		}
	}
	return ""
}

// client is one connection with an open session.
type client struct {
	ctx     context.Context
	conn    *dbus.Conn
	session dbus.ObjectPath
	key     []byte
}

// connect opens a connection to the bus at address and an encrypted
// session with the Secret Service. A bus that cannot be reached, or that
// has no Secret Service (none running, none activatable), is an
// *errNoService.
func connect(ctx context.Context, address string) (*client, error) {
	if address == "" {
		return nil, &errNoService{"no D-Bus session bus (DBUS_SESSION_BUS_ADDRESS is not set)"}
	}
	conn, err := dialBus(ctx, address)
	if err != nil {
		return nil, &errNoService{"cannot connect to the D-Bus session bus: " + err.Error()}
	}
	c := &client{ctx: ctx, conn: conn}
	dh, err := newDHKey()
	if err != nil {
		conn.Close()
		return nil, err
	}
	var output dbus.Variant
	err = c.call(ssPath, ssService+".OpenSession", dhAlgorithm, dbus.MakeVariant(dh.pub)).Store(&output, &c.session)
	var derr dbus.Error
	if errors.As(err, &derr) && (derr.Name == "org.freedesktop.DBus.Error.ServiceUnknown" ||
		derr.Name == "org.freedesktop.DBus.Error.NameHasNoOwner") {
		conn.Close()
		return nil, &errNoService{"no Secret Service on the D-Bus session bus (" + ssBusName + " is not running)"}
	}
	if err != nil {
		conn.Close()
		return nil, fmt.Errorf("mcp-oauth: token store: the Secret Service refused a session (%s): %w", dhAlgorithm, err)
	}
	peer, ok := output.Value().([]byte)
	if ok {
		c.key, err = dh.sessionKey(peer)
	}
	if !ok || err != nil {
		c.close()
		return nil, errors.New("mcp-oauth: token store: the Secret Service answered OpenSession without a valid public key")
	}
	return c, nil
}

// dialBus connects and authenticates to the bus, within ctx (godbus's
// handshake itself has no deadline).
func dialBus(ctx context.Context, address string) (*dbus.Conn, error) {
	type result struct {
		conn *dbus.Conn
		err  error
	}
	done := make(chan result, 1)
	go func() {
		conn, err := dbus.Connect(address)
		done <- result{conn, err}
	}()
	select {
	case r := <-done:
		return r.conn, r.err
	case <-ctx.Done():
		go func() { // close the connection whenever the handshake ends
			if r := <-done; r.conn != nil {
				r.conn.Close()
			}
		}()
		return nil, errors.New("timed out")
	}
}

// close ends the session and the connection.
func (c *client) close() {
	if c.session != "" {
		_ = c.call(c.session, ssSession+".Close").Err
	}
	c.conn.Close()
}

func (c *client) call(path dbus.ObjectPath, method string, args ...any) *dbus.Call {
	return c.conn.Object(ssBusName, path).CallWithContext(c.ctx, method, 0, args...)
}

// search returns the items whose attributes include attrs, unlocked first:
// locked ones are unlocked if that needs no prompt, else errLocked.
func (c *client) search(attrs map[string]string) ([]dbus.ObjectPath, error) {
	var unlocked, locked []dbus.ObjectPath
	if err := c.call(ssPath, ssService+".SearchItems", attrs).Store(&unlocked, &locked); err != nil {
		return nil, fmt.Errorf("mcp-oauth: token store: Secret Service SearchItems: %w", err)
	}
	if len(locked) > 0 {
		opened, err := c.unlock(locked)
		if err != nil {
			return nil, err
		}
		unlocked = append(unlocked, opened...)
	}
	return unlocked, nil
}

// unlock unlocks objects (items or collections) when the service can do it
// without a prompt; a prompt it would need is dismissed and errLocked
// returned.
func (c *client) unlock(objects []dbus.ObjectPath) ([]dbus.ObjectPath, error) {
	var unlocked []dbus.ObjectPath
	var prompt dbus.ObjectPath
	if err := c.call(ssPath, ssService+".Unlock", objects).Store(&unlocked, &prompt); err != nil {
		return nil, fmt.Errorf("mcp-oauth: token store: Secret Service Unlock: %w", err)
	}
	if prompt != noPrompt {
		_ = c.call(prompt, ssPrompt+".Dismiss").Err
		return nil, errLocked
	}
	return unlocked, nil
}

// secrets returns the secrets of items, decrypted.
func (c *client) secrets(items []dbus.ObjectPath) (map[dbus.ObjectPath][]byte, error) {
	var got map[dbus.ObjectPath]secret
	if err := c.call(ssPath, ssService+".GetSecrets", items, c.session).Store(&got); err != nil {
		return nil, fmt.Errorf("mcp-oauth: token store: Secret Service GetSecrets: %w", err)
	}
	out := make(map[dbus.ObjectPath][]byte, len(got))
	for path, s := range got {
		plain, err := decrypt(c.key, s.Parameters, s.Value)
		if err != nil {
			return nil, fmt.Errorf("mcp-oauth: token store: %w", err)
		}
		out[path] = plain
	}
	return out, nil
}

// defaultCollection is the collection of the alias "default" (the login
// keyring), unlocked.
func (c *client) defaultCollection() (dbus.ObjectPath, error) {
	var coll dbus.ObjectPath
	if err := c.call(ssPath, ssService+".ReadAlias", "default").Store(&coll); err != nil {
		return "", fmt.Errorf("mcp-oauth: token store: Secret Service ReadAlias: %w", err)
	}
	if coll == noPrompt {
		return "", errors.New("mcp-oauth: token store: the Secret Service has no default keyring " +
			"(collection alias \"default\"); create one in your keyring manager, or log in to the desktop session")
	}
	var locked dbus.Variant
	if err := c.call(coll, "org.freedesktop.DBus.Properties.Get", ssCollection, "Locked").Store(&locked); err != nil {
		return "", fmt.Errorf("mcp-oauth: token store: Secret Service: %w", err)
	}
	if isLocked, _ := locked.Value().(bool); isLocked {
		if _, err := c.unlock([]dbus.ObjectPath{coll}); err != nil {
			return "", err
		}
	}
	return coll, nil
}

// create stores plain as an item of collection coll with label and attrs,
// replacing the item with the same attributes.
func (c *client) create(coll dbus.ObjectPath, label string, attrs map[string]string, plain []byte) error {
	iv, value, err := encrypt(c.key, plain)
	if err != nil {
		return err
	}
	props := map[string]dbus.Variant{
		ssItem + ".Label":      dbus.MakeVariant(label),
		ssItem + ".Attributes": dbus.MakeVariant(attrs),
	}
	s := secret{Session: c.session, Parameters: iv, Value: value, ContentType: "application/json"}
	var item, prompt dbus.ObjectPath
	if err := c.call(coll, ssCollection+".CreateItem", props, s, true).Store(&item, &prompt); err != nil {
		return fmt.Errorf("mcp-oauth: token store: Secret Service CreateItem: %w", err)
	}
	if prompt != noPrompt {
		_ = c.call(prompt, ssPrompt+".Dismiss").Err
		return errLocked
	}
	return nil
}

// delete removes an item.
func (c *client) delete(item dbus.ObjectPath) error {
	var prompt dbus.ObjectPath
	if err := c.call(item, ssItem+".Delete").Store(&prompt); err != nil {
		return fmt.Errorf("mcp-oauth: token store: Secret Service Delete: %w", err)
	}
	if prompt != noPrompt {
		_ = c.call(prompt, ssPrompt+".Dismiss").Err
		return errLocked
	}
	return nil
}
