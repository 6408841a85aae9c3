//go:build ignore

// labrun runs the FTP check by hand against loopback endpoints (the lab) and prints what
// it found and how long it took:
//
//	go run ./checks/ftp/labrun.go -source 127.0.99.1 127.0.30.21:21 127.0.30.121:21
//
// An endpoint is ADDR:PORT, or ADDR:PORT/ftps for TLS from the first byte. -intrusive adds
// the write and bounce tests. Only 127.0.0.0/8 addresses are accepted.
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"net/netip"
	"os"
	"strings"
	"time"

	"ecscan/checks"
	"ecscan/checks/ftp"
)

func main() {
	source := flag.String("source", "", "source address")
	name := flag.String("name", "", "host name of the endpoints (SNI)")
	timeout := flag.Duration("timeout", 5*time.Second, "per-exchange timeout")
	intrusive := flag.Bool("intrusive", false, "write test and bounce test")
	samples := flag.Int("samples", 0, "passive samples (0: the default)")
	verbose := flag.Bool("v", false, "print the evidence")
	flag.Parse()
	if flag.NArg() == 0 {
		fmt.Fprintln(os.Stderr, "usage: labrun [-source ADDR] [-intrusive] ADDR:PORT[/ftps] …")
		os.Exit(2)
	}
	var src netip.Addr
	if *source != "" {
		src = netip.MustParseAddr(*source)
	}
	d := checks.NewDialer(checks.DefaultLimits(), src)
	cfg := ftp.Config{Timeout: *timeout, Intrusive: *intrusive, PassiveSamples: *samples}
	for _, arg := range flag.Args() {
		ep, kind, _ := strings.Cut(arg, "/")
		ap, err := netip.ParseAddrPort(ep)
		if err != nil || !ap.Addr().IsLoopback() {
			log.Fatalf("%s: want a loopback ADDR:PORT[/ftps]", arg)
		}
		host := *name
		if host == "" {
			host = ap.Addr().String()
		}
		svc := checks.Service{Host: host, Addr: ap.Addr(), Port: int(ap.Port()), Protocol: "ftp", TLS: kind == "ftps"}
		start := time.Now()
		o := ftp.Observe(context.Background(), d, svc, cfg, time.Now)
		took := time.Since(start)
		fmt.Printf("%s (%s): status %s %s, %s\n", arg, o.Banner, o.Status, o.Error, took.Round(time.Millisecond))
		for _, f := range ftp.Evaluate(o, time.Now()) {
			fmt.Printf("  %-24s %-4s %-6s %s\n", f.ID, f.Outcome, f.Severity, f.Title.EN)
		}
		if *verbose {
			for _, e := range ftp.BuildEvidence(o, time.Now()) {
				fmt.Printf("--- %s: %s\n%s", e.ID, e.Title, e.Data)
			}
		}
	}
}
