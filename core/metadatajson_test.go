package core

import (
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestLenientMetadataMembers(t *testing.T) {
	type doc struct {
		L strList  `json:"l"`
		B flexBool `json:"b"`
		N flexInt  `json:"n"`
	}
	tests := []struct {
		in      string
		want    doc
		wantErr bool
	}{
		{`{"l":["a","b"],"b":true,"n":5}`, doc{L: strList{"a", "b"}, B: true, N: 5}, false},
		{`{"l":"a  b","b":"TRUE","n":"7"}`, doc{L: strList{"a", "b"}, B: true, N: 7}, false},
		{`{"l":null,"b":null,"n":null}`, doc{}, false},
		{`{"b":"yes","n":1.9}`, doc{N: 1}, false},
		{`{"b":1}`, doc{}, false},
		{`{"l":[1]}`, doc{}, true},
		{`{"l":{}}`, doc{}, true},
		{`{"n":"NaN"}`, doc{}, true},
		{`{"n":"1e300"}`, doc{}, true},
		{`{"n":true}`, doc{}, true},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			var got doc
			err := json.Unmarshal([]byte(tc.in), &got)
			if tc.wantErr {
				require.ErrorIs(t, err, errWrongType)
				me := decodeMetadata(docASM, "https://as.example.com/x", []byte(tc.in), &got)
				assert.ErrorContains(t, me, "wrong type")
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.want, got)
		})
	}
}

func TestNoRedirectClient(t *testing.T) {
	base := &http.Client{Timeout: 3 * time.Second}
	c := noRedirectClient(base)
	assert.Equal(t, 3*time.Second, c.Timeout)
	assert.Nil(t, base.CheckRedirect, "the caller's client is not modified")
	assert.Equal(t, DefaultHTTPTimeout, noRedirectClient(&http.Client{}).Timeout, "never unbounded")
	assert.Equal(t, DefaultHTTPTimeout, noRedirectClient(nil).Timeout)
}
