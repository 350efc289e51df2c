package core

import (
	"errors"
	"math"
	"time"
)

// NoTimeout is the Duration [TimeoutFromSeconds] returns for +Inf: no
// bound (the longest Duration, about 292 years, which no timer reaches).
const NoTimeout time.Duration = math.MaxInt64

// ErrInvalidTimeout: a timeout that is NaN or negative.
var ErrInvalidTimeout = errors.New("mcp-oauth: timeout_seconds must be a number of seconds >= 0 (+Inf: no timeout), not NaN or negative")

// TimeoutFromSeconds turns a caller's timeout in seconds into a Duration,
// the one rule for every front end: 0 means def, +Inf means [NoTimeout],
// a value too large for a Duration is clamped to [NoTimeout] (a plain
// conversion would overflow into a negative Duration that expires at
// once), and NaN or a negative value is [ErrInvalidTimeout].
func TimeoutFromSeconds(secs float64, def time.Duration) (time.Duration, error) {
	switch {
	case math.IsNaN(secs) || secs < 0:
		return 0, ErrInvalidTimeout
	case secs == 0:
		return def, nil
	case secs >= float64(NoTimeout)/float64(time.Second):
		return NoTimeout, nil
	}
	return time.Duration(secs * float64(time.Second)), nil
}
