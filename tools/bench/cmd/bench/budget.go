package main

import (
	"strconv"
)

// 6. Refresh under a budget: N customers are applied on a site without
// limits, then the site admits e.budgetRate requests per second and the
// same no-change plan runs three ways, next to the floor's plan: with the
// provider's batched reads under a burst limit that sends no warning
// before its 429 (API-token traffic, the site's default), batched under
// cost-based limiting (every answer carries X-RateLimit-Remaining and
// -NearLimit, which the provider does not read: the row shows what they
// could still gain), and with every read alone under the burst limit. Each plan
// starts with a full bucket. The ideal is the floor plus the admitted
// requests at the budget's pace.
func (e *env) budget(rep *report) error {
	sm := samples{}
	rep.add("budget", sm)
	for run := 0; run < e.runs; run++ {
		dir := e.runDir("budget", e.n, run)
		pdir, fdir, _, err := e.writeConfigs(dir, e.n)
		if err != nil {
			return err
		}
		s, err := e.startSite(dir)
		if err != nil {
			return err
		}
		e.logf("  run %d/%d (N=%d, then %.0f requests/s)", run+1, e.runs, e.n, e.budgetRate)
		err = e.budgetRun(run, s, pdir, fdir, sm)
		s.stop()
		if err != nil {
			return err
		}
	}
	return nil
}

func (e *env) budgetRun(run int, s *site, pdir, fdir string, sm samples) error {
	if _, err := e.apply(pdir, "setup-apply", s.env()); err != nil {
		return err
	}
	if _, err := e.apply(fdir, "setup-apply", nil); err != nil {
		return err
	}
	var on, cost, alone, f tfRun
	var con, ccost, calone counts
	var bulkOn, bulkCost, bulkAlone map[int]int
	// Each plan meets a full bucket; costBased adds the budget headers.
	budget := func(costBased bool) error {
		return s.setFaults(map[string]any{"RateLimit": e.budgetRate, "CostBasedHeaders": costBased})
	}
	err := interleave(run, func() (err error) {
		if err = budget(false); err == nil {
			on, con, bulkOn, err = e.budgetPlan(s, pdir, "plan-coalesced", false)
		}
		return err
	}, func() (err error) {
		if err = budget(true); err == nil {
			cost, ccost, bulkCost, err = e.budgetPlan(s, pdir, "plan-coalesced-cost", false)
		}
		return err
	}, func() (err error) {
		if err = budget(false); err == nil {
			alone, calone, bulkAlone, err = e.budgetPlan(s, pdir, "plan-alone", true)
		}
		return err
	}, func() (err error) {
		f, err = e.plan(fdir, "plan", nil)
		return err
	})
	if err != nil {
		return err
	}
	for _, m := range []struct {
		key  string
		r    tfRun
		c    counts
		bulk map[int]int
	}{{"coalesced", on, con, bulkOn}, {"coalesced-cost", cost, ccost, bulkCost}, {"alone", alone, calone, bulkAlone}} {
		total := m.c.total(nil, -1)
		account := m.c.total(accountRoutes, -1)
		refused := m.c.total(nil, 429)
		if other := total - account; other > 0 {
			e.violate("budget %s plan: %d requests besides account reads: %v", m.key, other, m.c)
		}
		if bad := m.c.failed() - refused; bad > 0 {
			e.violate("budget %s plan: %d error answers besides 429: %v", m.key, bad, m.c)
		}
		// How few requests the batches take depends on how the reads
		// arrive: the report judges it on the medians (targetPlanReqs).
		if admitted := account - refused; admitted > e.n {
			e.violate("budget %s plan: %d account requests admitted, more than the %d customers: %v", m.key, admitted, e.n, m.c)
		}
		ideal := f.wall.Seconds() + float64(account-refused)/e.budgetRate
		k := "plan." + m.key
		sm.add(k+".wall", m.r.wall.Seconds())
		sm.add(k+".floor", f.wall.Seconds())
		sm.add(k+".ideal", ideal)
		sm.add(k+".ratio", m.r.wall.Seconds()/ideal)
		sm.add(k+".req", float64(account))
		sm.add(k+".bulk", float64(m.c.total(routeIs(routeBulkUsers), -1)))
		ids, full := 0, 0
		for size, n := range m.bulk {
			ids += size * n
			if size >= e.parallelism*8/10 {
				full += n
			}
		}
		if read := ids + m.c.total(routeIs(routeGetUser), 200); read < e.n {
			e.violate("budget %s plan: %d accounts read (%d in bulk reads), fewer than the %d customers: %v",
				m.key, read, ids, e.n, m.c)
		}
		sm.add(k+".bulkids", float64(ids))
		sm.add(k+".bulkfull", float64(full))
		sm.add(k+".429", float64(refused))
		sm.add(k+".rss", float64(m.r.rssKiB))
		sm.addCPU(k, m.r, f)
	}
	sm.add("plan.reqgain", sm["plan.alone.req"][run]/max(sm["plan.coalesced.req"][run], 1))
	sm.add("plan.wallgain", alone.wall.Seconds()/on.wall.Seconds())
	sm.add("plan.cost.reqgain", sm["plan.alone.req"][run]/max(sm["plan.coalesced-cost.req"][run], 1))
	sm.add("plan.cost.wallgain", alone.wall.Seconds()/cost.wall.Seconds())
	return nil
}

// budgetPlan runs a no-change plan, with each account read alone when
// alone is set, and returns the requests the site counted and its bulk
// reads by size. A failure (a 429 surfaced as an error, say) breaks an
// invariant, and the run goes on.
func (e *env) budgetPlan(s *site, dir, label string, alone bool) (tfRun, counts, map[int]int, error) {
	before, bulkBefore, err := s.snapshot()
	if err != nil {
		return tfRun{}, nil, nil, err
	}
	// The provider has no such switch: labprovider, the provider built
	// with it, stands in for this plan (and, with -profile, profiles it as
	// it does every step).
	env := append(s.env(), readsAlone(e, alone)...)
	r, err := e.terraform(dir, label, env, "plan", "-detailed-exitcode", "-input=false", "-no-color",
		"-parallelism="+strconv.Itoa(e.parallelism))
	if err != nil {
		return r, nil, nil, err
	}
	if r.exit != 0 {
		e.violate("%s: exit %d with %d errors (a refusal surfaced, or the plan is not empty); end of %s:\n%s",
			label, r.exit, r.errors, r.log, tail(r.log, 20))
	}
	after, bulkAfter, err := s.snapshot()
	if err != nil {
		return r, nil, nil, err
	}
	bulk := bulkDelta(bulkBefore, bulkAfter)
	if alone && len(bulk) > 0 {
		e.violate("%s: bulk account reads %v: labprovider did not send each account read alone", label, bulk)
	}
	return r, after.minus(before), bulk, nil
}
