package jsm

import (
	"context"
	"net/http"
	"testing"
	"time"
)

// Atlassian's points-based quota sends advisory Beta- headers: the client
// logs them with each answer, and waits as Retry-After says, never as
// Beta-Retry-After (Atlassian's rate-limiting page: honour Retry-After).
func TestRateLimit_betaHeadersLoggedNotHonoured(t *testing.T) {
	beta := []string{"Beta-RateLimit", `"tenant-app-quota";r=0;t=2107`, "Beta-RateLimit-Policy", `"tenant-app-quota";q=100100;w=3600`,
		"Beta-Retry-After", "600"}
	s := &rtScript{answers: []func(http.ResponseWriter, *http.Request){
		rtAnswer(429, append([]string{"Retry-After", "3", "RateLimit-Reason", "jira-quota-tenant-based"}, beta...)...),
		rtAnswer(429, beta...), // Beta-Retry-After alone: the client's own backoff
		rtAnswer(201, beta...),
	}}
	log := &recLogger{}
	c, w := newRetryClient(t, rtServe(t, s).URL, Config{Logger: log})
	if _, err := c.CreateCustomer(context.Background(), "A", "a@example.com"); err != nil {
		t.Fatal(err)
	}
	waits := w.all()
	if len(waits) != 2 || waits[0] < 3*time.Second || waits[0] > 4*time.Second || waits[1] >= time.Minute {
		t.Errorf("waits %v: want Retry-After's 3 s (+ up to 20 %%), then a backoff, never Beta-Retry-After's 600 s", waits)
	}
	logged := 0
	for _, l := range log.lines {
		if l.level == "DEBUG" && l.msg == "HTTP request" && l.fields["beta_ratelimit"] == `"tenant-app-quota";r=0;t=2107` &&
			l.fields["beta_ratelimit_policy"] == `"tenant-app-quota";q=100100;w=3600` && l.fields["beta_retry_after"] == "600" {
			logged++
		}
	}
	if logged != 3 {
		t.Errorf("%d of 3 answers logged with their Beta- headers: %v", logged, log.lines)
	}
}
