package provider

import "time"

// Acceptance tests inject 503s and lost answers by the hundred: back off
// for milliseconds, not seconds. Retry-After from the site is still honoured.
func init() {
	testRetryWait.min, testRetryWait.max = 10*time.Millisecond, 200*time.Millisecond
}
