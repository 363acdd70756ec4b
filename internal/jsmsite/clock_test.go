package jsmsite

import (
	"testing"
	"time"

	"github.com/jsmtf/terraform-provider-jsm/internal/testclock"
)

// newClockedFixture is newFixture with the site on a testClock, standing
// at a fixed time until the test moves it.
func newClockedFixture(t *testing.T, start time.Time) (*fixture, *testclock.Clock) {
	t.Helper()
	clock := testclock.New(start)
	return newFixture(t, Config{Email: testEmail, APIToken: testToken, AccessToken: testBearer, Now: clock.Now}), clock
}
