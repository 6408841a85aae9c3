//go:build ignore

// labscan runs the ports check by hand against loopback addresses (the lab) and prints
// what it found and how long it took:
//
//	go run ./checks/ports/labscan.go -ports all -exclude 2024 127.0.30.80
//
// Only 127.0.0.0/8 addresses are accepted.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"net/netip"
	"os"
	"os/signal"
	"runtime"
	"runtime/pprof"
	"strings"
	"time"

	"ecscan/checks"
	"ecscan/checks/ports"
)

func main() {
	spec := flag.String("ports", "default", "ports to scan (ParsePorts syntax)")
	exclude := flag.String("exclude", "", "ports not to scan")
	name := flag.String("name", "", "host name of the addresses (SNI, Host header)")
	source := flag.String("source", "", "source address")
	asJSON := flag.Bool("json", false, "print the results as JSON")
	timeout := flag.Duration("service-timeout", 5*time.Second, "per-exchange timeout")
	cpuprofile := flag.String("cpuprofile", "", "write a CPU profile here")
	sshProbes := flag.Bool("ssh", true, "SSH algorithm and auth-method probes")
	conc := flag.Int("concurrency", 0, "per-address concurrency (0: the default limits)")
	flag.Parse()
	if *cpuprofile != "" {
		f, err := os.Create(*cpuprofile)
		if err != nil {
			log.Fatal(err)
		}
		pprof.StartCPUProfile(f)
		defer pprof.StopCPUProfile()
	}
	ps, err := ports.ParsePorts(*spec)
	if err != nil {
		log.Fatal(err)
	}
	if *exclude != "" {
		ex, err := ports.ParsePorts(*exclude)
		if err != nil {
			log.Fatal(err)
		}
		ps = without(ps, ex)
	}
	var hosts []checks.Host
	for _, a := range flag.Args() {
		addr := netip.MustParseAddr(a)
		if !netip.MustParsePrefix("127.0.0.0/8").Contains(addr) {
			log.Fatalf("%s: only loopback addresses", a)
		}
		n := *name
		if n == "" {
			n = a
		}
		hosts = append(hosts, checks.Host{Name: n, Addrs: []netip.Addr{addr}, InScope: true})
	}
	var src netip.Addr
	if *source != "" {
		src = netip.MustParseAddr(*source)
	}
	limits := checks.DefaultLimits()
	if *conc > 0 {
		limits.HostConcurrency = *conc
	}
	env := &checks.Env{Hosts: hosts, Dialer: checks.NewDialer(limits, src), Now: time.Now}
	cfg := ports.DefaultConfig()
	cfg.Ports, cfg.ServiceTimeout, cfg.SSH = ps, *timeout, *sshProbes
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	start := time.Now()
	var results []checks.Result
	err = ports.New(cfg).Run(ctx, env, func(r checks.Result) { results = append(results, r) })
	elapsed := time.Since(start)
	if err != nil {
		log.Print(err)
		return
	}
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	if *asJSON {
		json.NewEncoder(os.Stdout).Encode(results)
	}
	for _, r := range results {
		obs := r.Data.(*ports.Observation)
		fmt.Printf("%s: status %s, %d ports: %d open, %d closed, %d filtered\n", r.Target, r.Status, obs.Requested, obs.Open, obs.Closed, obs.Filtered)
		var open []string
		for _, s := range r.Services {
			open = append(open, fmt.Sprint(s.Port))
			fmt.Printf("  tcp/%d %s tls=%v starttls=%v product=%q version=%q\n", s.Port, s.Protocol, s.TLS, s.StartTLS, s.Product, s.Version)
		}
		fmt.Printf("  open: %s\n", strings.Join(open, ","))
		for _, f := range r.Findings {
			fmt.Printf("  %-26s %-4s %-6s %s %s\n", f.ID, f.Outcome, f.Severity, f.Subject, f.Title.EN)
		}
	}
	fmt.Printf("elapsed %v, heap in use %d MB, total allocated %d MB, sys %d MB\n", elapsed.Round(time.Millisecond), ms.HeapInuse>>20, ms.TotalAlloc>>20, ms.Sys>>20)
}

func without(ps, ex []int) []int {
	skip := map[int]bool{}
	for _, p := range ex {
		skip[p] = true
	}
	var out []int
	for _, p := range ps {
		if !skip[p] {
			out = append(out, p)
		}
	}
	return out
}
