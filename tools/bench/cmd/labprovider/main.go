// Command labprovider is the provider's plugin server, as in the module's
// main.go, with the benchmark's switches, which the provider itself does not
// have:
//
//	BENCH_READS_ALONE=1     every account read goes alone (GET
//	                        /rest/api/3/user), at once: the plans'
//	                        comparison. Its HTTP client answers the bulk
//	                        read (GET /rest/api/3/user/bulk) 404 itself,
//	                        as a proxy without that route would; after
//	                        three such answers the provider reads every
//	                        account alone without waiting to gather
//	BENCH_PROFILE_DIR=DIR   a CPU profile and a heap profile of its own
//	                        process: cpu-<pid>.pprof and heap-<pid>.pprof,
//	                        and mem-<pid>.txt, the peaks of the live heap
//	                        (after a GC), of the heap objects (live and
//	                        garbage) and of the memory the runtime holds,
//	                        sampled every 20 ms
//
// Terraform cannot run a provider under a profiler, and a provider launched
// by Terraform ends when Terraform asks it to stop (Serve returns), which is
// when the profiles are written. `bench -profile DIR` uses it in place of
// the real provider for every step, and the budget plans that read each
// account alone use it with BENCH_READS_ALONE.
package main

import (
	"fmt"
	"io"
	"log"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"runtime/pprof"
	"strings"
	"time"

	"github.com/jsmtf/terraform-provider-jsm/internal/jsm"
	"github.com/jsmtf/terraform-provider-jsm/internal/provider"
	"github.com/jsmtf/terraform-provider-jsm/internal/serve"
)

func main() {
	dir := os.Getenv("BENCH_PROFILE_DIR")
	var stop func()
	if dir != "" {
		stop = startProfiles(dir)
	}
	var opts []provider.Option
	if os.Getenv("BENCH_READS_ALONE") != "" {
		hc := jsm.NewHTTPClient()
		hc.Transport = noBulk{hc.Transport}
		opts = append(opts, provider.WithClientConfig(func(c *jsm.Config) { c.HTTPClient = hc }))
	}
	err := serve.Run("jsm", provider.New("bench", opts...), false) // as the real main.go does
	if stop != nil {
		stop()
	}
	if err != nil {
		log.Fatal(err.Error())
	}
}

// noBulk answers every bulk account read 404 without sending it, as a
// proxy or gateway without that route does.
type noBulk struct{ base http.RoundTripper }

func (t noBulk) RoundTrip(req *http.Request) (*http.Response, error) {
	if !strings.HasSuffix(req.URL.Path, "/rest/api/3/user/bulk") {
		return t.base.RoundTrip(req)
	}
	if req.Body != nil {
		req.Body.Close()
	}
	body := `{"errorMessages":["no such route"],"errors":{}}`
	return &http.Response{StatusCode: http.StatusNotFound, Status: "404 Not Found", Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header: http.Header{"Content-Type": {"application/json"}}, Body: io.NopCloser(strings.NewReader(body)),
		ContentLength: int64(len(body)), Request: req}, nil
}

func startProfiles(dir string) func() {
	pid := os.Getpid()
	cpu, err := os.Create(filepath.Join(dir, fmt.Sprintf("cpu-%d.pprof", pid)))
	if err != nil {
		fmt.Fprintln(os.Stderr, "labprovider:", err)
		return nil
	}
	if err := pprof.StartCPUProfile(cpu); err != nil {
		fmt.Fprintln(os.Stderr, "labprovider:", err)
		cpu.Close()
		return nil
	}
	done := make(chan struct{})
	memDone := sampleMemory(filepath.Join(dir, fmt.Sprintf("mem-%d.txt", pid)), done)
	return func() {
		close(done)
		<-memDone
		pprof.StopCPUProfile()
		cpu.Close()
		runtime.GC()
		if g, err := os.Create(filepath.Join(dir, fmt.Sprintf("goroutines-%d.txt", pid))); err == nil {
			_ = pprof.Lookup("goroutine").WriteTo(g, 1)
			g.Close()
		}
		if heap, err := os.Create(filepath.Join(dir, fmt.Sprintf("heap-%d.pprof", pid))); err == nil {
			_ = pprof.Lookup("allocs").WriteTo(heap, 0)
			heap.Close()
		}
	}
}

// sampleMemory records the peaks of a few runtime metrics until done.
func sampleMemory(path string, done <-chan struct{}) <-chan struct{} {
	names := []string{"/gc/heap/live:bytes", "/memory/classes/heap/objects:bytes", "/memory/classes/total:bytes", "/gc/heap/goal:bytes", "/sched/goroutines:goroutines"}
	samples := make([]metrics.Sample, len(names))
	for i, n := range names {
		samples[i].Name = n
	}
	peaks := make([]uint64, len(names))
	out := make(chan struct{})
	go func() {
		defer close(out)
		t := time.NewTicker(20 * time.Millisecond)
		defer t.Stop()
		for {
			metrics.Read(samples)
			for i, s := range samples {
				if s.Value.Kind() == metrics.KindUint64 {
					peaks[i] = max(peaks[i], s.Value.Uint64())
				}
			}
			select {
			case <-done:
				if f, err := os.Create(path); err == nil {
					for i, n := range names {
						if strings.HasSuffix(n, ":bytes") {
							fmt.Fprintf(f, "%s %.1f MiB\n", n, float64(peaks[i])/(1<<20))
						} else {
							fmt.Fprintf(f, "%s %d\n", n, peaks[i])
						}
					}
					f.Close()
				}
				return
			case <-t.C:
			}
		}
	}()
	return out
}
