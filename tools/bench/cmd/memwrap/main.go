// Command memwrap stands in for terraform-provider-jsm in the benchmark's
// dev_overrides directory: it runs the real provider binary as a child with
// the same arguments, environment, stdin, stdout and stderr (so go-plugin's
// handshake line and the gRPC socket go straight between Terraform and the
// child), forwards signals, waits, and appends the child's peak resident set
// size to a file. Terraform starts a provider several times per command
// (validate, plan, apply): the benchmark takes the largest figure.
//
// Environment:
//
//	BENCH_BIN_<NAME>     the real binary for a wrapper installed as <name>, upper
//	                     case, dashes as underscores, e.g.
//	                     BENCH_BIN_TERRAFORM_PROVIDER_JSM
//	BENCH_PROVIDER_BIN   the real binary when BENCH_BIN_<NAME> is not set
//	BENCH_MAXRSS_FILE    file to append "<maxrss KiB> <wall ms> <pid> <user CPU ms> <system CPU ms>\n"
//	                     to (optional)
//	BENCH_CHILD_ENV      comma-separated KEY=VALUE pairs added to the child's
//	                     environment only, for experiments (optional)
package main

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

func main() {
	name := strings.ToUpper(strings.ReplaceAll(filepath.Base(os.Args[0]), "-", "_"))
	bin := os.Getenv("BENCH_BIN_" + name)
	if bin == "" {
		bin = os.Getenv("BENCH_PROVIDER_BIN")
	}
	if bin == "" {
		fmt.Fprintf(os.Stderr, "memwrap: neither BENCH_BIN_%s nor BENCH_PROVIDER_BIN is set\n", name)
		os.Exit(2)
	}
	cmd := exec.Command(bin, os.Args[1:]...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	cmd.Env = os.Environ()
	if extra := os.Getenv("BENCH_CHILD_ENV"); extra != "" {
		cmd.Env = append(cmd.Env, strings.Split(extra, ",")...)
	}

	// Catch the signals before starting the child, so none is lost.
	sigs := make(chan os.Signal, 8)
	signal.Notify(sigs, syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP, syscall.SIGQUIT)

	start := time.Now()
	if err := cmd.Start(); err != nil {
		fmt.Fprintln(os.Stderr, "memwrap:", err)
		os.Exit(1)
	}
	go func() {
		for s := range sigs {
			_ = cmd.Process.Signal(s)
		}
	}()
	err := cmd.Wait()
	signal.Stop(sigs)
	wall := time.Since(start)

	if f := os.Getenv("BENCH_MAXRSS_FILE"); f != "" && cmd.ProcessState != nil {
		if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
			// Maxrss is in KiB on Linux. O_APPEND writes of one short line
			// are atomic, so concurrent providers do not interleave.
			if out, oerr := os.OpenFile(f, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644); oerr == nil {
				fmt.Fprintf(out, "%d %d %d %d %d\n", ru.Maxrss, wall.Milliseconds(), cmd.Process.Pid,
					time.Duration(ru.Utime.Nano()).Milliseconds(), time.Duration(ru.Stime.Nano()).Milliseconds())
				out.Close()
			}
		}
	}

	if err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
				os.Exit(128 + int(ws.Signal()))
			}
			os.Exit(ee.ExitCode())
		}
		fmt.Fprintln(os.Stderr, "memwrap:", err)
		os.Exit(1)
	}
}
