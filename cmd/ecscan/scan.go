package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/netip"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"ecscan/checks"
	dnscheck "ecscan/checks/dns"
	"ecscan/checks/ftp"
	"ecscan/checks/mail"
	"ecscan/checks/ports"
	"ecscan/checks/smtp"
	tlscheck "ecscan/checks/tls"
	"ecscan/checks/web"
	"ecscan/mapping"
	"ecscan/report"
	"ecscan/report/diff"
)

func (a *app) scanCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "scan [flags] TARGET...",
		Short: "Scan a shop's public hosts and fill in the questionnaire from what was found",
		Long: `Scan the public surface of an online shop and answer the technical questions of the
ECOM self-assessment from the evidence.

A TARGET is a domain (its apex, www, MX and NS hosts are discovered), a host name or an
address. Hosts outside the domains (a mail provider's MX) are reported but not probed.`,
		Example: `  ecscan scan shop.example.jp
  ecscan scan --config ecscan.yaml --answers answers.yaml --out report/
  ecscan scan --allow-private --resolver 127.0.30.53:53 ecshop.test`,
		RunE: func(cmd *cobra.Command, args []string) error {
			cfg, err := a.loadScanConfig(cmd, args)
			if err != nil {
				return err
			}
			return a.runScan(cmd.Context(), cfg)
		},
	}
	addScanFlags(cmd)
	return cmd
}

// scanOutcome carries the exit code of a scan that ran.
type scanOutcome struct {
	code int
	msg  string
}

func (o scanOutcome) Error() string { return o.msg }

// runScan discovers, probes, answers and writes the reports.
func (a *app) runScan(parent context.Context, cfg *scanConfig) error {
	// The questionnaire and the operator's answers are loaded and validated first, so that
	// bad input stops ecscan before any probe.
	loaded, err := a.startQuestionnaire(cfg)
	if err != nil {
		return err
	}
	st, err := openState(cfg)
	if err != nil {
		return err
	}
	if st != nil {
		defer st.unlock()
	}
	raiseFileLimit()
	ctx, stop := signal.NotifyContext(orBackground(parent), os.Interrupt, syscall.SIGTERM)
	defer stop()

	prog := newProgress(a.stderr, cfg.Progress)
	log := newLogger(prog, cfg)
	dialer := checks.NewDialer(cfg.Limits, cfg.Source)
	disc, err := dnscheck.Discover(ctx, dnscheck.DiscoverConfig{
		Targets: cfg.Targets, Names: cfg.Names, AllowPrivate: cfg.AllowPrivate,
		Resolver: cfg.Resolver, Timeout: cfg.Limits.Timeout, Dialer: dialer,
	})
	if err != nil {
		if ctx.Err() != nil {
			return scanOutcome{exitFailed, "interrupted during discovery"}
		}
		return usageError{err}
	}
	env := &checks.Env{
		Domains: disc.Domains, Hosts: disc.Hosts, Dialer: dialer, Now: time.Now,
		Log: log, Progress: prog,
	}
	if len(env.Targets()) == 0 {
		return usagef("no host in scope has an address to scan (see --allow-private)")
	}
	log.Info("scan started", "targets", cfg.Targets, "hosts", len(env.Targets()), "ports", len(cfg.Ports))
	env.Intrusive = cfg.Intrusive
	debug, err := openDebugLog(cfg.DebugLog)
	if err != nil {
		return usageError{err}
	}
	defer debug.Close()
	stages := scanStages(cfg, debug)
	if len(cfg.Checks) == 0 || slices.Contains(cfg.Checks, "web") {
		if _, err := web.RunnerPath(); err != nil {
			log.Warn("web check: the templates will not run; the check's own requests will", "reason", err.Error())
		}
	}
	prog.start(len(env.Targets()), len(stages[0])+len(stages[1]))
	runner := &checks.Runner{Stages: stages}
	run := runner.Run(ctx, env)
	prog.stop()
	for _, e := range disc.Evidence {
		run.Results = append(run.Results, checks.Result{Check: "discovery", Target: e.Target, Status: checks.StatusOK, Started: e.Time, Ended: e.Time, Evidence: []checks.Evidence{e}})
	}

	qs, err := loaded()
	if err != nil {
		return err
	}
	cat := qs.catalog
	rep := report.Build(run, nil)
	rep.Scanner = report.Scanner{Name: "ecscan", Version: version}
	rep.Config, rep.Targets, rep.Domains, rep.Hosts = cfg.EffectiveConfig, cfg.Targets, disc.Domains, disc.Hosts
	rep.SourceAddress = sourceAddresses(cfg.Source, env.Targets())
	var hist *mapping.HistorySummary
	if st != nil {
		st.loadHistory(rep)
		hist = st.summary()
	}
	rep.Answers = mapping.Join(mapping.Input{
		Catalog: cat, Rules: qs.rules, Findings: rep.Findings, Operator: qs.operator, Now: run.Ended,
		Facts: mapping.DeriveFacts(run.Results, run.Services, cfg.Allowed, hist),
	})
	if st != nil && st.baseline != nil {
		st.diff = diff.Compare(st.baseline, rep)
		rep.Diff = st.diff
	}
	rep.Summarize()
	o := report.Options{Lang: cfg.Lang, Catalog: cat}
	if err := writeReports(cfg, rep, o); err != nil {
		return err
	}
	if cfg.Evidence != "" {
		if err := report.WriteEvidencePack(cfg.Evidence, rep, o); err != nil {
			return scanOutcome{exitFailed, fmt.Sprintf("--evidence: %v", err)}
		}
	}
	if st != nil {
		if err := st.save(rep, cfg, o); err != nil {
			return scanOutcome{exitFailed, fmt.Sprintf("--state: saving the run: %v", err)}
		}
		if st.diff != nil {
			if err := writeDiff(a.stdout, st.diff, cfg.DiffFormat, cfg.Lang, false); err != nil {
				return err
			}
		}
	}
	log.Info("scan finished", "out", cfg.Out, "findings", len(rep.Findings), "interrupted", run.Interrupted)
	if prog.live {
		prog.summary(rep, cfg)
	}
	return scanExit(rep, run, cfg, st)
}

// newLogger returns the scan's logger: on a terminal, progress lines; elsewhere (cron)
// nothing but warnings and errors. --log-format json writes JSON lines for log collectors.
func newLogger(p *progress, cfg *scanConfig) *slog.Logger {
	level := slog.LevelWarn
	if p.live {
		level = slog.LevelInfo
	}
	opts := &slog.HandlerOptions{Level: level}
	if cfg.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(p.logWriter(), opts))
	}
	return slog.New(slog.NewTextHandler(p.logWriter(), opts))
}

// startQuestionnaire loads the catalog, the answer rules and the operator's answers. What
// the operator gives (--catalog, --answers) is loaded and validated at once, so that bad
// input stops ecscan before any probe; the built-in catalog and rules alone (which the
// tests keep valid) load while the scan runs, off its critical path.
func (a *app) startQuestionnaire(cfg *scanConfig) (func() (*questionnaire, error), error) {
	if cfg.AnswersFile != "" || a.v.GetString("catalog") != "" {
		q, err := a.loadQuestionnaire(cfg)
		if err != nil {
			return nil, err
		}
		return func() (*questionnaire, error) { return q, nil }, nil
	}
	var q *questionnaire
	var err error
	done := make(chan struct{})
	go func() {
		defer close(done)
		q, err = a.loadQuestionnaire(cfg)
	}()
	return func() (*questionnaire, error) {
		<-done
		return q, err
	}, nil
}

// questionnaire is what the join needs besides the run.
type questionnaire struct {
	catalog  *mapping.Catalog
	rules    *mapping.Rules
	operator *mapping.Answers
}

// loadQuestionnaire loads the catalog, the answer rules and the operator's answers.
func (a *app) loadQuestionnaire(cfg *scanConfig) (*questionnaire, error) {
	var q questionnaire
	var err error
	if q.catalog, err = a.loadCatalog(); err != nil {
		return nil, err
	}
	if q.rules, err = mapping.DefaultRules(q.catalog); err != nil {
		return nil, err
	}
	if cfg.AnswersFile != "" {
		if q.operator, err = mapping.LoadAnswers(cfg.AnswersFile, q.catalog); err != nil {
			return nil, usageError{err}
		}
	}
	return &q, nil
}

// checkNames are the checks --checks can select; the ports check always runs, since it
// builds the service map the others read ("--checks ports" runs it alone).
var checkNames = []string{"dns", "tls", "smtp", "mail", "ftp", "web"}

// scanStages wires the checks: the ports and DNS checks first; the checks fed by the
// service map they produce second.
func scanStages(cfg *scanConfig, debug io.Writer) [][]checks.Check {
	first := []checks.Check{ports.New(ports.Config{Ports: cfg.Ports, Retries: cfg.Retries, ServiceTimeout: cfg.ServiceTimeout, SSH: true})}
	second := []checks.Check{}
	for _, c := range []checks.Check{
		dnscheck.New(dnscheck.Config{Resolver: cfg.Resolver, Timeout: dnscheck.DefaultTimeout, RecursionName: cfg.RecursionName}),
		tlscheck.New(tlscheck.Config{CABundle: cfg.CABundle, ExpiryWarning: cfg.ExpiryWarning, HostConnections: cfg.TLSHostConns, Timeout: cfg.Limits.Timeout}),
		smtp.New(smtp.Config{RelayTestTo: cfg.RelayTestTo, Timeout: cfg.Limits.Timeout}),
		mail.New(mail.Config{Timeout: cfg.Limits.Timeout}),
		ftp.New(ftp.Config{Timeout: cfg.Limits.Timeout, Intrusive: cfg.Intrusive}),
		web.New(web.Config{
			HostRate: cfg.WebRate, GlobalRate: cfg.WebGlobalRate, Timeout: cfg.Limits.Timeout,
			Intrusive: cfg.Intrusive, AllowPrivate: cfg.AllowPrivate, Resolver: cfg.Resolver, Debug: debug,
		}),
	} {
		if len(cfg.Checks) > 0 && !slices.Contains(cfg.Checks, c.Name()) {
			continue
		}
		if c.Name() == "dns" {
			first = append(first, c)
		} else {
			second = append(second, c)
		}
	}
	return [][]checks.Check{first, second}
}

// scanExit turns the run's outcome into the exit code: 3 (interrupted, nothing ran), then 5
// (a regression since the previous run), then 1 (failures at or above --fail-on).
func scanExit(rep *report.Report, run *checks.Run, cfg *scanConfig, st *stateRun) error {
	if run.Interrupted {
		return scanOutcome{exitFailed, "scan interrupted; the report holds what was gathered in " + cfg.Out}
	}
	if len(run.Errors) > 0 && len(run.Results) == 0 {
		return scanOutcome{exitFailed, "no check could run"}
	}
	if cfg.FailOnNew != nil && st != nil && st.diff != nil && st.diff.Worse(*cfg.FailOnNew) {
		return scanOutcome{exitRegression, fmt.Sprintf("new failures at or above %s since the previous run", cfg.FailOnNew)}
	}
	if cfg.FailOn != nil {
		if sev, ok := rep.MaxFailure(); ok && sev >= *cfg.FailOn {
			return scanOutcome{exitFindings, fmt.Sprintf("findings at or above %s (highest: %s)", cfg.FailOn, sev)}
		}
	}
	return nil
}

// writeReports writes every requested format into cfg.Out, each through a temporary file
// and a rename, so a reader never sees a half-written report.
func writeReports(cfg *scanConfig, rep *report.Report, o report.Options) error {
	if err := os.MkdirAll(cfg.Out, 0o755); err != nil {
		return scanOutcome{exitFailed, fmt.Sprintf("output directory: %v", err)}
	}
	for _, f := range slices.Compact(slices.Sorted(slices.Values(cfg.Formats))) {
		w, _ := reportWriter(f)
		path := filepath.Join(cfg.Out, w.File())
		err := writeFileAtomic(path, true, func(out io.Writer) error {
			return w.Write(out, rep, o)
		})
		if err != nil {
			return scanOutcome{exitFailed, fmt.Sprintf("write %s: %v", path, err)}
		}
	}
	return nil
}

func reportWriter(format string) (report.Writer, error) { return report.WriterFor(format) }

// sourceAddresses returns the local addresses the scan's connections leave from: the
// configured one, or what the kernel picks for each target (found with an unconnected UDP
// socket, which sends nothing).
func sourceAddresses(source netip.Addr, targets []checks.Target) []string {
	if source.IsValid() {
		return []string{source.String()}
	}
	var out []string
	for _, t := range targets {
		c, err := net.DialUDP("udp", nil, net.UDPAddrFromAddrPort(netip.AddrPortFrom(t.Addr, 9)))
		if err != nil {
			continue
		}
		if la, ok := c.LocalAddr().(*net.UDPAddr); ok {
			if s := la.AddrPort().Addr().Unmap().String(); !slices.Contains(out, s) {
				out = append(out, s)
			}
		}
		c.Close()
	}
	return out
}

// raiseFileLimit lifts the soft limit on open files to the hard limit, so that many
// connections can be open at once.
func raiseFileLimit() {
	var l syscall.Rlimit
	if syscall.Getrlimit(syscall.RLIMIT_NOFILE, &l) == nil && l.Cur < l.Max {
		l.Cur = l.Max
		_ = syscall.Setrlimit(syscall.RLIMIT_NOFILE, &l)
	}
}

func orBackground(ctx context.Context) context.Context {
	if ctx == nil {
		return context.Background()
	}
	return ctx
}

// isScanOutcome reports whether err carries a scan exit code, and which.
func isScanOutcome(err error) (int, bool) {
	var o scanOutcome
	if errors.As(err, &o) {
		return o.code, true
	}
	return 0, false
}

// openDebugLog opens --debug-log for appending; without it, debug lines are discarded.
func openDebugLog(path string) (io.WriteCloser, error) {
	if path == "" {
		return nopCloser{io.Discard}, nil
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o600)
	if err != nil {
		return nil, fmt.Errorf("--debug-log: %w", err)
	}
	return f, nil
}

type nopCloser struct{ io.Writer }

func (nopCloser) Close() error { return nil }
