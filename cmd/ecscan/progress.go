package main

import (
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	"golang.org/x/term"

	"ecscan/report"
)

// progress shows a scan's progress: on a terminal, one status line redrawn in place (hosts,
// ports, checks done/total, elapsed) with log lines printed above it; elsewhere, only the log
// lines, which suit cron and log files.
type progress struct {
	w    io.Writer
	live bool

	mu       sync.Mutex
	started  time.Time
	hosts    int
	checks   int
	done     int
	counters map[string][2]int
	ticker   *time.Ticker
	quit     chan struct{}
	drawn    bool
}

func newProgress(w io.Writer, mode string) *progress {
	live := mode == "always"
	if mode == "auto" {
		if f, ok := w.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
			live = true
		}
	}
	return &progress{w: w, live: live, counters: map[string][2]int{}}
}

// start begins the display for a scan of hosts with checks checks.
func (p *progress) start(hosts, checks int) {
	p.mu.Lock()
	p.started, p.hosts, p.checks = time.Now(), hosts, checks
	p.mu.Unlock()
	if !p.live {
		return
	}
	p.ticker, p.quit = time.NewTicker(200*time.Millisecond), make(chan struct{})
	go func() {
		for {
			select {
			case <-p.ticker.C:
				p.mu.Lock()
				p.draw()
				p.mu.Unlock()
			case <-p.quit:
				return
			}
		}
	}()
}

// stop ends the display, leaving no status line behind.
func (p *progress) stop() {
	if p.ticker == nil {
		return
	}
	p.ticker.Stop()
	close(p.quit)
	p.mu.Lock()
	p.clear()
	p.mu.Unlock()
}

// CheckStarted is part of checks.Progress.
func (p *progress) CheckStarted(string) {}

// CheckDone counts a finished check.
func (p *progress) CheckDone(string, error) {
	p.mu.Lock()
	p.done++
	p.mu.Unlock()
}

// Add counts work units of a kind.
func (p *progress) Add(kind string, done, total int) {
	p.mu.Lock()
	c := p.counters[kind]
	p.counters[kind] = [2]int{c[0] + done, c[1] + total}
	p.mu.Unlock()
}

// draw redraws the status line; p.mu is held.
func (p *progress) draw() {
	c := p.counters["ports"]
	line := fmt.Sprintf("hosts %d  ports %d/%d  checks %d/%d  %s", p.hosts, c[0], c[1], p.done, p.checks, time.Since(p.started).Round(100*time.Millisecond))
	fmt.Fprintf(p.w, "\r\x1b[K%s", line)
	p.drawn = true
}

func (p *progress) clear() {
	if p.drawn {
		fmt.Fprint(p.w, "\r\x1b[K")
		p.drawn = false
	}
}

// logWriter returns where log lines go: above the status line on a terminal.
func (p *progress) logWriter() io.Writer { return logWriter{p} }

type logWriter struct{ p *progress }

func (l logWriter) Write(b []byte) (int, error) {
	l.p.mu.Lock()
	defer l.p.mu.Unlock()
	l.p.clear()
	return l.p.w.Write([]byte(report.Terminal(string(b[:len(b)-1])) + "\n"))
}

// summary prints where the reports are and what they hold.
func (p *progress) summary(rep *report.Report, cfg *scanConfig) {
	s := rep.Summary
	fails := 0
	for _, n := range s.Failures {
		fails += n
	}
	fmt.Fprintf(p.w, "ecscan: %d hosts in scope, %d open ports, %d failures, %d passes; questionnaire: %d by the scan, %d open; reports in %s\n",
		s.HostsInScope, s.OpenPorts, fails, s.Passes, s.Answered["scan"], s.Answered["open"], report.Terminal(cfg.Out))
}
