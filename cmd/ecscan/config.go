package main

import (
	"fmt"
	"net/netip"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	"github.com/spf13/viper"
	"go.yaml.in/yaml/v3"

	"ecscan/checks"
	"ecscan/checks/ports"
	"ecscan/mapping"
)

// scanConfig is the effective configuration of a scan, read from flags, ECSCAN_* variables
// and the config file (in that order of precedence) and validated.
type scanConfig struct {
	Targets         []string
	Names           []string
	Resolver        string
	AllowPrivate    bool
	Source          netip.Addr
	Ports           []int
	PortsSpec       string
	Limits          checks.Limits
	Out             string
	Formats         []string
	Lang            string
	AnswersFile     string
	FailOn          *checks.Severity
	Allowed         mapping.DeclaredServices
	Progress        string
	RecursionName   string
	ServiceTimeout  time.Duration
	Retries         int
	CABundle        string
	ExpiryWarning   time.Duration
	TLSHostConns    int
	RelayTestTo     string
	Intrusive       bool
	Checks          []string
	Evidence        string
	State           string
	Keep            int
	FailOnNew       *checks.Severity
	DiffFormat      string
	LogFormat       string
	WebRate         float64
	WebGlobalRate   float64
	DebugLog        string
	EffectiveConfig map[string]any
}

// fileOnlyKeys are configuration keys that have no flag.
var fileOnlyKeys = []string{"targets", "allowed-services"}

// addScanFlags declares the scan's flags; every flag is also a config file key and an
// ECSCAN_* variable (ECSCAN_ALLOW_PRIVATE for allow-private).
func addScanFlags(cmd *cobra.Command) {
	f := cmd.Flags()
	def := checks.DefaultLimits()
	f.String("config", "", "configuration file (YAML; see configs/ecscan.example.yaml)")
	f.StringSlice("names", nil, "extra host names to look up in each domain (e.g. shop,admin,mail)")
	f.String("resolver", "", "DNS resolver ip:port for discovery and DNS checks (default: the system's)")
	f.Bool("allow-private", false, "allow private, loopback and reserved addresses as targets")
	f.String("source-address", "", "local address to send from")
	f.String("ports", "", "ports to scan, e.g. 1-1024,3306 (default: nmap's top 1000 plus the EC review ports)")
	f.Int("top-ports", 0, "scan nmap's N most frequent TCP ports")
	f.Bool("all-ports", false, "scan all 65535 TCP ports")
	f.Int("concurrency", def.Concurrency, "connections open at once, all hosts")
	f.Int("host-concurrency", def.HostConcurrency, "connections open at once to one address")
	f.Float64("rate", def.Rate, "new connections per second, all hosts (0: no limit)")
	f.Float64("host-rate", def.HostRate, "new connections per second to one address (0: no limit)")
	f.Duration("connect-timeout", def.ConnectTimeout, "TCP connect timeout")
	f.Duration("timeout", def.Timeout, "timeout of one exchange with a service")
	f.Int("retries", 1, "extra tries before a silent port is called filtered")
	f.String("out", "ecscan-report", "directory to write the reports into")
	f.StringSlice("format", []string{"json", "md", "html", "xlsx", "sarif"}, "report formats to write (json, md, html, xlsx, sarif); may repeat")
	f.String("evidence", "", "write the evidence pack (every transcript, certificate chain, HTTP exchange and DNS answer, with a manifest) into this directory, or a .zip")
	f.String("lang", "ja", "report language: ja or en")
	f.String("answers", "", "operator's answers file (see ecscan answers init)")
	f.String("fail-on", "", "exit 1 when a finding at or above this severity fails (info, low, medium, high, critical)")
	f.String("progress", "auto", "progress display: auto (on a terminal), always, never")
	f.String("dns-recursion-name", "www.example.net.", "name asked to test name servers for open recursion")
	f.String("ca-bundle", "", "PEM file of extra trusted CA certificates for the TLS check (a private CA)")
	f.Int("expiry-warning-days", 30, "a certificate expiring within this many days is a finding")
	f.Int("tls-host-connections", 5, "TLS check: connections open at once to one address")
	f.String("smtp-relay-test-to", "", "opt-in: send one marked test message to this address (yours) through a server that accepted relaying")
	f.StringSlice("checks", nil, "run only these checks besides ports (dns, tls, smtp, mail, ftp, web; \"ports\" alone: the ports check only); default: all")
	f.String("state", "", "state directory for scheduled scans: keeps each run, takes a lock, diffs against the previous run")
	f.Int("keep", 0, "runs kept in the state directory (0: all)")
	f.String("fail-on-new", "", "exit 5 when a failure at or above this severity is new since the previous run (needs --state)")
	f.String("diff", "", "print the diff against the previous run to stdout when there is one: text, md or json (needs --state)")
	f.String("log-format", "text", "log lines: text or json")
	f.Float64("web-rate", 10, "web check: requests per second to one address (nuclei's and the check's own)")
	f.Float64("web-global-rate", 0, "web check: requests per second over all addresses (0: web-rate × addresses)")
	f.String("debug-log", "", "append debug lines (nuclei's own log included) to this file")
	f.Bool("intrusive", false, "opt-in probes that write to the target and clean up (FTP write test, FTP bounce, HTTP PUT/DELETE)")
}

// loadScanConfig merges config file, environment and flags into a validated scanConfig.
func (a *app) loadScanConfig(cmd *cobra.Command, args []string) (*scanConfig, error) {
	v := a.v
	if err := v.BindPFlags(cmd.Flags()); err != nil {
		return nil, err
	}
	if path := v.GetString("config"); path != "" {
		if err := readConfigFile(v, path, cmd); err != nil {
			return nil, err
		}
	}
	c := &scanConfig{
		Targets:       append(slices.Clone(args), v.GetStringSlice("targets")...),
		Names:         v.GetStringSlice("names"),
		Resolver:      v.GetString("resolver"),
		AllowPrivate:  v.GetBool("allow-private"),
		Out:           v.GetString("out"),
		Formats:       v.GetStringSlice("format"),
		Lang:          v.GetString("lang"),
		AnswersFile:   v.GetString("answers"),
		Progress:      v.GetString("progress"),
		RecursionName: v.GetString("dns-recursion-name"),
		Retries:       v.GetInt("retries"),
		CABundle:      v.GetString("ca-bundle"),
		ExpiryWarning: time.Duration(v.GetInt("expiry-warning-days")) * 24 * time.Hour,
		TLSHostConns:  v.GetInt("tls-host-connections"),
		RelayTestTo:   v.GetString("smtp-relay-test-to"),
		Intrusive:     v.GetBool("intrusive"),
		Checks:        v.GetStringSlice("checks"),
		Evidence:      v.GetString("evidence"),
		State:         v.GetString("state"),
		Keep:          v.GetInt("keep"),
		DiffFormat:    v.GetString("diff"),
		LogFormat:     v.GetString("log-format"),
		WebRate:       v.GetFloat64("web-rate"),
		WebGlobalRate: v.GetFloat64("web-global-rate"),
		DebugLog:      v.GetString("debug-log"),
		Limits: checks.Limits{
			Concurrency:     v.GetInt("concurrency"),
			HostConcurrency: v.GetInt("host-concurrency"),
			Rate:            v.GetFloat64("rate"),
			HostRate:        v.GetFloat64("host-rate"),
			ConnectTimeout:  v.GetDuration("connect-timeout"),
			Timeout:         v.GetDuration("timeout"),
		},
	}
	c.ServiceTimeout = c.Limits.Timeout
	if err := c.validate(v); err != nil {
		return nil, usageError{err}
	}
	c.EffectiveConfig = effective(v, cmd)
	return c, nil
}

// readConfigFile reads the YAML config file into v, rejecting keys ecscan does not know.
func readConfigFile(v *viper.Viper, path string, cmd *cobra.Command) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return usagef("config: %w", err)
	}
	var raw map[string]any
	if err := yaml.Unmarshal(data, &raw); err != nil {
		return usagef("config %s: %s", path, strings.TrimPrefix(err.Error(), "yaml: "))
	}
	for k := range raw {
		if cmd.Flags().Lookup(k) == nil && !slices.Contains(fileOnlyKeys, k) || k == "config" {
			return usagef("config %s: unknown key %q", path, k)
		}
	}
	v.SetConfigFile(path)
	v.SetConfigType("yaml")
	if err := v.ReadInConfig(); err != nil {
		return usagef("config %s: %w", path, err)
	}
	return nil
}

// validate checks every value and resolves the port list.
func (c *scanConfig) validate(v *viper.Viper) error {
	if len(c.Targets) == 0 {
		return fmt.Errorf("no targets: give a domain, host name or address (ecscan scan shop.example.jp)")
	}
	if err := checkLang(c.Lang); err != nil {
		return err
	}
	if c.Resolver != "" {
		if _, err := netip.ParseAddrPort(c.Resolver); err != nil {
			return fmt.Errorf("--resolver %q: want ip:port, e.g. 127.0.30.53:53", c.Resolver)
		}
	}
	if s := v.GetString("source-address"); s != "" {
		a, err := netip.ParseAddr(s)
		if err != nil {
			return fmt.Errorf("--source-address %q: not an IP address", s)
		}
		c.Source = a
	}
	for _, f := range c.Formats {
		if _, err := reportWriter(f); err != nil {
			return fmt.Errorf("--format: %w", err)
		}
	}
	if s := v.GetString("fail-on"); s != "" {
		sev, err := checks.ParseSeverity(s)
		if err != nil {
			return fmt.Errorf("--fail-on: %w", err)
		}
		c.FailOn = &sev
	}
	if s := v.GetString("fail-on-new"); s != "" {
		sev, err := checks.ParseSeverity(s)
		if err != nil {
			return fmt.Errorf("--fail-on-new: %w", err)
		}
		c.FailOnNew = &sev
	}
	if (c.FailOnNew != nil || c.DiffFormat != "") && c.State == "" {
		return fmt.Errorf("--fail-on-new and --diff compare with the previous run: give --state DIR")
	}
	if c.DiffFormat != "" && !slices.Contains([]string{"text", "md", "json"}, c.DiffFormat) {
		return fmt.Errorf("--diff %q: use text, md or json", c.DiffFormat)
	}
	if c.WebRate <= 0 || c.WebGlobalRate < 0 {
		return fmt.Errorf("--web-rate must be above 0 and --web-global-rate at least 0")
	}
	if c.LogFormat != "text" && c.LogFormat != "json" {
		return fmt.Errorf("--log-format %q: use text or json", c.LogFormat)
	}
	for _, name := range c.Checks {
		if name != "ports" && !slices.Contains(checkNames, name) {
			return fmt.Errorf("--checks %q: use some of ports, %s", name, strings.Join(checkNames, ", "))
		}
	}
	if c.Keep < 0 {
		return fmt.Errorf("--keep %d: must not be negative", c.Keep)
	}
	if c.Progress != "auto" && c.Progress != "always" && c.Progress != "never" {
		return fmt.Errorf("--progress %q: use auto, always or never", c.Progress)
	}
	l := c.Limits
	if l.Concurrency < 1 || l.HostConcurrency < 1 || l.Rate < 0 || l.HostRate < 0 || l.ConnectTimeout <= 0 || l.Timeout <= 0 || c.Retries < 0 {
		return fmt.Errorf("limits: concurrency values must be at least 1, rates and retries not negative, timeouts positive")
	}
	if c.CABundle != "" {
		if _, err := os.Stat(c.CABundle); err != nil {
			return fmt.Errorf("--ca-bundle: %w", err)
		}
	}
	if c.ExpiryWarning < 0 || c.TLSHostConns < 1 {
		return fmt.Errorf("--expiry-warning-days must not be negative and --tls-host-connections at least 1")
	}
	if c.RelayTestTo != "" && !strings.Contains(c.RelayTestTo, "@") {
		return fmt.Errorf("--smtp-relay-test-to %q: not a mail address", c.RelayTestTo)
	}
	if err := c.resolvePorts(v); err != nil {
		return err
	}
	return c.readAllowed(v)
}

func (c *scanConfig) resolvePorts(v *viper.Viper) error {
	spec, top, all := v.GetString("ports"), v.GetInt("top-ports"), v.GetBool("all-ports")
	n := 0
	for _, set := range []bool{spec != "", top != 0, all} {
		if set {
			n++
		}
	}
	if n > 1 {
		return fmt.Errorf("give only one of --ports, --top-ports and --all-ports")
	}
	switch {
	case spec != "":
		p, err := ports.ParsePorts(spec)
		if err != nil {
			return fmt.Errorf("--ports: %w", err)
		}
		c.Ports, c.PortsSpec = p, spec
	case top < 0:
		return fmt.Errorf("--top-ports %d: must be positive", top)
	case top > 0:
		c.Ports, c.PortsSpec = ports.TopPorts(top), fmt.Sprintf("top %d", top)
	case all:
		c.Ports, c.PortsSpec = ports.AllPorts(), "all"
	default:
		c.Ports, c.PortsSpec = ports.DefaultPorts(), "default"
	}
	return nil
}

// readAllowed reads allowed-services: {host: [ports]} from the config file.
func (c *scanConfig) readAllowed(v *viper.Viper) error {
	raw := v.Get("allowed-services")
	if raw == nil {
		return nil
	}
	m, ok := raw.(map[string]any)
	if !ok {
		return fmt.Errorf("allowed-services: want a mapping of host names to port lists")
	}
	c.Allowed = mapping.DeclaredServices{}
	for host, val := range m {
		list, ok := val.([]any)
		if !ok {
			return fmt.Errorf("allowed-services.%s: want a list of ports", host)
		}
		for _, p := range list {
			n, ok := p.(int)
			if !ok || n < 1 || n > 65535 {
				return fmt.Errorf("allowed-services.%s: %v is not a port", host, p)
			}
			c.Allowed[strings.ToLower(host)] = append(c.Allowed[strings.ToLower(host)], n)
		}
	}
	return nil
}

// effective returns the effective configuration as a map, for the report.
func effective(v *viper.Viper, cmd *cobra.Command) map[string]any {
	out := map[string]any{}
	cmd.Flags().VisitAll(func(f *pflag.Flag) {
		if f.Name != "help" {
			out[f.Name] = v.Get(f.Name)
		}
	})
	for _, k := range fileOnlyKeys {
		if v.IsSet(k) {
			out[k] = v.Get(k)
		}
	}
	return out
}
