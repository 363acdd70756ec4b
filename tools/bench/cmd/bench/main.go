// Command bench measures what onboarding many customers costs: it runs the
// real terraform CLI with the built provider against the standalone local
// JSM site (cmd/jsmsite), and compares every step with its floor: the same
// step for the same count of Terraform's built-in terraform_data (F,
// Terraform's own per-resource work on this machine), plus, where the site
// injects latency or a rate limit, the time the API needs at the least
// (requests counted by the site, divided by -parallelism or by the limit).
//
// Every measured run starts a fresh site, so its state and request counters
// are clean, and runs the provider's step and the floor's step one after the
// other (alternating which goes first), so each ratio is taken within the
// same run; the table shows medians over -runs runs.
//
//	make bench          # N=1000 (onboard N=500), 3 runs, every scenario but adoption
//	make bench-short    # N=50 (adoption and onboard N=20), 1 run, for CI
//	go -C tools/bench build -o ../../bin/bench ./cmd/bench && bin/bench -h
//
// It is a module of its own (tools/bench), outside the provider's: it
// builds the provider and the local site from the provider's module, and
// its own helper programs from tools/bench. Run it from anywhere inside the
// repository; relative paths in its flags are relative to where it runs.
//
// The process fails when a hard invariant breaks, one that no machine's
// speed excuses: a terraform command fails, a plan is not empty, the site
// counts requests of a kind it should not, or more requests than the reads
// or writes asked for, a rate-limited apply has failures. What depends on
// how busy the machine is (how few requests the batches took, the share of
// 429s, the walls) is a target, judged on the medians of the runs: a full
// run fails when a request count misses its target, and when a wall does
// only with -strict; -short (CI) reports them and judges none.
package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

type env struct {
	root         string // the provider's module root
	benchRoot    string // this module's root (tools/bench)
	work         string // scratch directory
	terraformBin string
	providerBin  string // what memwrap runs: the provider, or labprovider with -profile
	labBin       string // labprovider: the provider with the benchmark's switches
	nullBin      string // the plugin floor's provider (nullprovider)
	siteBin      string
	rcFile       string // Terraform CLI config with dev_overrides to the memwrap directory
	profileDir   string
	providerEnv  string // extra environment of the provider processes (memwrap's BENCH_CHILD_ENV)

	n           int
	runs        int
	parallelism int
	latencies   []time.Duration
	rateLimit   float64
	budgetRate  float64
	// The adoption scenario: its customer counts, the latency of its site
	// once seeded, and the CLI of its query (empty: no query step).
	adoptionNs      []int
	adoptionLatency time.Duration
	queryTerraform  string
	adoptionCLI     string // the version of the CLI the adoption runs with
	// The onboard scenario: its customer count, its site's latency (and
	// the minimal provider's wait per create), and whether the apply of a
	// saved plan may look the emails up again (Terraform before 1.9).
	onboardN            int
	onboardLatency      time.Duration
	onboardApplyLooksUp bool
	short               bool
	verbose             bool

	violations []string // broken hard invariants
}

func (e *env) logf(format string, args ...any) {
	if e.verbose {
		fmt.Fprintf(os.Stderr, format+"\n", args...)
	}
}

// violate records a broken hard invariant; the run goes on so that the
// table shows everything, and the process fails at the end.
func (e *env) violate(format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	fmt.Fprintln(os.Stderr, "INVARIANT BROKEN:", msg)
	e.violations = append(e.violations, msg)
}

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

var allScenarios = []string{"overhead", "latency", "ratelimit", "memberships", "scale", "budget", "adoption", "onboard"}

// defaultScenarios are what a run without -scenarios measures. Adoption is
// not among them: at its N of 2,000 and 10,000 it would take longer than
// all the others together (make bench, three runs); -short runs it at a
// tiny N, so that CI exercises its harness and invariants. Onboard is: at
// its N of 500 a run takes well under a minute.
var defaultScenarios = []string{"overhead", "latency", "ratelimit", "memberships", "scale", "budget", "onboard"}

func run() error {
	e := &env{}
	scenarios := flag.String("scenarios", strings.Join(defaultScenarios, ","), "comma-separated `list` of scenarios: "+strings.Join(allScenarios, ", ")+
		" (adoption only when named, or with -short)")
	flag.IntVar(&e.n, "n", 1000, "number of customers")
	flag.IntVar(&e.runs, "runs", 3, "measured runs per scenario; the table shows medians")
	flag.IntVar(&e.parallelism, "parallelism", 10, "terraform -parallelism")
	latencies := flag.String("latency", "50ms,100ms", "comma-separated `list` of latencies per request of the latency scenario")
	flag.Float64Var(&e.rateLimit, "rate", 50, "server rate limit of the ratelimit scenario, in requests per second")
	flag.Float64Var(&e.budgetRate, "budget-rate", 20, "server rate limit of the budget scenario's plans, in requests per second")
	adoptionNs := flag.String("adoption-n", "2000,10000", "comma-separated `list` of customer counts of the adoption scenario (-short: 20)")
	flag.DurationVar(&e.adoptionLatency, "adoption-latency", 50*time.Millisecond, "latency per request of the adoption scenario's site, once seeded")
	flag.IntVar(&e.onboardN, "onboard-n", 500, "number of new customers of the onboard scenario's plan and apply (-short: 20)")
	flag.DurationVar(&e.onboardLatency, "onboard-latency", 50*time.Millisecond, "latency per request of the onboard scenario's site, and the minimal provider's wait per create")
	flag.StringVar(&e.queryTerraform, "query-terraform", "", "Terraform CLI of 1.14 or newer (`path`) for the adoption scenario: its terraform query -generate-config-out, "+
		"and the import apply and plan of what it wrote (e.g. ~/.cache/terraform-provider-jsm/cli/terraform-1.16.4/terraform, make build-clis); "+
		"empty: no query step, the benchmark writes the import configuration and terraform on PATH runs it")
	flag.BoolVar(&e.short, "short", false, "quick check for CI: N=50 (adoption and onboard N=20; adoption unless -scenarios), 1 run; fails on broken invariants, never on targets (counts or walls)")
	out := flag.String("out", "", "also write the results (machine, versions, table) as markdown to `file`")
	strict := flag.Bool("strict", false, "fail when a target is missed, not only when an invariant breaks")
	keep := flag.Bool("keep", false, "keep the scratch directory (configurations, states, terraform and site logs)")
	profile := flag.String("profile", "", "write CPU and allocation profiles of every provider process under `dir` (slower; for investigation, not for figures)")
	flag.StringVar(&e.providerEnv, "provider-env", "", "comma-separated `KEY=VALUE` pairs added to the provider processes' environment only (experiments)")
	flag.BoolVar(&e.verbose, "v", true, "log every terraform command on stderr")
	flag.Parse()
	if flag.NArg() > 0 {
		return fmt.Errorf("unexpected arguments %v", flag.Args())
	}
	setFlags := map[string]bool{}
	flag.Visit(func(f *flag.Flag) { setFlags[f.Name] = true })
	if e.short {
		if !setFlags["n"] {
			e.n = 50
		}
		if !setFlags["runs"] {
			e.runs = 1
		}
		if !setFlags["adoption-n"] {
			*adoptionNs = "20"
		}
		if !setFlags["onboard-n"] {
			e.onboardN = 20
		}
		if !setFlags["scenarios"] {
			*scenarios += ",adoption"
		}
	}
	for _, l := range strings.Split(*latencies, ",") {
		d, err := time.ParseDuration(strings.TrimSpace(l))
		if err != nil || d <= 0 {
			return fmt.Errorf("-latency: %q is not a positive duration", l)
		}
		e.latencies = append(e.latencies, d)
	}
	for _, v := range strings.Split(*adoptionNs, ",") {
		k, err := strconv.Atoi(strings.TrimSpace(v))
		if err != nil || k < 10 {
			return fmt.Errorf("-adoption-n: %q is not a count of at least 10", v)
		}
		e.adoptionNs = append(e.adoptionNs, k)
	}
	if e.adoptionLatency < 0 {
		return errors.New("-adoption-latency must not be negative")
	}
	if e.onboardN < 10 || e.onboardLatency < 0 {
		return errors.New("-onboard-n must be at least 10, -onboard-latency not negative")
	}
	if e.n < 10 || e.runs < 1 || e.parallelism < 1 || e.rateLimit <= 0 || e.budgetRate <= 0 {
		return errors.New("-n must be at least 10, -runs and -parallelism at least 1, -rate and -budget-rate positive")
	}
	selected := map[string]bool{}
	for _, s := range strings.Split(*scenarios, ",") {
		s = strings.TrimSpace(s)
		if s == "" {
			continue
		}
		if !contains(allScenarios, s) {
			return fmt.Errorf("-scenarios: unknown scenario %q (have %s)", s, strings.Join(allScenarios, ", "))
		}
		selected[s] = true
	}

	if selected["adoption"] {
		if e.queryTerraform != "" {
			var err error
			if !strings.ContainsRune(e.queryTerraform, filepath.Separator) {
				e.queryTerraform, err = exec.LookPath(e.queryTerraform)
			} else {
				e.queryTerraform, err = filepath.Abs(e.queryTerraform)
			}
			if err != nil {
				return fmt.Errorf("-query-terraform: %w", err)
			}
			if e.adoptionCLI, err = queryCapable(e.queryTerraform); err != nil {
				return err
			}
		}
	}
	if err := e.setup(*profile); err != nil {
		return err
	}
	if selected["adoption"] && e.adoptionCLI == "" {
		e.adoptionCLI = terraformVersion(e.terraformBin)
	}
	if *keep {
		fmt.Fprintln(os.Stderr, "bench: scratch directory kept:", e.work)
	} else {
		defer os.RemoveAll(e.work)
	}

	rep := &report{env: e, started: time.Now(), loadStart: loadAvg()}
	for _, s := range allScenarios {
		if !selected[s] {
			continue
		}
		e.logf("==> %s", s)
		var err error
		switch s {
		case "overhead":
			err = e.overhead(rep)
		case "latency":
			err = e.latencyScenario(rep)
		case "ratelimit":
			err = e.ratelimit(rep)
		case "memberships":
			err = e.memberships(rep)
		case "scale":
			err = e.scale(rep)
		case "budget":
			err = e.budget(rep)
		case "adoption":
			err = e.adoption(rep)
		case "onboard":
			err = e.onboard(rep)
		}
		if err != nil {
			return fmt.Errorf("%s: %w", s, err)
		}
	}
	rep.finished = time.Now()
	rep.loadEnd = loadAvg()

	md := rep.markdown()
	fmt.Println(md)
	if *out != "" {
		if err := os.MkdirAll(filepath.Dir(*out), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(*out, []byte(md), 0o644); err != nil {
			return err
		}
		fmt.Fprintln(os.Stderr, "bench: results written to", *out)
	}
	if len(e.violations) > 0 {
		return fmt.Errorf("%d invariant(s) broken:\n  %s", len(e.violations), strings.Join(e.violations, "\n  "))
	}
	if missed := rep.missed(); len(missed) > 0 {
		fmt.Fprintf(os.Stderr, "bench: targets missed: %s\n", strings.Join(missed, "; "))
		if len(rep.missedCounts) > 0 {
			return fmt.Errorf("request counts over their targets (medians of %d runs): %s", e.runs, strings.Join(rep.missedCounts, "; "))
		}
		if *strict {
			return errors.New("targets missed (-strict)")
		}
	}
	return nil
}

// setup builds the provider, the memory wrapper and the site, and writes
// the Terraform CLI configuration that points dev_overrides at the wrapper.
func (e *env) setup(profileDir string) error {
	benchRoot, root, err := moduleRoots()
	if err != nil {
		return err
	}
	e.root, e.benchRoot = root, benchRoot
	if e.terraformBin, err = exec.LookPath("terraform"); err != nil {
		return fmt.Errorf("terraform is not on PATH: %w", err)
	}
	if e.work, err = os.MkdirTemp("", "jsm-bench-"); err != nil {
		return err
	}
	bin := filepath.Join(e.work, "bin")
	wrapDir := filepath.Join(e.work, "override")
	for _, d := range []string{bin, wrapDir} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return err
		}
	}
	e.providerBin = filepath.Join(bin, "terraform-provider-jsm")
	e.siteBin = filepath.Join(bin, "jsmsite")
	e.nullBin = filepath.Join(bin, "terraform-provider-benchnull")
	e.labBin = filepath.Join(bin, "labprovider")
	// What to build, as {binary, package, module directory}: the provider
	// and the site from the provider's module, the rest from this one.
	builds := [][3]string{
		{e.providerBin, ".", root},
		{e.siteBin, "./internal/jsmsite/cmd/jsmsite", root},
		{e.nullBin, "./cmd/nullprovider", benchRoot},
		{e.labBin, "./cmd/labprovider", benchRoot},
		{filepath.Join(wrapDir, "terraform-provider-jsm"), "./cmd/memwrap", benchRoot},
		{filepath.Join(wrapDir, "terraform-provider-benchnull"), "./cmd/memwrap", benchRoot},
	}
	if profileDir != "" {
		if e.profileDir, err = filepath.Abs(profileDir); err != nil {
			return err
		}
		if err := os.MkdirAll(e.profileDir, 0o755); err != nil {
			return err
		}
		e.providerBin = e.labBin
	}
	e.logf("==> building the provider, the local JSM site and the memory wrapper")
	for _, b := range builds {
		cmd := exec.Command("go", "build", "-o", b[0], b[1])
		cmd.Dir = b[2]
		if out, err := cmd.CombinedOutput(); err != nil {
			return fmt.Errorf("go build %s: %w\n%s", b[1], err, out)
		}
	}
	e.rcFile = filepath.Join(e.work, "terraformrc")
	rc := fmt.Sprintf(`provider_installation {
  dev_overrides {
    "registry.terraform.io/jsmtf/jsm"       = %q
    "registry.terraform.io/jsmtf/benchnull" = %q
  }
  direct {}
}
`, wrapDir, wrapDir)
	return os.WriteFile(e.rcFile, []byte(rc), 0o644)
}

// moduleRoots finds the provider's module root, the first directory from
// the working directory up whose go.mod declares the provider's module
// (so the benchmark runs from the repository's root, as make does, or from
// any directory inside it), and this module's root, its tools/bench.
func moduleRoots() (bench, provider string, err error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", "", err
	}
	for {
		b, err := os.ReadFile(filepath.Join(dir, "go.mod"))
		if err == nil && strings.HasPrefix(string(b), "module github.com/jsmtf/terraform-provider-jsm\n") {
			return filepath.Join(dir, "tools", "bench"), dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", "", errors.New("run the benchmark from inside the provider's repository (make bench)")
		}
		dir = parent
	}
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

func loadAvg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "?"
	}
	return strings.Join(f[:3], " ")
}
