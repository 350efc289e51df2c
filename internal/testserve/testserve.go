// Package testserve holds what the test servers (packages oauthtest and
// mcptest) and their commands (oauth-test-server, mcp-test-server) share:
// serving a handler so that Close waits for every handler, the optional
// request log, the base URL of a listener and the life of a command that
// prints where it serves and runs until it is told to stop.
package testserve

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strconv"
	"sync"
	"syscall"
	"time"
)

// Tracker counts the running handlers of a server so that Close can wait
// for them, refuses requests once closing has begun and writes the optional
// request log. The zero value, with no log, is ready to use; Log must not
// change once Wrap has been called. All methods are safe for concurrent use.
type Tracker struct {
	// Log, when non-nil, receives one line per request: method, path,
	// status ("-" if the handler wrote none) and duration. It never holds
	// headers, queries nor bodies, so no token nor secret.
	Log io.Writer

	mu       sync.Mutex
	closing  bool
	handlers sync.WaitGroup // Add only under mu while !closing
}

// Wrap returns next wrapped so that it is counted and logged, and answered
// 503 once BeginClose has been called.
func (t *Tracker) Wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		t.mu.Lock()
		if t.closing {
			t.mu.Unlock()
			http.Error(w, "server closing", http.StatusServiceUnavailable)
			return
		}
		t.handlers.Add(1)
		t.mu.Unlock()
		defer t.handlers.Done()

		if t.Log == nil {
			next.ServeHTTP(w, r)
			return
		}
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w}
		defer func() { // also runs when the handler aborts
			status := "-" // hijacked, or aborted without a response
			if rec.status != 0 {
				status = strconv.Itoa(rec.status)
			}
			fmt.Fprintf(t.Log, "%s %s %s %s\n", r.Method, r.URL.Path, status, time.Since(start).Round(time.Microsecond))
		}()
		next.ServeHTTP(rec, r)
	})
}

// BeginClose makes the wrapped handlers refuse every later request.
func (t *Tracker) BeginClose() {
	t.mu.Lock()
	t.closing = true
	t.mu.Unlock()
}

// Wait returns once every handler admitted before BeginClose has returned.
// It must be called after BeginClose.
func (t *Tracker) Wait() { t.handlers.Wait() }

// statusRecorder remembers the status code written through it.
type statusRecorder struct {
	http.ResponseWriter
	status int
}

// WriteHeader records the first status written.
func (r *statusRecorder) WriteHeader(code int) {
	if r.status == 0 {
		r.status = code
	}
	r.ResponseWriter.WriteHeader(code)
}

// Write records the implicit 200 of a body written without WriteHeader.
func (r *statusRecorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	return r.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the underlying writer, which
// implements http.Hijacker and http.Flusher (the MCP transports flush).
func (r *statusRecorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

// Server is an http.Server serving a tracked handler on a listener.
type Server struct {
	tracker    Tracker
	httpServer *http.Server
	served     chan struct{} // closed when Serve returns
	stop       context.CancelFunc
	closeOnce  sync.Once
}

// Start serves h, wrapped by a Tracker writing to log (which may be nil),
// on ln until Close. The contexts of the requests end when Close is called.
func Start(ln net.Listener, h http.Handler, log io.Writer) *Server {
	ctx, stop := context.WithCancel(context.Background())
	s := &Server{served: make(chan struct{}), stop: stop}
	s.tracker.Log = log
	s.httpServer = &http.Server{
		Handler:           s.tracker.Wrap(h),
		ReadHeaderTimeout: 10 * time.Second,
		BaseContext:       func(net.Listener) context.Context { return ctx },
	}
	go func() {
		defer close(s.served)
		_ = s.httpServer.Serve(ln) // always http.ErrServerClosed after Close
	}()
	return s
}

// Close stops the server: it refuses new requests, closes every connection,
// ends the requests' contexts, so that handlers that hang or sleep abort,
// and returns once all handlers have returned. Close may be called more than
// once.
func (s *Server) Close() {
	s.closeOnce.Do(func() {
		s.tracker.BeginClose()
		_ = s.httpServer.Close()
		s.stop()
		<-s.served
		s.tracker.Wait()
	})
}

// BaseURL returns the http URL of a TCP listener address. An unspecified
// address (0.0.0.0, ::), which Go listens on in dual-stack mode, is replaced
// by 127.0.0.1 so that the URL can be dialled.
func BaseURL(addr net.Addr) string {
	tcp := addr.(*net.TCPAddr)
	ip := tcp.IP
	if ip.IsUnspecified() {
		ip = net.IPv4(127, 0, 0, 1)
	}
	return "http://" + net.JoinHostPort(ip.String(), strconv.Itoa(tcp.Port))
}

// RunFunc is the body of a command: it runs with the command line
// arguments (without the program name) and the standard streams until ctx
// is done, and returns the process exit status.
type RunFunc func(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int

// Main runs run with the process's arguments and streams and a context that
// ends on SIGINT or SIGTERM, and exits with the status it returns.
func Main(run RunFunc) {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// Announce writes line and a newline to stdout, then waits until ctx is done
// or, when watchStdin is set, stdin reaches end of file (or fails), so that a
// command dies with the harness that started it. It returns the exit status:
// 0, or 1 when line cannot be written, after writing "what: error" to
// stderr.
func Announce(ctx context.Context, line, what string, watchStdin bool, stdin io.Reader, stdout, stderr io.Writer) int {
	if _, err := fmt.Fprintln(stdout, line); err != nil {
		fmt.Fprintln(stderr, what+":", err)
		return 1
	}
	if watchStdin {
		var cancel context.CancelFunc
		ctx, cancel = context.WithCancel(ctx)
		defer cancel()
		go func() {
			_, _ = io.Copy(io.Discard, stdin)
			cancel()
		}()
	}
	<-ctx.Done()
	return 0
}

// ParseFlags parses args with fs, whose output receives errors and usage,
// and refuses positional arguments, reporting them as "name: unexpected
// argument" followed by the usage.
func ParseFlags(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		err := fmt.Errorf("unexpected argument %q", fs.Arg(0))
		fmt.Fprintln(fs.Output(), fs.Name()+":", err)
		fs.Usage()
		return err
	}
	return nil
}

// FlagExitCode returns the exit status of a command whose flags failed to
// parse with err: 0 for -help (flag.ErrHelp), 2 otherwise.
func FlagExitCode(err error) int {
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	return 2
}
