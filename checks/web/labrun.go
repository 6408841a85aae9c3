//go:build ignore

// labrun runs the web check by hand against loopback web servers (the lab) and prints what
// it found and how long it took:
//
//	go build -o bin/ ./cmd/ecscan-nuclei && ECSCAN_NUCLEI=bin/ecscan-nuclei \
//	    go run ./checks/web/labrun.go -resolver 127.0.30.53:53 \
//	    www.ecshop.test=127.0.30.80:80 www.ecshop.test=127.0.30.80:443/https
//
// A target is NAME=ADDR:PORT, with /https for TLS from the first byte. -intrusive adds the
// exploit proofs and the PUT/DELETE test; -debug FILE keeps nuclei's log. Only 127.0.0.0/8
// addresses are accepted.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log"
	"net/netip"
	"os"
	"strings"
	"time"

	"ecscan/checks"
	"ecscan/checks/web"
)

func main() {
	source := flag.String("source", "", "source address")
	resolver := flag.String("resolver", "127.0.30.53:53", "the lab's DNS (ip:port)")
	timeout := flag.Duration("timeout", 5*time.Second, "per-request timeout")
	rate := flag.Float64("host-rate", web.DefaultHostRate, "requests per second per address")
	intrusive := flag.Bool("intrusive", false, "exploit proofs and the PUT/DELETE test")
	debug := flag.String("debug", "", "file for nuclei's log")
	verbose := flag.Bool("v", false, "print the evidence")
	flag.Parse()
	if flag.NArg() == 0 {
		fmt.Fprintln(os.Stderr, "usage: labrun [-resolver IP:PORT] [-intrusive] NAME=ADDR:PORT[/https] …")
		os.Exit(2)
	}
	var src netip.Addr
	if *source != "" {
		src = netip.MustParseAddr(*source)
	}
	var services []checks.Service
	for _, arg := range flag.Args() {
		name, rest, _ := strings.Cut(arg, "=")
		ep, kind, _ := strings.Cut(rest, "/")
		ap, err := netip.ParseAddrPort(ep)
		if err != nil || !ap.Addr().IsLoopback() || name == "" {
			log.Fatalf("%s: want NAME=ADDR:PORT[/https] on loopback", arg)
		}
		services = append(services, checks.Service{Host: name, Addr: ap.Addr(), Port: int(ap.Port()), Protocol: "http", TLS: kind == "https"})
	}
	var dbg io.Writer = io.Discard
	if *debug != "" {
		f, err := os.Create(*debug)
		if err != nil {
			log.Fatal(err)
		}
		defer f.Close()
		dbg = f
	}
	env := &checks.Env{Services: services, Dialer: checks.NewDialer(checks.DefaultLimits(), src), Now: time.Now}
	cfg := web.Config{HostRate: *rate, Timeout: *timeout, Intrusive: *intrusive, AllowPrivate: true, Resolver: *resolver, Debug: dbg}
	start := time.Now()
	err := web.New(cfg).Run(context.Background(), env, func(r checks.Result) {
		fmt.Printf("%s (%s): status %s %s\n", r.Target, r.Addr, r.Status, r.Error)
		for _, f := range r.Findings {
			fmt.Printf("  %-26s %-5s %-8s %-28s %s\n", f.ID, f.Outcome, f.Severity, f.Subject, f.Title.EN)
		}
		if *verbose {
			for _, e := range r.Evidence {
				fmt.Printf("  --- %s: %s\n%s\n", e.ID, e.Title, e.Data)
			}
		}
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("took %s\n", time.Since(start).Round(time.Millisecond))
}
