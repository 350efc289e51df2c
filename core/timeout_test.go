package core

import (
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestTimeoutFromSeconds: +Inf is no timeout, huge values are clamped
// instead of overflowing into an instant expiry, NaN and negatives are
// refused (issue 12 item 8).
func TestTimeoutFromSeconds(t *testing.T) {
	const def = 300 * time.Second
	for _, tc := range []struct {
		secs float64
		want time.Duration
	}{
		{0, def},
		{1.5, 1500 * time.Millisecond},
		{3600, time.Hour},
		{1e9, 1e9 * time.Second},
		{1e10, NoTimeout},
		{1e300, NoTimeout},
		{math.MaxFloat64, NoTimeout},
		{math.Inf(1), NoTimeout},
		{float64(math.MaxInt64) / 1e9, NoTimeout},
	} {
		got, err := TimeoutFromSeconds(tc.secs, def)
		require.NoError(t, err, "%g", tc.secs)
		assert.Equal(t, tc.want, got, "%g", tc.secs)
		assert.Positive(t, got, "%g", tc.secs)
	}
	for _, secs := range []float64{math.NaN(), -1, -1e-9, math.Inf(-1)} {
		_, err := TimeoutFromSeconds(secs, def)
		assert.ErrorIs(t, err, ErrInvalidTimeout, "%g", secs)
	}
}
