package main

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// tfRun is one timed terraform command.
type tfRun struct {
	wall     time.Duration
	exit     int
	rssKiB   int64 // the largest peak RSS of the provider processes it started
	launches int   // provider processes started
	errors   int   // error diagnostics in the output
	log      string
	// CPU time (user + system) of the whole command, providers included,
	// and of the provider processes alone.
	cpu, providerCPU time.Duration
}

// Terraform's own environment variables that must not leak in from the
// caller (a debug log would change the timings; a real site's credentials
// must never be used), nor the benchmark's own (BENCHNULL_CREATE_DELAY
// would slow the plugin floor P of every scenario).
func cleanEnviron() []string {
	var out []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		switch {
		case strings.HasPrefix(k, "JSM_"), strings.HasPrefix(k, "TF_"), strings.HasPrefix(k, "BENCH_"), strings.HasPrefix(k, "BENCHNULL_"),
			k == "CHECKPOINT_DISABLE":
			continue
		}
		out = append(out, kv)
	}
	return out
}

var errorLine = regexp.MustCompile(`(?m)^[│|]?\s*Error: `)

// terraform runs `terraform args...` in dir, times it with the wall clock
// and collects the provider's peak memory. It fails only when terraform
// cannot be started; a non-zero exit is in tfRun.exit.
func (e *env) terraform(dir, label string, siteEnv []string, args ...string) (tfRun, error) {
	return e.terraformWith(e.terraformBin, dir, label, siteEnv, args...)
}

// terraformWith is terraform with another CLI binary (the adoption
// scenario's -query-terraform).
func (e *env) terraformWith(bin, dir, label string, siteEnv []string, args ...string) (tfRun, error) {
	logPath := filepath.Join(dir, label+".log")
	rssPath := filepath.Join(dir, label+".rss")
	_ = os.Remove(rssPath)
	logf, err := os.Create(logPath)
	if err != nil {
		return tfRun{}, err
	}
	defer logf.Close()

	cmd := exec.Command(bin, args...)
	cmd.Dir = dir
	cmd.Stdout, cmd.Stderr = logf, logf
	cmd.Env = append(cleanEnviron(),
		"TF_CLI_CONFIG_FILE="+e.rcFile,
		"TF_IN_AUTOMATION=1",
		"TF_INPUT=0",
		"CHECKPOINT_DISABLE=1",
		"BENCH_BIN_TERRAFORM_PROVIDER_JSM="+e.providerBin,
		"BENCH_BIN_TERRAFORM_PROVIDER_BENCHNULL="+e.nullBin,
		"BENCH_MAXRSS_FILE="+rssPath,
	)
	if e.profileDir != "" {
		pdir := filepath.Join(e.profileDir, filepath.Base(filepath.Dir(dir))+"-"+filepath.Base(dir)+"-"+label)
		if err := os.MkdirAll(pdir, 0o755); err != nil {
			return tfRun{}, err
		}
		cmd.Env = append(cmd.Env, "BENCH_PROFILE_DIR="+pdir)
	}
	if e.providerEnv != "" {
		cmd.Env = append(cmd.Env, "BENCH_CHILD_ENV="+e.providerEnv)
	}
	cmd.Env = append(cmd.Env, siteEnv...)

	start := time.Now()
	err = cmd.Run()
	r := tfRun{wall: time.Since(start), log: logPath}
	var ee *exec.ExitError
	switch {
	case errors.As(err, &ee):
		r.exit = ee.ExitCode()
	case err != nil:
		return r, fmt.Errorf("terraform %s: %w", strings.Join(args, " "), err)
	}
	if cmd.ProcessState != nil {
		// The rusage of a reaped process includes its reaped children:
		// here, the provider processes (and their wrappers).
		r.cpu = cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
	}
	r.rssKiB, r.launches, r.providerCPU = readRSS(rssPath)
	if out, err := os.ReadFile(logPath); err == nil {
		r.errors = len(errorLine.FindAll(out, -1))
	}
	e.logf("    %-24s %7.2fs exit=%d cpu=%.1fs (provider %.1fs in %d launches) provider-peak-rss=%.0fMiB",
		filepath.Base(dir)+" "+label, r.wall.Seconds(), r.exit, r.cpu.Seconds(), r.providerCPU.Seconds(), r.launches, float64(r.rssKiB)/1024)
	return r, nil
}

// readRSS reads the lines memwrap appended:
// "<maxrss KiB> <wall ms> <pid> <user CPU ms> <system CPU ms>".
func readRSS(path string) (maxKiB int64, n int, cpu time.Duration) {
	f, err := os.Open(path)
	if err != nil {
		return 0, 0, 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) == 0 {
			continue
		}
		if v, err := strconv.ParseInt(fields[0], 10, 64); err == nil {
			n++
			maxKiB = max(maxKiB, v)
		}
		for _, f := range fields[min(3, len(fields)):] {
			if ms, err := strconv.ParseInt(f, 10, 64); err == nil {
				cpu += time.Duration(ms) * time.Millisecond
			}
		}
	}
	return maxKiB, n, cpu
}

// tail returns the last lines of a log, for error messages.
func tail(path string, lines int) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return ""
	}
	parts := bytes.Split(bytes.TrimRight(b, "\n"), []byte("\n"))
	if len(parts) > lines {
		parts = parts[len(parts)-lines:]
	}
	return string(bytes.Join(parts, []byte("\n")))
}

// Terraform commands of a step. Every one runs with the same -parallelism.
func (e *env) apply(dir, label string, siteEnv []string) (tfRun, error) {
	r, err := e.terraform(dir, label, siteEnv, "apply", "-auto-approve", "-input=false", "-no-color",
		"-parallelism="+strconv.Itoa(e.parallelism))
	return r, e.check(r, err, label, 0)
}

// plan expects no change: -detailed-exitcode answers 2 when there is one.
func (e *env) plan(dir, label string, siteEnv []string) (tfRun, error) {
	r, err := e.terraform(dir, label, siteEnv, "plan", "-detailed-exitcode", "-input=false", "-no-color",
		"-parallelism="+strconv.Itoa(e.parallelism))
	return r, e.check(r, err, label, 0)
}

func (e *env) destroy(dir, label string, siteEnv []string) (tfRun, error) {
	r, err := e.terraform(dir, label, siteEnv, "destroy", "-auto-approve", "-input=false", "-no-color",
		"-parallelism="+strconv.Itoa(e.parallelism))
	return r, e.check(r, err, label, 0)
}

func (e *env) check(r tfRun, err error, label string, want int) error {
	if err != nil {
		return err
	}
	if r.exit != want {
		what := "failed"
		if strings.HasPrefix(label, "plan") && r.exit == 2 {
			what = "is not empty (the configuration did not converge)"
		}
		return fmt.Errorf("%s %s (exit %d, %d errors); end of %s:\n%s", label, what, r.exit, r.errors, r.log, tail(r.log, 30))
	}
	return nil
}
