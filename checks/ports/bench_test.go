package ports

import (
	"context"
	"net"
	"slices"
	"testing"
	"time"

	"ecscan/checks"
	"ecscan/checks/checktest"
)

// portField opens n ports of 127.0.0.1: every step-th listens, the others are held closed
// (checktest.ClosedPort), so the scan touches only ports of this test and no other test
// can open one of the closed ones meanwhile. It returns all the ports and the open ones.
// The open listeners greet like a VNC server, recognised at once.
func portField(tb testing.TB, n, step int) (all, open []int) {
	tb.Helper()
	for i := range n {
		if i%step != 0 {
			all = append(all, int(checktest.ClosedPort(tb).Port()))
			continue
		}
		port := int(checktest.Serve(tb, func(c net.Conn) { c.Write([]byte("RFB 003.008\n")) }).Port())
		all = append(all, port)
		open = append(open, port)
	}
	slices.Sort(all)
	slices.Sort(open)
	return all, open
}

func TestScanManyPorts(t *testing.T) {
	all, open := portField(t, 600, 50)
	res := scanPorts(t, Config{ServiceTimeout: time.Second}, all...)
	obs := res.Data.(*Observation)
	var got []int
	for _, s := range res.Services {
		got = append(got, s.Port)
	}
	if !slices.Equal(got, open) || obs.Open != len(open) || obs.Closed != len(all)-len(open) {
		t.Errorf("open %v (%d, closed %d), want %v (closed %d)", got, obs.Open, obs.Closed, open, len(all)-len(open))
	}
}

// BenchmarkScan scans 3000 ports of 127.0.0.1, 60 of them open, as the check does.
func BenchmarkScan(b *testing.B) {
	all, open := portField(b, 3000, 50)
	cfg := Config{Ports: all, Retries: 1, ServiceTimeout: time.Second}
	env := testEnv("localhost")
	b.ResetTimer()
	for b.Loop() {
		n := 0
		err := New(cfg).Run(context.Background(), env, func(r checks.Result) { n = len(r.Services) })
		if err != nil || n != len(open) {
			b.Fatalf("found %d open ports, %v; want %d", n, err, len(open))
		}
	}
	b.ReportMetric(float64(len(all)), "ports/op")
}

// Past maxIdentify open ports on one address, the rest are listed without probes.
func TestIdentifyCap(t *testing.T) {
	defer func(n int) { maxIdentify = n }(maxIdentify)
	maxIdentify = 5
	all, open := portField(t, 8, 1)
	res := scanPorts(t, Config{ServiceTimeout: time.Second}, all...)
	obs := res.Data.(*Observation)
	identified, skipped := 0, 0
	for _, po := range obs.Ports {
		switch {
		case po.Service.Protocol == "vnc":
			identified++
		case po.Status == checks.StatusSkipped && po.Service.Protocol == "unknown":
			skipped++
		}
	}
	if len(obs.Ports) != len(open) || identified != 5 || skipped != len(open)-5 {
		t.Errorf("%d ports, %d identified, %d skipped; want %d, 5, %d", len(obs.Ports), identified, skipped, len(open), len(open)-5)
	}
}
