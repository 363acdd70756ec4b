package main

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// 8. Onboarding: a plan of -onboard-n new customers saved with -out, then
// the apply of that saved plan, against a fresh site that answers after
// -onboard-latency, next to the same two commands of the minimal provider:
// the plugin floor's configuration (cmd/nullprovider) whose Create waits the
// site's latency (BENCHNULL_CREATE_DELAY) and sends nothing. That is what
// cannot be avoided, one create request per customer; the ratio is the cost
// of everything else the provider does, chiefly the plan's look-ups of the
// emails it creates (at most planLookupLimit user searches, one permission
// check, one listing of every account). The jsm and minimal commands of each
// step run back to back, the order rotating from run to run.
func (e *env) onboard(rep *report) error {
	sm := samples{}
	rep.add("onboard", sm)
	v := terraformVersion(e.terraformBin)
	// Terraform 1.9 and later allow deferrals in every apply walk, which
	// tells the provider not to look up again (applyWalk in
	// internal/provider); older ones, OpenTofu, or a CLI whose version
	// cannot be told, look up again in the apply.
	e.onboardApplyLooksUp = !versionAtLeast(v, 1, 9)
	if e.onboardApplyLooksUp {
		e.logf("  Terraform %s: the apply's walk may look the emails up again (before 1.9, no deferral_allowed)", v)
	}
	for run := 0; run < e.runs; run++ {
		if err := e.onboardRun(rep, sm, run); err != nil {
			return err
		}
	}
	return nil
}

func (e *env) onboardRun(rep *report, sm samples, run int) error {
	n := e.onboardN
	dir := e.runDir("onboard", n, run)
	pdir, mdir := filepath.Join(dir, "jsm"), filepath.Join(dir, "minimal")
	if err := writeConfig(pdir, customersConfig, n); err != nil {
		return err
	}
	if err := writeConfig(mdir, pluginFloorConfig, n); err != nil {
		return err
	}
	s, err := e.startSite(dir, "-latency", e.onboardLatency.String())
	if err != nil {
		return err
	}
	defer s.stop()
	e.logf("  run %d/%d (N=%d, %s per request; minimal provider: %s per create)", run+1, e.runs, n, e.onboardLatency, e.onboardLatency)

	par := "-parallelism=" + strconv.Itoa(e.parallelism)
	minimalEnv := []string{"BENCHNULL_CREATE_DELAY=" + e.onboardLatency.String()}
	steps := []struct {
		key  string
		want int // -detailed-exitcode: 2, the plan has changes
		args []string
	}{
		{"plan", 2, []string{"plan", "-out=tfplan", "-detailed-exitcode", "-input=false", "-no-color", par}},
		{"apply", 0, []string{"apply", "-input=false", "-no-color", par, "tfplan"}},
	}
	routes := map[string]counts{}
	var jsmTotal, minTotal, jsmCPU, minCPU time.Duration
	for _, st := range steps {
		var p, m tfRun
		var pc, mc counts
		err := interleave(run, func() (err error) {
			p, pc, _, err = e.countedRun(s, e.terraformBin, pdir, st.key, nil, st.want, st.args...)
			return err
		}, func() (err error) {
			m, mc, _, err = e.countedRun(s, e.terraformBin, mdir, st.key, minimalEnv, st.want, st.args...)
			return err
		})
		if err != nil {
			return err
		}
		where := fmt.Sprintf("onboard N=%d %s", n, st.key)
		e.expectOnboardRequests(where, st.key, pc, n)
		if total := mc.total(nil, -1); total > 0 {
			e.violate("%s: the minimal provider sent %d API requests, want none: %v", where, total, mc)
		}
		for _, r := range []struct {
			who string
			run tfRun
		}{{"jsm", p}, {"minimal", m}} {
			if got := changedCount(st.key, r.run.log); got != n {
				e.violate("%s (%s): terraform says %d to add, want %d (%s)", where, r.who, got, n, r.run.log)
			}
		}
		routes[st.key] = pc
		jsmTotal += p.wall
		minTotal += m.wall
		jsmCPU += p.providerCPU
		minCPU += m.providerCPU
		k := st.key
		sm.add(k+".wall", p.wall.Seconds())
		sm.add(k+".min", m.wall.Seconds())
		sm.add(k+".ratio", p.wall.Seconds()/m.wall.Seconds())
		sm.add(k+".req", float64(pc.total(nil, -1)))
		sm.add(k+".search", float64(pc.total(routeIs(routeSearchUsers), -1)))
		sm.add(k+".check", float64(pc.total(routeIs(routeMyPermissions), -1)))
		sm.add(k+".pages", float64(pc.total(routeIs(routeAllUsers), -1)))
		sm.add(k+".create", float64(pc.total(routeIs(routeCreateCustomer), -1)))
		sm.add(k+".rss", float64(p.rssKiB))
		sm.add(k+".minrss", float64(m.rssKiB))
		sm.add(k+".pcpu", p.providerCPU.Seconds())
		sm.add(k+".mincpu", m.providerCPU.Seconds())
	}
	sm.add("both.wall", jsmTotal.Seconds())
	sm.add("both.min", minTotal.Seconds())
	sm.add("both.ratio", jsmTotal.Seconds()/minTotal.Seconds())
	sm.add("both.pcpu", jsmCPU.Seconds())
	sm.add("both.mincpu", minCPU.Seconds())
	for _, k := range []string{"req", "search", "check", "pages", "create"} {
		sm.add("both."+k, sm["plan."+k][len(sm["plan."+k])-1]+sm["apply."+k][len(sm["apply."+k])-1])
	}
	rep.onboardRoutes = routes
	return nil
}

// expectOnboardRequests checks the hard invariants of the onboard
// scenario's steps on a fresh site (no account holds the emails): no error
// answers, and nothing but
//   - plan: at most min(N, planLookupLimit) user searches (each email to
//     create, up to the provider's limit), at most one permission check
//     (the first search that finds no one asks whether the credential can
//     see accounts) and one listing of every account (a page per 1,000
//     accounts and the empty page that ends it; doubled, as
//     expectCustomerRequests allows, for short pages);
//   - apply of the saved plan: exactly N creates; on Terraform 1.9 or later
//     nothing else (the apply's walk allows deferrals and looks nothing up:
//     applyWalk); before 1.9 its walk may look up again, up to N searches,
//     one check and one listing.
func (e *env) expectOnboardRequests(where, step string, c counts, n int) {
	if bad := c.failed(); bad > 0 {
		e.violate("%s: the site answered %d requests with an error: %v", where, bad, c)
	}
	total := c.total(nil, -1)
	creates := c.total(routeIs(routeCreateCustomer), 201)
	searches := c.total(routeIs(routeSearchUsers), 200)
	checks := c.total(routeIs(routeMyPermissions), 200)
	pages, maxPages := c.total(routeIs(routeAllUsers), 200), 2*(n/1000+2)
	maxSearches, wantCreates := min(n, onboardPlanLookupLimit), 0
	if step == "apply" {
		wantCreates, maxSearches = n, 0
		if e.onboardApplyLooksUp {
			maxSearches = n
		} else {
			maxPages = 0
		}
	}
	maxChecks := 1
	if maxSearches == 0 {
		maxChecks = 0
	}
	if creates != wantCreates || searches > maxSearches || checks > maxChecks || pages > maxPages ||
		total != creates+searches+checks+pages {
		e.violate("%s: %d customers created, %d user searches, %d permission checks and %d account listing pages in %d "+
			"API requests, want %d, at most %d, at most %d, at most %d, and nothing else: %v", where, creates, searches, checks,
			pages, total, wantCreates, maxSearches, maxChecks, maxPages, c)
	}
}

// onboardPlanLookupLimit is the provider's planLookupLimit
// (internal/provider/run_state.go): the user searches one plan sends at
// most to predict creates.
const onboardPlanLookupLimit = 100

var (
	planAddLine  = regexp.MustCompile(`Plan: (\d+) to add`)
	applyAddLine = regexp.MustCompile(`Resources: (\d+) added`)
)

// changedCount reads from a plan's log how many resources it would add,
// from an apply's how many it added; -1 when the log cannot be read.
func changedCount(step, log string) int {
	b, err := os.ReadFile(log)
	if err != nil {
		return -1
	}
	re := applyAddLine
	if step == "plan" {
		re = planAddLine
	}
	m := re.FindSubmatch(b)
	if m == nil {
		return 0
	}
	v, _ := strconv.Atoi(string(m[1]))
	return v
}

// versionAtLeast reports whether a Terraform version ("1.11.4", "1.16.0-beta1")
// is major.minor or newer; false when it cannot be told.
func versionAtLeast(v string, major, minor int) bool {
	parts := strings.SplitN(v, ".", 3)
	if len(parts) < 2 {
		return false
	}
	ma, err1 := strconv.Atoi(parts[0])
	mi, err2 := strconv.Atoi(parts[1])
	if err1 != nil || err2 != nil {
		return false
	}
	return ma > major || (ma == major && mi >= minor)
}

// onboardRows are the rows of the onboard scenario: the plan, the apply of
// the saved plan, and both together, where the target is judged, each
// against the minimal provider's same step.
func (r *report) onboardRows(sm samples) {
	e := r.env
	scenario := fmt.Sprintf("8 onboard, N=%d, %s", e.onboardN, e.onboardLatency)
	for _, st := range []struct{ key, name string }{{"plan", "plan -out"}, {"apply", "apply of the saved plan"}, {"both", "plan + apply"}} {
		k := st.key
		rt := sm.median(k + ".ratio")
		peak := mib(maxOf(sm[k+".rss"]))
		minPeak := mib(maxOf(sm[k+".minrss"]))
		if k == "both" {
			peak = mib(maxOf(append(append([]float64(nil), sm["plan.rss"]...), sm["apply.rss"]...)))
			minPeak = mib(maxOf(append(append([]float64(nil), sm["plan.minrss"]...), sm["apply.minrss"]...)))
		}
		rw := row{
			scenario: scenario, step: st.name,
			wall: secs(sm.median(k + ".wall")), floor: "–", ideal: secs(sm.median(k + ".min")), ratio: ratio(rt),
			plugin: "–", pluginRatio: "–",
			reqs: count(sm.median(k + ".req")),
			notes: fmt.Sprintf("ideal = the minimal provider (benchnull, waits %s per create, sends no request); ratio = jsm ÷ minimal; "+
				"jsm's requests: user searches %s, permission checks %s, account listing pages %s, creates %s (minimal: %s creates waited for); "+
				"provider peak %.0f MiB (minimal %.0f MiB); provider CPU s %.1f (minimal %.1f)",
				e.onboardLatency, count(sm.median(k+".search")), count(sm.median(k+".check")), count(sm.median(k+".pages")),
				count(sm.median(k+".create")), onboardMinimalCreates(k, e.onboardN), peak, minPeak,
				sm.median(k+".pcpu"), sm.median(k+".mincpu")),
		}
		if k == "both" {
			rw.target = fmt.Sprintf("≤ %.2f× minimal", targetOnboard)
			rw.met = r.judge(rt <= targetOnboard, true, "onboard plan + apply")
		}
		r.rows = append(r.rows, rw)
	}
}

// onboardMinimalCreates is how many creates the minimal provider waits for
// in a step: N in the apply, none in the plan.
func onboardMinimalCreates(step string, n int) string {
	if step == "plan" {
		return "0"
	}
	return strconv.Itoa(n)
}
