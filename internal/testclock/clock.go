// Package testclock is a clock that moves only when a test moves it, for
// the clocks the code lets tests set (jsmsite.Config.Now, the pacer's and
// the run state's now): what depends on time passing is then exact,
// whatever the machine's speed.
package testclock

import (
	"sync"
	"time"
)

// Clock stands at one time until Advance moves it; safe for concurrent use.
type Clock struct {
	mu sync.Mutex
	t  time.Time
}

// New is a clock standing at t.
func New(t time.Time) *Clock { return &Clock{t: t} }

// Now is the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// Advance moves the clock forward by d.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}
