// Command jsmsite runs the local fake Jira Service Management site on a
// loopback address, for `make mock` and the demo scripts.
//
// Once it listens it prints the URL and credentials on stdout and, with
// -env-file, writes JSM_URL, JSM_EMAIL, JSM_API_TOKEN and JSM_CSM_URL lines to that file
// (atomically), so a script can wait for the file and source it. The file is
// removed again on a clean exit.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/jsmtf/terraform-provider-jsm/internal/jsmsite"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "jsmsite:", err)
		os.Exit(1)
	}
}

func run() error {
	addr := flag.String("addr", "127.0.0.1:8089", "loopback `host:port` to listen on (port 0 picks a free port)")
	email := flag.String("email", "admin@example.com", "admin email accepted for basic auth")
	apiToken := flag.String("api-token", "local-dev-token", "API token accepted for basic auth")
	scopedToken := flag.String("scoped-api-token", "local-dev-scoped-token", "scoped API token accepted for basic auth on the gateway (/ex/jira/<cloudId>) and the CSM API")
	accessToken := flag.String("access-token", "local-dev-access-token", "bearer access token accepted through the gateway (/ex/jira/<cloudId>) and on the CSM API, as Atlassian takes bearer tokens (empty disables bearer auth)")
	clientID := flag.String("client-id", "", "a service account's OAuth 2.0 client ID, exchanged with -client-secret at POST /oauth/token for bearer tokens "+
		"accepted through the gateway (/ex/jira/<cloudId>) and on the CSM API (empty: no token endpoint)")
	clientSecret := flag.String("client-secret", "", "the service account's client secret (with -client-id)")
	tokenLifetime := flag.Duration("token-lifetime", jsmsite.DefaultTokenLifetime, "lifetime of the tokens POST /oauth/token issues (shorten it to see renewal)")
	clientScopes := flag.String("client-scopes", "", "comma-separated granular `scopes` granted to -client-id: calls with its tokens that need another scope are refused with 403 (empty: every scope)")
	stateFile := flag.String("state", "", "`file` to load accounts from and save them to (default: in memory only)")
	envFile := flag.String("env-file", "", "`file` to write JSM_URL/JSM_EMAIL/JSM_API_TOKEN to once listening")
	timeZone := flag.String("timezone", jsmsite.DefaultTimeZone, "time zone of new accounts")
	accessLog := flag.Bool("log", true, "log every request on stderr")
	var faults jsmsite.Faults
	flag.DurationVar(&faults.Latency, "latency", 0, "delay every API answer by this `duration`")
	flag.DurationVar(&faults.LatencyJitter, "latency-jitter", 0, "add a random delay of up to this `duration`")
	flag.Float64Var(&faults.RateLimit, "rate-limit", 0, "token-bucket limit in `requests per second` (0: none); excess requests get 429")
	flag.BoolVar(&faults.CostBasedHeaders, "cost-based-headers", false, "with -rate-limit: send X-RateLimit-Limit, -Remaining, -NearLimit and the Beta-RateLimit headers on every answer, "+
		"and name the tenant's quota in the 429, as Atlassian's points-based quota of OAuth apps does "+
		"(default: the 429 is the first sign, as for API-token traffic)")
	flag.IntVar(&faults.Burst, "burst", 0, "token-bucket size (default: one second's worth of -rate-limit)")
	flag.DurationVar(&faults.RetryAfter, "retry-after", time.Second, "Retry-After of injected 429 and 503 answers")
	flag.Float64Var(&faults.Fail429, "fail-429", 0, "`fraction` of API requests answered 429")
	flag.Float64Var(&faults.Fail502, "fail-502", 0, "`fraction` of API requests answered 502")
	flag.Float64Var(&faults.Fail503, "fail-503", 0, "`fraction` of API requests answered 503")
	flag.Float64Var(&faults.CommitThen502, "commit-then-502", 0, "`fraction` of writes applied, then answered 502")
	flag.Float64Var(&faults.CommitThenDrop, "commit-then-drop", 0, "`fraction` of writes applied, then answered by dropping the connection")
	flag.BoolVar(&faults.QuotaExhausted, "quota-exhausted", false, "answer every API request 429 as a site whose hourly quota is spent, until the next full hour")
	flag.StringVar(&faults.StuckPaging, "stuck-paging", "", "paged lists ignore start and never end: `mode` repeat (echo start) or restart (start 0)")
	var answers jsmsite.AccountAnswers
	flag.BoolVar(&answers.DeletedAnswer404, "deleted-404", false, "answer 404 for deleted accounts instead of 200 \"Former user\"")
	hiddenEmail := flag.String("hidden-email", "absent", "how a hidden email shows in answers: `absent`, null or empty")
	flag.BoolVar(&answers.Unavailable, "users-unavailable", false, "answer every GET /rest/api/3/user with outage fallback values")
	flag.BoolVar(&answers.CustomerTimeZoneNull, "customer-timezone-null", false, "answer timeZone null when creating a customer")
	flag.BoolVar(&answers.SearchNewestFirst, "search-newest-first", false, "list user search results newest first")
	flag.IntVar(&answers.BulkPageCap, "bulk-page-cap", 0, "most accounts per page of GET /rest/api/3/user/bulk (0: 200)")
	flag.BoolVar(&answers.BulkUnknown404, "bulk-unknown-404", false, "answer GET /rest/api/3/user/bulk 404 when an ID matches no account, instead of leaving it out")
	gatewayCloudID := flag.String("gateway-cloud-id", "", "the site's `cloudId` (tenant_info, the CSM API, and the gateway path /ex/jira/<cloudId>, where the API is always served too; default: derived from -email)")
	var proxy jsmsite.ProxyFaults
	flag.StringVar(&proxy.RedirectTo, "proxy-redirect-to", "", "answer API requests with a redirect to this `scheme://host` (or \"self\"), as a broken proxy would")
	flag.IntVar(&proxy.RedirectStatus, "proxy-redirect-status", 0, "`status` of -proxy-redirect-to answers (default 302)")
	flag.IntVar(&proxy.HTMLStatus, "proxy-html-status", 0, "answer API requests with this `status` and an HTML page, as a captive portal would")
	flag.IntVar(&proxy.OversizeBody, "proxy-oversize", 0, "pad API answers with this many `bytes` of whitespace")
	flag.DurationVar(&proxy.Trickle, "proxy-trickle", 0, "send API answers' bodies one byte every `duration`")
	flag.IntVar(&proxy.HostileError, "proxy-hostile-error", 0, "answer API requests with this error `status` and a body of escape sequences, "+
		"control characters, invalid UTF-8 and the echoed Authorization header")
	flag.Func("proxy-route", "limit the -proxy-* misbehaviours to this route `name` (repeatable), e.g. \"POST /rest/servicedeskapi/organization\"",
		func(v string) error { proxy.Routes = append(proxy.Routes, v); return nil })
	flag.Func("proxy-method", "limit the -proxy-* misbehaviours to this `method` (repeatable)",
		func(v string) error { proxy.Methods = append(proxy.Methods, v); return nil })
	flag.BoolVar(&faults.NormalizeDotSegments, "normalize-dot-segments", false, "resolve . and .. path segments before routing, as a careless proxy does")
	flag.StringVar(&faults.WrongIdentity, "wrong-identity", "", "answer organization and service desk reads with {} (`mode` empty) or with another object (other)")
	flag.Func("route-rate-limit", "limit one route to `ROUTE=RPS` requests per second, e.g. 'GET /rest/api/3/user/search=2' (repeatable)",
		func(v string) error { return jsmsite.ParseRouteRateLimit(&faults, v) })
	var csm jsmsite.CSMAnswers
	flag.BoolVar(&csm.FeatureOff, "csm-feature-off", false, "answer every Customer Service Management API call 404, as a site whose plan lacks its features")
	flag.BoolVar(&csm.ProfilesOff, "csm-profiles-off", false, "answer every CSM call of customer and organization details 404, as a site without \"Customer and organization profiles\"")
	flag.BoolVar(&csm.ProductsOff, "csm-products-off", false, "answer every CSM call of products and entitlements 404, as a site without \"Products and entitlements\"")
	flag.BoolVar(&csm.AcceptClassicToken, "csm-accept-classic-token", false, "accept the classic -api-token on the CSM API (by default 401: use the access token or -scoped-api-token)")
	flag.StringVar(&csm.EntitlementCreateAnswer, "csm-entitlement-answer", "", "how an entitlement create answers: empty (the entitlement), no-id or array")
	flag.BoolVar(&csm.RefuseClear, "csm-refuse-clear", false, "refuse an empty values list on the CSM API's value writes (400)")
	flag.BoolVar(&csm.AccountAPIOff, "csm-accounts-off", false, "answer the CSM customer account and organization rename operations 404, as a site without them")
	flag.BoolVar(&csm.AccountAnswersOther, "csm-account-answers-other", false, "answer CSM customer account and organization renames in another shape than the one the provider assumes (the rename is made)")
	flag.Parse()
	if flag.NArg() > 0 {
		return fmt.Errorf("unexpected arguments: %v", flag.Args())
	}

	if (*clientID == "") != (*clientSecret == "") {
		return errors.New("-client-id and -client-secret go together: set both, or neither")
	}
	if err := checkLoopback(*addr); err != nil {
		return err
	}
	site, err := jsmsite.New(jsmsite.Config{
		Email: *email, APIToken: *apiToken, AccessToken: *accessToken, ScopedAPIToken: *scopedToken,
		StateFile: *stateFile, TimeZone: *timeZone, CloudID: *gatewayCloudID,
		ClientID: *clientID, ClientSecret: *clientSecret, TokenLifetime: *tokenLifetime, ClientScopes: scopeList(*clientScopes),
	})
	if err != nil {
		return err
	}
	site.SetCSMAnswers(csm)
	if err := site.SetFaults(faults); err != nil {
		return err
	}
	if *hiddenEmail != "absent" {
		answers.HiddenEmail = *hiddenEmail
	}
	if err := site.SetAccountAnswers(answers); err != nil {
		return err
	}
	if err := site.SetProxyFaults(proxy); err != nil {
		return err
	}
	if *envFile != "" {
		// A stale file from an earlier run must not look like readiness.
		if err := os.Remove(*envFile); err != nil && !errors.Is(err, os.ErrNotExist) {
			return err
		}
	}

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	if err := checkBound(ln.Addr()); err != nil {
		ln.Close()
		return err
	}
	url := "http://" + ln.Addr().String() // the real port when -addr ends in :0

	// Always also under the gateway's path, as Atlassian serves every site:
	// bearer and scoped tokens work only there.
	handler := site.Gateway(site.CloudID())
	if *accessLog {
		handler = logRequests(handler)
	}
	srv := &http.Server{Handler: handler, ReadHeaderTimeout: 10 * time.Second}

	fmt.Printf("jsmsite listening on %s\n", url)
	// The CSM API is served on the same host; {cloudId} is filled by the
	// provider from /_edge/tenant_info, as on a real site.
	csmURL := url + jsmsite.CSMPrefix
	fmt.Printf("JSM_URL=%s\nJSM_EMAIL=%s\nJSM_API_TOKEN=%s\nJSM_CSM_URL=%s\n", url, *email, *apiToken, csmURL)
	if *accessToken != "" {
		fmt.Printf("JSM_ACCESS_TOKEN=%s\n", *accessToken)
	}
	if *scopedToken != "" {
		fmt.Printf("scoped API token (gateway and CSM API only): %s\n", *scopedToken)
	}
	if *stateFile != "" {
		fmt.Printf("state file: %s\n", *stateFile)
	}
	if *envFile != "" {
		content := fmt.Sprintf("JSM_URL=%s\nJSM_EMAIL=%s\nJSM_API_TOKEN=%s\nJSM_CSM_URL='%s'\n", url, *email, *apiToken, csmURL)
		if err := writeAtomic(*envFile, content); err != nil {
			ln.Close()
			return err
		}
		defer os.Remove(*envFile)
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()

	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return err
	}
	fmt.Println("jsmsite stopped")
	return nil
}

// checkLoopback refuses anything but a loopback host: the site accepts fixed
// development credentials and must not be reachable from the network.
func checkLoopback(addr string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("-addr %q: %w", addr, err)
	}
	if host == "localhost" {
		return nil
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
		return nil
	}
	return fmt.Errorf("-addr %q: only loopback hosts (127.0.0.1, ::1, localhost) are allowed", addr)
}

// checkBound refuses a listener whose address is not loopback: checkLoopback
// saw only the name asked for, and a name such as localhost can resolve to
// another address.
func checkBound(a net.Addr) error {
	if tcp, ok := a.(*net.TCPAddr); ok && tcp.IP.IsLoopback() {
		return nil
	}
	return fmt.Errorf("refusing to serve on %s: not a loopback address, and the site accepts fixed development "+
		"credentials; use -addr 127.0.0.1:PORT or [::1]:PORT", a)
}

// writeAtomic writes via a temp file and rename so a waiting script never
// reads a partial file.
func writeAtomic(path, content string) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.WriteString(content); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (r *statusRecorder) WriteHeader(code int) {
	r.status = code
	r.ResponseWriter.WriteHeader(code)
}

func logRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(rec, r)
		log.Printf("%s %s -> %d (%s)", r.Method, r.URL.RequestURI(), rec.status, time.Since(start).Round(time.Microsecond))
	})
}

// scopeList splits a comma-separated list of scopes; "" is nil (every scope).
func scopeList(v string) []string {
	var out []string
	for _, s := range strings.Split(v, ",") {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}
