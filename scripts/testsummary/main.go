// Command testsummary reads `go test -json` and keeps a CI log short and
// self-explaining: it prints each package's result line as it ends, the
// whole output of each test that fails as it fails, and, at the end, a
// summary that names every failed package and test with the first lines of
// its failure, then a closing line "tests: N passed, N failed, N skipped".
//
//	go test -json ./... | testsummary -json-out tmp/ci/unit.json
//	testsummary -summarize tmp/ci/*.json    # the summary again, of several runs
//
// It exits 1 when a test or a package failed (a build error, a panic, a
// timeout) and 2 when it cannot read its input, so that a pipeline under
// `set -o pipefail` fails either way.
package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// event is one line of `go test -json` (cmd/test2json).
type event struct {
	Action      string
	Package     string
	Test        string
	Output      string
	ImportPath  string // build-output and build-fail events
	FailedBuild string // on a package's fail: the build that failed
}

// failureLines is how much of a failure the closing summary shows.
const failureLines = 12

// run is what one stream of events said.
type run struct {
	passed, failed, skipped int
	// failures in the order they ended: a test, or a package that failed
	// without a failed test (build error, panic, timeout).
	failures []failure
	// output buffered per test (and per package under "") until it ends.
	output map[key][]string
	// packages that had a failed test, and packages that failed.
	pkgTestFailed map[string]bool
	builds        map[string][]string // build output by import path
}

type key struct{ pkg, test string }

type failure struct {
	Package, Test string
	Lines         []string
}

func newRun() *run {
	return &run{output: map[key][]string{}, pkgTestFailed: map[string]bool{}, builds: map[string][]string{}}
}

// add takes one event; live, when non-nil, receives what a person watching
// the run should see now.
func (r *run) add(e event, live io.Writer) {
	k := key{e.Package, e.Test}
	switch e.Action {
	case "build-output":
		r.builds[e.ImportPath] = append(r.builds[e.ImportPath], e.Output)
		return
	case "build-fail":
		return
	case "output":
		r.output[k] = append(r.output[k], e.Output)
		return
	case "pass", "fail", "skip":
	default:
		return
	}
	out := r.output[k]
	delete(r.output, k)
	if e.Test != "" {
		switch e.Action {
		case "pass":
			r.passed++
		case "skip":
			r.skipped++
		case "fail":
			r.failed++
			r.pkgTestFailed[e.Package] = true
			r.failures = append(r.failures, failure{e.Package, e.Test, out})
			write(live, out)
		}
		return
	}
	// The package's own end: its result line is the last of its output.
	if e.Action == "fail" {
		if !r.pkgTestFailed[e.Package] {
			// No test failed: a build error, a panic, a timeout. Its own
			// output (and its build's) says which, and the tests still
			// running where it stopped.
			var lines []string
			if e.FailedBuild != "" {
				lines = slices.Clone(r.builds[e.FailedBuild])
			}
			var running []string
			for k := range r.output {
				if k.pkg == e.Package && k.test != "" {
					running = append(running, "still running: "+k.test+"\n")
					delete(r.output, k)
				}
			}
			slices.Sort(running)
			lines = append(append(lines, running...), out...)
			r.failures = append(r.failures, failure{e.Package, "", lines})
			write(live, lines)
			return
		}
	}
	write(live, lastLines(out, 1))
}

func write(w io.Writer, lines []string) {
	if w == nil {
		return
	}
	for _, l := range lines {
		_, _ = io.WriteString(w, l)
	}
}

func lastLines(lines []string, n int) []string {
	return lines[max(0, len(lines)-n):]
}

// excerpt is the first lines of a failure that say what broke: the
// framing lines of the test runner are left out.
func excerpt(lines []string, n int) []string {
	var out []string
	for _, l := range lines {
		t := strings.TrimSpace(l)
		if t == "" || strings.HasPrefix(t, "=== RUN") || strings.HasPrefix(t, "=== PAUSE") ||
			strings.HasPrefix(t, "=== CONT") || strings.HasPrefix(t, "=== NAME") {
			continue
		}
		out = append(out, strings.TrimRight(l, "\n"))
		if len(out) == n {
			break
		}
	}
	return out
}

// summary writes the closing summary of one or more runs.
func summary(w io.Writer, runs []*run) {
	var passed, failed, skipped int
	var failures []failure
	for _, r := range runs {
		passed, failed, skipped = passed+r.passed, failed+r.failed, skipped+r.skipped
		failures = append(failures, r.failures...)
	}
	// A parent test fails with its subtests: name the innermost ones, and
	// the parent only when no subtest of it failed.
	all := slices.Clone(failures)
	failures = slices.DeleteFunc(failures, func(f failure) bool {
		return f.Test != "" && slices.ContainsFunc(all, func(g failure) bool {
			return g.Package == f.Package && strings.HasPrefix(g.Test, f.Test+"/")
		})
	})
	if len(failures) > 0 {
		fmt.Fprintf(w, "\n=== %d failure(s)\n", len(failures))
		for _, f := range failures {
			name := f.Package
			if f.Test != "" {
				name += " " + f.Test
			}
			fmt.Fprintf(w, "--- FAIL: %s\n", name)
			for _, l := range excerpt(f.Lines, failureLines) {
				fmt.Fprintf(w, "    %s\n", l)
			}
		}
	}
	fmt.Fprintf(w, "tests: %d passed, %d failed, %d skipped\n", passed, failed, skipped)
}

func (r *run) ok() bool { return len(r.failures) == 0 }

// read takes a stream of events; lines that are not JSON (go vet's, or a
// build's on an old toolchain) are passed through to live and kept as
// package-less output.
func read(in io.Reader, live io.Writer, tee io.Writer) (*run, error) {
	r := newRun()
	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 0, 1<<20), 16<<20)
	for sc.Scan() {
		line := sc.Bytes()
		if tee != nil {
			if _, err := tee.Write(append(line, '\n')); err != nil {
				return r, err
			}
		}
		var e event
		if len(bytes.TrimSpace(line)) == 0 {
			continue
		}
		if line[0] != '{' || json.Unmarshal(line, &e) != nil {
			if live != nil {
				fmt.Fprintf(live, "%s\n", line)
			}
			continue
		}
		r.add(e, live)
	}
	return r, sc.Err()
}

func main() {
	code, err := mainErr(os.Args[1:], os.Stdin, os.Stdout)
	if err != nil {
		fmt.Fprintln(os.Stderr, "testsummary:", err)
	}
	os.Exit(code)
}

func mainErr(args []string, stdin io.Reader, stdout io.Writer) (int, error) {
	fs := flag.NewFlagSet("testsummary", flag.ContinueOnError)
	jsonOut := fs.String("json-out", "", "also write the events read to `file`, for a later -summarize")
	summarize := fs.Bool("summarize", false, "print only the summary of the `go test -json` files named as arguments")
	if err := fs.Parse(args); err != nil {
		return 2, err
	}
	if *summarize {
		var runs []*run
		ok := true
		for _, name := range fs.Args() {
			f, err := os.Open(name) //nolint:gosec // a file the caller names
			if err != nil {
				return 2, err
			}
			r, err := read(f, nil, nil)
			_ = f.Close()
			if err != nil {
				return 2, fmt.Errorf("%s: %w", name, err)
			}
			runs, ok = append(runs, r), ok && r.ok()
		}
		summary(stdout, runs)
		if !ok {
			return 1, nil
		}
		return 0, nil
	}
	if fs.NArg() > 0 {
		return 2, errors.New("arguments are files to -summarize")
	}
	var tee io.Writer
	if *jsonOut != "" {
		if err := os.MkdirAll(filepath.Dir(*jsonOut), 0o750); err != nil {
			return 2, err
		}
		f, err := os.Create(*jsonOut)
		if err != nil {
			return 2, err
		}
		defer func() { _ = f.Close() }()
		tee = f
	}
	r, err := read(stdin, stdout, tee)
	if err != nil {
		return 2, err
	}
	summary(stdout, []*run{r})
	if !r.ok() {
		return 1, nil
	}
	if r.passed+r.failed+r.skipped == 0 {
		return 1, errors.New("no test ran")
	}
	return 0, nil
}
