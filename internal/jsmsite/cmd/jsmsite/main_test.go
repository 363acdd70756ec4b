package main

import (
	"net"
	"strings"
	"testing"
)

func TestCheckBound(t *testing.T) {
	for addr, ok := range map[string]bool{
		"127.0.0.1:8089": true,
		"127.0.0.2:8089": true,
		"[::1]:8089":     true,
		"0.0.0.0:8089":   false,
		"[::]:8089":      false,
		"10.1.2.3:8089":  false,
	} {
		a, err := net.ResolveTCPAddr("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		err = checkBound(a)
		if (err == nil) != ok {
			t.Errorf("%s: err = %v, want ok=%v", addr, err, ok)
		}
		if err != nil && !strings.Contains(err.Error(), "not a loopback address") {
			t.Errorf("%s: unclear message %q", addr, err)
		}
	}
	if checkBound(&net.UnixAddr{Name: "/tmp/x", Net: "unix"}) == nil {
		t.Error("a unix socket passed as loopback")
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	if err := checkBound(ln.Addr()); err != nil {
		t.Errorf("a real loopback listener: %v", err)
	}
}
