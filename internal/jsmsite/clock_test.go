package jsmsite

import (
	"sync"
	"testing"
	"time"
)

// testClock is a clock for Config.Now that moves only when a test moves
// it, so that answers depending on time passing are exact.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func newTestClock(t time.Time) *testClock { return &testClock{t: t} }

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *testClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// newClockedFixture is newFixture with the site on a testClock, standing
// at a fixed time until the test moves it.
func newClockedFixture(t *testing.T, start time.Time) (*fixture, *testClock) {
	t.Helper()
	clock := newTestClock(start)
	return newFixture(t, Config{Email: testEmail, APIToken: testToken, AccessToken: testBearer, Now: clock.Now}), clock
}
