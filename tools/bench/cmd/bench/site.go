package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// site is one standalone local JSM site process (cmd/jsmsite), started
// fresh for every measured run so that its accounts and counters are clean.
type site struct {
	cmd               *exec.Cmd
	url, email, token string
	logPath           string
	exited            chan struct{}
	waitErr           error
}

// startSite runs the site binary on a free loopback port with the given
// extra flags (fault injection) and waits until it reports its URL.
func (e *env) startSite(dir string, flags ...string) (*site, error) {
	envFile := filepath.Join(dir, "site.env")
	logPath := filepath.Join(dir, "site.log")
	logf, err := os.Create(logPath)
	if err != nil {
		return nil, err
	}
	args := append([]string{"-addr", "127.0.0.1:0", "-env-file", envFile, "-log=false"}, flags...)
	cmd := exec.Command(e.siteBin, args...)
	cmd.Stdout, cmd.Stderr = logf, logf
	if err := cmd.Start(); err != nil {
		logf.Close()
		return nil, err
	}
	s := &site{cmd: cmd, logPath: logPath, exited: make(chan struct{})}
	go func() { s.waitErr = cmd.Wait(); logf.Close(); close(s.exited) }()

	deadline := time.Now().Add(30 * time.Second)
	for {
		if vals, err := readEnvFile(envFile); err == nil && vals["JSM_URL"] != "" {
			s.url, s.email, s.token = vals["JSM_URL"], vals["JSM_EMAIL"], vals["JSM_API_TOKEN"]
			return s, nil
		}
		select {
		case <-s.exited:
			out, _ := os.ReadFile(logPath)
			return nil, fmt.Errorf("the local JSM site exited before listening (%w):\n%s", s.waitErr, out)
		case <-time.After(50 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			s.stop()
			return nil, fmt.Errorf("the local JSM site did not report its URL within 30s")
		}
	}
}

func readEnvFile(path string) (map[string]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	out := map[string]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if k, v, ok := strings.Cut(sc.Text(), "="); ok {
			out[k] = v
		}
	}
	return out, sc.Err()
}

// env is what a terraform command needs to reach this site.
func (s *site) env() []string {
	return []string{"JSM_URL=" + s.url, "JSM_EMAIL=" + s.email, "JSM_API_TOKEN=" + s.token}
}

func (s *site) stop() {
	select {
	case <-s.exited:
		return
	default:
	}
	_ = s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-s.exited:
	case <-time.After(10 * time.Second):
		_ = s.cmd.Process.Kill()
		<-s.exited
	}
}

// setFaults replaces the running site's faults (PUT /__site/faults).
func (s *site) setFaults(faults map[string]any) error {
	return s.send(http.MethodPut, "/__site/faults", faults, nil)
}

// get GETs a /__site/ route and decodes the JSON answer.
func (s *site) get(path string, out any) error {
	req, err := http.NewRequest(http.MethodGet, s.url+path, nil)
	if err != nil {
		return err
	}
	req.SetBasicAuth(s.email, s.token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("GET %s: %s", path, resp.Status)
	}
	return json.NewDecoder(resp.Body).Decode(out)
}

// post POSTs a JSON body to the site (out-of-band /__site/ routes, or the
// API while seeding) and decodes the answer into out unless out is nil.
func (s *site) post(path string, body, out any) error {
	return s.send(http.MethodPost, path, body, out)
}

// send sends a JSON body to the site and decodes the answer into out
// unless out is nil.
func (s *site) send(method, path string, body, out any) error {
	b, err := json.Marshal(body)
	if err != nil {
		return err
	}
	req, err := http.NewRequest(method, s.url+path, bytes.NewReader(b))
	if err != nil {
		return err
	}
	req.SetBasicAuth(s.email, s.token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		msg, _ := io.ReadAll(io.LimitReader(resp.Body, 2048))
		return fmt.Errorf("%s %s: %s: %s", method, path, resp.Status, msg)
	}
	if out == nil {
		return nil
	}
	return json.NewDecoder(resp.Body).Decode(out)
}

// counts are requests by route name and status, as GET /__site/stats
// reports them.
type counts map[string]map[int]int

// stats reads the site's request counters (GET /__site/stats).
func (s *site) stats() (counts, error) {
	c, _, err := s.snapshot()
	return c, err
}

// snapshot reads, in one GET /__site/stats, the request counters and the
// bulk account reads answered by the number of IDs each asked for.
func (s *site) snapshot() (counts, map[int]int, error) {
	var raw struct {
		Requests  map[string]map[string]int `json:"requests"`
		BulkSizes map[string]int            `json:"bulkSizes"`
	}
	if err := s.get("/__site/stats", &raw); err != nil {
		return nil, nil, fmt.Errorf("reading the site's request counters: %w", err)
	}
	out := counts{}
	for route, byStatus := range raw.Requests {
		out[route] = map[int]int{}
		for st, n := range byStatus {
			code, err := strconv.Atoi(st)
			if err != nil {
				return nil, nil, fmt.Errorf("/__site/stats: status %q: %w", st, err)
			}
			out[route][code] = n
		}
	}
	sizes := map[int]int{}
	for ids, n := range raw.BulkSizes {
		k, err := strconv.Atoi(ids)
		if err != nil {
			return nil, nil, fmt.Errorf("/__site/stats: bulk size %q: %w", ids, err)
		}
		sizes[k] = n
	}
	return out, sizes, nil
}

// isAPI tells the API routes (what the provider calls) from the site's own
// /__site/ routes (what the benchmark calls).
func isAPI(route string) bool { return !strings.Contains(route, " /__site/") }

// minus is c - before, API routes only.
func (c counts) minus(before counts) counts {
	out := counts{}
	for route, byStatus := range c {
		if !isAPI(route) {
			continue
		}
		for st, n := range byStatus {
			if d := n - before[route][st]; d != 0 {
				if out[route] == nil {
					out[route] = map[int]int{}
				}
				out[route][st] = d
			}
		}
	}
	return out
}

// total sums the requests of the routes route selects (all when nil), of
// status st (all when st < 0).
func (c counts) total(route func(string) bool, st int) int {
	n := 0
	for r, byStatus := range c {
		if route != nil && !route(r) {
			continue
		}
		for s, k := range byStatus {
			if st < 0 || s == st {
				n += k
			}
		}
	}
	return n
}

func routeIs(names ...string) func(string) bool {
	return func(r string) bool {
		for _, n := range names {
			if r == n {
				return true
			}
		}
		return false
	}
}

func routeNot(names ...string) func(string) bool {
	in := routeIs(names...)
	return func(r string) bool { return !in(r) }
}

// Route names, as the site names them (their ServeMux patterns).
const (
	routeCreateCustomer = "POST /rest/servicedeskapi/customer"
	routeGetUser        = "GET /rest/api/3/user"
	routeBulkUsers      = "GET /rest/api/3/user/bulk"
	// jsm_customer looks each email to create up at plan time.
	routeSearchUsers = "GET /rest/api/3/user/search"
	// ... and, once a run, lists every account when an email has no active
	// one, to find an inactive account a create would collide with.
	routeAllUsers = "GET /rest/api/3/users/search"
	// The plan's check that the credential may see accounts at all.
	routeMyPermissions = "GET /rest/api/3/mypermissions"
)

// customerRoutes are the routes jsm_customer uses in a run without conflicts;
// accountRoutes those that read accounts by ID (alone, or coalesced).
var (
	customerRoutes = routeIs(routeCreateCustomer, routeGetUser, routeBulkUsers, routeSearchUsers, routeAllUsers, routeMyPermissions)
	accountRoutes  = routeIs(routeGetUser, routeBulkUsers)
)

// failed counts the answers with an error status (4xx, 5xx) or none at all.
func (c counts) failed() int {
	n := 0
	for _, byStatus := range c {
		for st, k := range byStatus {
			if st >= 400 || st == 0 {
				n += k
			}
		}
	}
	return n
}
