// Package servetest holds test helpers shared by the tests of the test
// servers and of their commands.
package servetest

import (
	"bytes"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// SyncBuffer is a bytes.Buffer safe for concurrent use, for a request log
// or a command's stderr written by server goroutines.
type SyncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

// Write appends p to the buffer.
func (b *SyncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

// String returns what has been written so far.
func (b *SyncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// FlagCase is one case of a test of a command's flag parsing: parsing Args
// must fail if WantErr is set, and yield Want otherwise.
type FlagCase[T any] struct {
	Name    string
	Args    []string
	Want    T
	WantErr bool
}

// TestFlags runs each case as a subtest of t, parsing its arguments with
// parse.
func TestFlags[T any](t *testing.T, cases []FlagCase[T], parse func(args []string) (T, error)) {
	t.Helper()
	for _, tt := range cases {
		t.Run(tt.Name, func(t *testing.T) {
			got, err := parse(tt.Args)
			if tt.WantErr {
				assert.Error(t, err)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.Want, got)
		})
	}
}
