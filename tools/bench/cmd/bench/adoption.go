package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"
)

// 7. Adoption: a site that already holds N customers of service desk IT
// (seeded through the site at no latency, not measured) is brought under
// Terraform at -adoption-latency per request: `terraform query
// -generate-config-out` lists the desk's customers and writes a resource and
// an import block for each (only with -query-terraform, a CLI of 1.14 or
// newer; otherwise the benchmark writes the same configuration itself, import
// blocks by account ID through for_each), then `terraform apply` imports them
// and a `terraform plan` afterwards must find nothing to change. The import
// apply and the next plan run twice on fresh working directories against the
// same site, side by side: with the provider's batched account reads and
// with every read alone (labprovider, BENCH_READS_ALONE=1), so that
// batching's cost or gain is a ratio from one run. Nothing of it writes to
// the site, so both imports meet the same accounts.
func (e *env) adoption(rep *report) error {
	if e.queryTerraform == "" {
		e.logf("  no -query-terraform: the query step is skipped, the benchmark writes the import configuration itself")
	}
	for _, n := range e.adoptionNs {
		sm := samples{}
		rep.add("adoption "+strconv.Itoa(n), sm)
		for run := 0; run < e.runs; run++ {
			if err := e.adoptionRun(rep, sm, n, run); err != nil {
				return err
			}
		}
	}
	return nil
}

// seededAccount is a customer the benchmark put on the site before the
// adoption, as an import configuration needs it.
type seededAccount struct {
	AccountID   string `json:"account_id"`
	DisplayName string `json:"display_name"`
}

func (e *env) adoptionRun(rep *report, sm samples, n, run int) error {
	dir := e.runDir("adoption", n, run)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	s, err := e.startSite(dir)
	if err != nil {
		return err
	}
	defer s.stop()
	e.logf("  run %d/%d (N=%d, %s per request once seeded)", run+1, e.runs, n, e.adoptionLatency)

	start := time.Now()
	accounts, deskID, err := seedDesk(s, n)
	if err != nil {
		return fmt.Errorf("seeding %d customers: %w", n, err)
	}
	e.logf("    seeded %d customers of desk IT (id %s) in %.1fs", n, deskID, time.Since(start).Seconds())
	if err := s.setFaults(map[string]any{"Latency": e.adoptionLatency}); err != nil {
		return err
	}

	tfBin := e.terraformBin
	routes := map[string]counts{}
	var generated []byte // what terraform query wrote, when it ran
	if e.queryTerraform != "" {
		tfBin = e.queryTerraform
		qdir := filepath.Join(dir, "query")
		if err := writeFiles(qdir, map[string]string{"main.tf": jsmRequired, "adopt.tfquery.hcl": adoptionQuery(deskID, n)}); err != nil {
			return err
		}
		q, c, _, err := e.countedRun(s, tfBin, qdir, "query", nil, 0,
			"query", "-generate-config-out=generated.tf", "-no-color")
		if err != nil {
			return err
		}
		if generated, err = os.ReadFile(filepath.Join(qdir, "generated.tf")); err != nil {
			return fmt.Errorf("terraform query wrote no generated.tf: %w", err)
		}
		if got := len(generatedCustomer.FindAll(generated, -1)); got != n {
			e.violate("adoption N=%d query: generated.tf holds %d jsm_customer resources, want %d (%s)", n, got, n, q.log)
		}
		if w := c.total(isWrite, -1); w > 0 {
			e.violate("adoption N=%d query: %d writes: %v", n, w, c)
		}
		if bad := c.failed(); bad > 0 {
			e.violate("adoption N=%d query: the site answered %d requests with an error: %v", n, bad, c)
		}
		routes["query"] = c
		sm.add("query.wall", q.wall.Seconds())
		sm.add("query.req", float64(c.total(nil, -1)))
		sm.add("query.rss", float64(q.rssKiB))
		sm.add("query.pcpu", q.providerCPU.Seconds())
		sm.add("query.tcpu", (q.cpu - q.providerCPU).Seconds())
	}

	// Fresh working directories, empty states: one for the batched reads,
	// one for the reads alone.
	dirs := map[bool]string{false: filepath.Join(dir, "batched"), true: filepath.Join(dir, "alone")}
	for _, d := range dirs {
		files := map[string]string{"main.tf": jsmRequired}
		if generated != nil {
			files["generated.tf"] = string(generated)
		} else {
			b, err := json.MarshalIndent(accounts, "", "  ")
			if err != nil {
				return err
			}
			files["accounts.json"], files["import.tf"] = string(b), adoptionImportConfig
		}
		if err := writeFiles(d, files); err != nil {
			return err
		}
	}

	par := "-parallelism=" + strconv.Itoa(e.parallelism)
	type result struct {
		r    tfRun
		c    counts
		bulk map[int]int
	}
	steps := []struct {
		key, label string
		want       int
		args       []string
	}{
		{"import", "import-apply", 0, []string{"apply", "-auto-approve", "-input=false", "-no-color", par}},
		{"plan", "next-plan", 0, []string{"plan", "-detailed-exitcode", "-input=false", "-no-color", par}},
	}
	for _, st := range steps {
		res := map[bool]*result{false: {}, true: {}}
		part := func(alone bool) func() error {
			return func() (err error) {
				label := st.label
				if alone {
					label += "-alone"
				}
				p := res[alone]
				p.r, p.c, p.bulk, err = e.countedRun(s, tfBin, dirs[alone], label, readsAlone(e, alone), st.want, st.args...)
				return err
			}
		}
		if err := interleave(run, part(false), part(true)); err != nil {
			return err
		}
		for _, alone := range []bool{false, true} {
			p, k := res[alone], st.key
			where := fmt.Sprintf("adoption N=%d %s", n, strings.ReplaceAll(st.label, "-", " "))
			if alone {
				k += ".alone"
				where += " (reads alone)"
				if len(p.bulk) > 0 {
					e.violate("%s: bulk account reads %v: labprovider did not send each account read alone", where, p.bulk)
				}
			}
			e.expectAdoptionRequests(where, st.key, p.c, n)
			if st.key == "import" {
				if got := importedCount(p.r.log); got != n {
					e.violate("%s: %d customers imported, want %d (%s)", where, got, n, p.r.log)
				}
			}
			ids := 0
			for size, count := range p.bulk {
				ids += size * count
			}
			acct := p.c.total(accountRoutes, -1)
			sm.add(k+".wall", p.r.wall.Seconds())
			sm.add(k+".req", float64(p.c.total(nil, -1)))
			sm.add(k+".acct", float64(acct))
			sm.add(k+".bulk", float64(p.c.total(routeIs(routeBulkUsers), -1)))
			sm.add(k+".single", float64(p.c.total(routeIs(routeGetUser), -1)))
			sm.add(k+".bulkids", float64(ids))
			sm.add(k+".perres", float64(acct)/float64(n))
			sm.add(k+".rss", float64(p.r.rssKiB))
			sm.add(k+".pcpu", p.r.providerCPU.Seconds())
			sm.add(k+".tcpu", (p.r.cpu - p.r.providerCPU).Seconds())
			label := st.label
			if alone {
				label += " alone"
			}
			routes[strings.ReplaceAll(label, "-", " ")] = p.c
		}
		sm.add(st.key+".vsalone", res[false].r.wall.Seconds()/res[true].r.wall.Seconds())
		sm.add(st.key+".reqvsalone", float64(res[false].c.total(nil, -1))/float64(max(res[true].c.total(nil, -1), 1)))
	}
	query := 0.0
	if q := sm["query.wall"]; len(q) > 0 {
		query = q[len(q)-1]
	}
	imp := sm["import.wall"]
	sm.add("adopt.wall", query+imp[len(imp)-1])
	if rep.adoptionRoutes == nil {
		rep.adoptionRoutes = map[int]map[string]counts{}
	}
	rep.adoptionRoutes[n] = routes
	return nil
}

// readsAlone is the environment that makes a step read every account alone
// (labprovider, as budgetPlan does), or nothing.
func readsAlone(e *env, alone bool) []string {
	if !alone {
		return nil
	}
	return []string{"BENCH_BIN_TERRAFORM_PROVIDER_JSM=" + e.labBin, "BENCH_READS_ALONE=1"}
}

// bulkDelta is the bulk account reads by size made between two snapshots.
func bulkDelta(before, after map[int]int) map[int]int {
	bulk := map[int]int{}
	for size, n := range after {
		if d := n - before[size]; d > 0 {
			bulk[size] = d
		}
	}
	return bulk
}

// countedRun runs `bin args...` in dir against s, fails unless it exits
// want, and returns the API requests the site counted during it and its bulk
// account reads by size.
func (e *env) countedRun(s *site, bin, dir, label string, extraEnv []string, want int, args ...string) (tfRun, counts, map[int]int, error) {
	before, bulkBefore, err := s.snapshot()
	if err != nil {
		return tfRun{}, nil, nil, err
	}
	r, err := e.terraformWith(bin, dir, label, append(s.env(), extraEnv...), args...)
	if err := e.check(r, err, label, want); err != nil {
		return r, nil, nil, err
	}
	after, bulkAfter, err := s.snapshot()
	if err != nil {
		return r, nil, nil, err
	}
	return r, after.minus(before), bulkDelta(bulkBefore, bulkAfter), nil
}

// isWrite selects the routes that change something on the site: every
// method but GET (route names start with their method).
func isWrite(route string) bool { return !strings.HasPrefix(route, "GET ") }

// expectAdoptionRequests checks the hard invariants of an adoption step: no
// error answers and no writes; an import apply reads each account once
// (ImportState reads it, and the Read after it takes that answer), so at
// most N account requests, batched or not; the next plan at most N too.
// How many fewer is the report's to judge.
func (e *env) expectAdoptionRequests(where, step string, c counts, n int) {
	if bad := c.failed(); bad > 0 {
		e.violate("%s: the site answered %d requests with an error: %v", where, bad, c)
	}
	if w := c.total(isWrite, -1); w > 0 {
		e.violate("%s: %d writes, want none: %v", where, w, c)
	}
	if got := c.total(accountRoutes, -1); got > n {
		e.violate("%s: %d account requests, want at most %d: %v", where, got, n, c)
	}
}

var importedLine = regexp.MustCompile(`Resources: (\d+) imported`)

// importedCount reads how many resources an apply imported from its log.
func importedCount(log string) int {
	b, err := os.ReadFile(log)
	if err != nil {
		return -1
	}
	m := importedLine.FindSubmatch(b)
	if m == nil {
		return 0
	}
	v, _ := strconv.Atoi(string(m[1]))
	return v
}

var generatedCustomer = regexp.MustCompile(`(?m)^resource "jsm_customer" `)

// seedDesk puts n portal-only customers on the site (out of band, POST
// /__site/accounts) and adds them to service desk IT through the API, 50
// account IDs a request as JSM takes them. It returns the accounts by email
// and the desk's ID.
func seedDesk(s *site, n int) (map[string]seededAccount, string, error) {
	var desks []struct {
		ID         string `json:"id"`
		ProjectKey string `json:"projectKey"`
	}
	if err := s.get("/__site/servicedesks", &desks); err != nil {
		return nil, "", err
	}
	deskID := ""
	for _, d := range desks {
		if d.ProjectKey == "IT" {
			deskID = d.ID
		}
	}
	if deskID == "" {
		return nil, "", fmt.Errorf("the site has no desk IT")
	}

	ids := make([]string, n)
	var mu sync.Mutex
	var firstErr error
	work := make(chan int)
	var wg sync.WaitGroup
	for w := 0; w < 4; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range work {
				var a struct {
					AccountID string `json:"accountId"`
				}
				err := s.post("/__site/accounts", map[string]string{
					"displayName": adoptedName(i), "email": adoptedEmail(i), "accountType": "customer",
				}, &a)
				mu.Lock()
				if err != nil && firstErr == nil {
					firstErr = err
				}
				ids[i] = a.AccountID
				mu.Unlock()
			}
		}()
	}
	for i := 0; i < n; i++ {
		work <- i
	}
	close(work)
	wg.Wait()
	if firstErr != nil {
		return nil, "", firstErr
	}
	for i := 0; i < n; i += 50 {
		batch := ids[i:min(i+50, n)]
		if err := s.post("/rest/servicedeskapi/servicedesk/"+deskID+"/customer", map[string]any{"accountIds": batch}, nil); err != nil {
			return nil, "", err
		}
	}
	// The site must now hold what the adoption will list.
	var after []struct {
		ProjectKey string   `json:"projectKey"`
		Customers  []string `json:"customers"`
	}
	if err := s.get("/__site/servicedesks", &after); err != nil {
		return nil, "", err
	}
	for _, d := range after {
		if d.ProjectKey == "IT" && len(d.Customers) != n {
			return nil, "", fmt.Errorf("desk IT holds %d customers after seeding, want %d", len(d.Customers), n)
		}
	}
	accounts := make(map[string]seededAccount, n)
	for i, id := range ids {
		accounts[adoptedEmail(i)] = seededAccount{AccountID: id, DisplayName: adoptedName(i)}
	}
	return accounts, deskID, nil
}

func adoptedEmail(i int) string { return fmt.Sprintf("adopt-%05d@example.com", i+1) }
func adoptedName(i int) string  { return fmt.Sprintf("Adopted Customer %05d", i+1) }

// adoptionQuery is the .tfquery.hcl of the query step: every customer of
// the desk, with the resource each would be.
func adoptionQuery(deskID string, n int) string {
	return fmt.Sprintf(`list "jsm_customer" "desk" {
  provider         = jsm
  include_resource = true
  limit            = %d

  config {
    service_desk_id = %q
  }
}
`, n, deskID)
}

// adoptionImportConfig is what the benchmark writes when the query step
// does not run: what -generate-config-out writes, through for_each over
// accounts.json ({email: {account_id, display_name}}), import blocks by
// account ID (Terraform 1.7 or newer).
const adoptionImportConfig = `
locals {
  customers = jsondecode(file("${path.module}/accounts.json"))
}

import {
  for_each = local.customers
  to       = jsm_customer.c[each.key]
  id       = each.value.account_id
}

resource "jsm_customer" "c" {
  for_each     = local.customers
  email        = each.key
  display_name = each.value.display_name
}
`

// writeFiles creates dir with the given files.
func writeFiles(dir string, files map[string]string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			return err
		}
	}
	return nil
}

// queryCapable checks that bin is a Terraform CLI with `terraform query`
// (1.14 or newer) and returns its version.
func queryCapable(bin string) (string, error) {
	v := terraformVersion(bin)
	parts := strings.SplitN(v, ".", 3)
	if len(parts) < 2 {
		return "", fmt.Errorf("-query-terraform %s: cannot tell its version (terraform version -json said %q)", bin, v)
	}
	major, err1 := strconv.Atoi(parts[0])
	minor, err2 := strconv.Atoi(parts[1])
	if err1 != nil || err2 != nil {
		return "", fmt.Errorf("-query-terraform %s: cannot tell its version (%q)", bin, v)
	}
	if major < 1 || (major == 1 && minor < 14) {
		return "", fmt.Errorf("-query-terraform %s is Terraform %s: terraform query needs 1.14 or newer", bin, v)
	}
	return v, nil
}
