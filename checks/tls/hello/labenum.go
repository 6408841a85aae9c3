//go:build ignore

// labenum runs Enumerate by hand against a loopback TLS endpoint (the lab) and prints what
// it found, to set beside sslscan and nmap's ssl-enum-ciphers:
//
//	go run ./checks/tls/hello/labenum.go -name www.ecshop.test 127.0.30.80:443
//
// Only 127.0.0.0/8 addresses are accepted.
package main

import (
	"context"
	"crypto/x509"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"net"
	"net/netip"
	"os"
	"os/signal"
	"strings"
	"time"

	"ecscan/checks"
	"ecscan/checks/tls/hello"
)

func main() {
	name := flag.String("name", "", "server name (SNI)")
	timeout := flag.Duration("timeout", 5*time.Second, "per-probe timeout")
	parallel := flag.Int("parallel", 1, "versions probed at once")
	source := flag.String("source", "", "source address")
	transcript := flag.Bool("transcript", false, "print the transcript")
	asJSON := flag.Bool("json", false, "print the enumeration as JSON")
	flag.Parse()
	if flag.NArg() != 1 {
		log.Fatal("usage: labenum [flags] 127.x.y.z:port")
	}
	ap := netip.MustParseAddrPort(flag.Arg(0))
	if !netip.MustParsePrefix("127.0.0.0/8").Contains(ap.Addr()) {
		log.Fatalf("%s: only loopback addresses", ap)
	}
	var src netip.Addr
	if *source != "" {
		src = netip.MustParseAddr(*source)
	}
	d := checks.NewDialer(checks.DefaultLimits(), src)
	dial := func(ctx context.Context) (net.Conn, error) { return d.DialContext(ctx, "tcp", ap.String()) }
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	start := time.Now()
	en, err := hello.Enumerate(ctx, dial, hello.Options{ServerName: *name, Timeout: *timeout, Parallel: *parallel})
	elapsed := time.Since(start)
	if err != nil {
		fmt.Printf("error (%s): %v\n", checks.Classify(err), err)
	}
	if en == nil {
		return
	}
	if *asJSON {
		json.NewEncoder(os.Stdout).Encode(en)
	}
	if *transcript {
		fmt.Println(strings.Join(en.Transcript, "\n"))
	}
	print(en)
	fmt.Printf("%d probes in %v\n", len(en.Transcript), elapsed.Round(time.Millisecond))
}

func print(en *hello.Enumeration) {
	for _, v := range hello.AllVersions() {
		r := en.Versions[v]
		if r == nil {
			continue
		}
		fmt.Printf("%-8s offered=%v no-usable-suite=%v answered-with=%v server-order=%v dh-bits=%d\n",
			v, r.Offered, r.NoUsableSuite, answered(r.AnsweredWith), r.ServerOrder, r.DHBits)
		for _, id := range r.Suites {
			s, _ := hello.SuiteByID(id)
			mark := ""
			if id == r.Preferred {
				mark = " (preferred)"
			}
			fmt.Printf("    0x%04X %-45s %3d bits%s\n", id, s.Name, s.Bits, mark)
		}
		for _, id := range r.SSLv2Ciphers {
			c, _ := hello.SSLv2CipherByID(id)
			fmt.Printf("    0x%06X %s\n", id, c.Name)
		}
		if len(r.Groups) > 0 {
			var names []string
			for _, g := range r.Groups {
				names = append(names, hello.GroupName(g))
			}
			fmt.Printf("    groups: %s\n", strings.Join(names, " "))
		}
	}
	for i, der := range en.Certificates {
		if c, err := x509.ParseCertificate(der); err == nil {
			fmt.Printf("certificate %d: %s (%s, %d bytes)\n", i, c.Subject, c.PublicKeyAlgorithm, len(der))
		}
	}
}

func answered(v hello.Version) string {
	if v == 0 {
		return "-"
	}
	return v.String()
}
