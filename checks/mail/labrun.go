//go:build ignore

// labrun runs the mail check by hand against loopback endpoints (the lab) and prints what
// it found and how long it took:
//
//	go run ./checks/mail/labrun.go -source 127.0.99.1 127.0.30.25:110/pop3 127.0.30.125:993/imaps
//
// An endpoint is ADDR:PORT/PROTO, PROTO one of pop3, imap, pop3s, imaps (TLS from the first
// byte). Only 127.0.0.0/8 addresses are accepted.
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
	"ecscan/checks/mail"
)

func main() {
	source := flag.String("source", "", "source address")
	name := flag.String("name", "", "host name of the endpoints (SNI)")
	timeout := flag.Duration("timeout", 5*time.Second, "per-exchange timeout")
	verbose := flag.Bool("v", false, "print the evidence")
	flag.Parse()
	var src netip.Addr
	if *source != "" {
		src = netip.MustParseAddr(*source)
	}
	d := checks.NewDialer(checks.DefaultLimits(), src)
	for _, arg := range flag.Args() {
		svc, err := parse(arg, *name)
		if err != nil {
			log.Fatal(err)
		}
		start := time.Now()
		o := mail.Observe(context.Background(), d, svc, *timeout)
		took := time.Since(start)
		fmt.Printf("%s (%s): status %s %s, %s\n", arg, o.Greeting, o.Status, o.Error, took.Round(time.Millisecond))
		for _, f := range mail.Evaluate(o, time.Now()) {
			fmt.Printf("  %-24s %-4s %-6s %s\n", f.ID, f.Outcome, f.Severity, f.Title.EN)
		}
		if *verbose {
			for _, e := range mail.BuildEvidence(o, time.Now()) {
				fmt.Println(e.Data)
			}
		}
	}
	if flag.NArg() == 0 {
		fmt.Fprintln(os.Stderr, "usage: labrun [-source ADDR] ADDR:PORT/PROTO …")
		os.Exit(2)
	}
}

func parse(arg, name string) (checks.Service, error) {
	ep, proto, _ := strings.Cut(arg, "/")
	ap, err := netip.ParseAddrPort(ep)
	if err != nil || !ap.Addr().IsLoopback() {
		return checks.Service{}, fmt.Errorf("%s: want a loopback ADDR:PORT/PROTO", arg)
	}
	implicit := strings.HasSuffix(proto, "s")
	proto = strings.TrimSuffix(proto, "s")
	if proto != "pop3" && proto != "imap" {
		return checks.Service{}, fmt.Errorf("%s: protocol %q is not pop3, imap, pop3s or imaps", arg, proto)
	}
	if name == "" {
		name = ap.Addr().String()
	}
	return checks.Service{Host: name, Addr: ap.Addr(), Port: int(ap.Port()), Protocol: proto, TLS: implicit}, nil
}
