// Package engine runs ecscan's nuclei templates with nuclei's Go library
// (github.com/projectdiscovery/nuclei/v3/lib). Only the ecscan-nuclei program imports it, so
// that nuclei never enters ecscan's own process (see package wire for the exchange).
package engine

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/projectdiscovery/fastdialer/fastdialer"
	"github.com/projectdiscovery/gologger"
	"github.com/projectdiscovery/gologger/formatter"
	"github.com/projectdiscovery/gologger/levels"
	nuclei "github.com/projectdiscovery/nuclei/v3/lib"
	"github.com/projectdiscovery/nuclei/v3/pkg/output"
	updateutils "github.com/projectdiscovery/utils/update"

	"ecscan/checks/web/wire"
)

// engineMu serialises nuclei runs: the settings below are global to the process.
var engineMu sync.Mutex

// containOnce applies the process-wide settings that keep nuclei from reaching the network
// on its own: its update and version check (api.pdtm.sh, called by the SDK at every start
// whatever DisableUpdateCheck says) gets an in-memory refusal, and its log goes to logSink.
var containOnce sync.Once

func contain() {
	containOnce.Do(func() {
		if updateutils.DefaultHttpClient != nil {
			updateutils.DefaultHttpClient.Transport = offline{}
		}
		gologger.DefaultLogger.SetFormatter(formatter.NewCLI(true))
		gologger.DefaultLogger.SetWriter(sink)
		gologger.DefaultLogger.SetMaxLevel(levels.LevelWarning)
	})
}

// offline is a RoundTripper that refuses every request without touching the network.
type offline struct{}

func (offline) RoundTrip(r *http.Request) (*http.Response, error) {
	sink.Printf("refused nuclei's own request to %s (offline)", r.URL.Host)
	return nil, errors.New("ecscan: nuclei runs offline")
}

// logSink receives nuclei's log lines (its gologger, global and per engine) and writes them
// to the current run's debug writer, never to the terminal.
type logSink struct {
	mu sync.Mutex
	w  io.Writer
}

var sink = &logSink{}

func (s *logSink) set(w io.Writer) {
	s.mu.Lock()
	s.w = w
	s.mu.Unlock()
}

// Write implements gologger's writer.Writer.
func (s *logSink) Write(data []byte, _ levels.Level) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.w != nil {
		_, _ = fmt.Fprintf(s.w, "nuclei: %s\n", strings.TrimRight(string(data), "\n"))
	}
}

// Printf writes one line of the check's own about nuclei.
func (s *logSink) Printf(format string, args ...any) {
	s.Write([]byte(fmt.Sprintf(format, args...)), levels.LevelInfo)
}

// Run runs the templates on the targets and hands every event to emit (from nuclei's
// goroutines), as a wire.Event. Its log (nuclei's too) goes to log. It returns an error when
// the engine could not start.
func Run(ctx context.Context, p wire.Params, log io.Writer, emit func(wire.Event)) error {
	engineMu.Lock()
	defer engineMu.Unlock()
	contain()
	sink.set(log)
	defer sink.set(nil)
	// Every name nuclei looks up (its dialer, and the CNAME it adds to each result) goes to
	// the scan's resolver: no /etc/resolv.conf, no /etc/hosts, no fallback to the system's,
	// none of fastdialer's default public resolvers. Connections themselves go through the
	// gateway, which maps names to the service map's addresses.
	fastdialer.DefaultOptions.ResolversFile = false
	fastdialer.DefaultOptions.HostsFile = false
	fastdialer.DefaultOptions.EnableFallback = false
	fastdialer.DefaultOptions.BaseResolvers = []string{p.Resolver}

	e, err := nuclei.NewNucleiEngineCtx(ctx, engineOptions(ctx, p)...)
	if err != nil {
		return fmt.Errorf("web: start nuclei: %w", err)
	}
	defer e.Close()
	if err := e.LoadAllTemplates(); err != nil {
		return fmt.Errorf("web: load templates: %w", err)
	}
	if missing := missingTemplates(p.Templates, e); len(missing) > 0 {
		sink.Printf("templates that did not load (no result will come from them): %s", strings.Join(missing, ", "))
	}
	e.LoadTargets(p.Targets, false)
	err = e.ExecuteCallbackWithCtx(ctx, func(ev *output.ResultEvent) { emit(eventOf(ev)) })
	if err != nil && ctx.Err() == nil {
		return fmt.Errorf("web: nuclei: %w", err)
	}
	return nil
}

// engineOptions are the SDK options of a run. The order matters: concurrency before the
// network settings (max-host-error is checked against it).
func engineOptions(ctx context.Context, p wire.Params) []nuclei.NucleiSDKOptions {
	lg := &gologger.Logger{}
	lg.SetFormatter(formatter.NewCLI(true))
	lg.SetWriter(sink)
	lg.SetMaxLevel(levels.LevelInfo)
	secs := int(math.Ceil(p.Timeout.Seconds()))
	return []nuclei.NucleiSDKOptions{
		nuclei.DisableUpdateCheck(),
		nuclei.WithLogger(lg),
		nuclei.WithTemplatesOrWorkflows(nuclei.TemplateSources{Templates: []string{p.Dir}}),
		nuclei.EnableMatcherStatus(),
		nuclei.WithConcurrency(nuclei.Concurrency{
			TemplateConcurrency: p.Concurrency, HostConcurrency: p.Hosts,
			HeadlessHostConcurrency: 1, HeadlessTemplateConcurrency: 1, JavascriptTemplateConcurrency: 1,
			TemplatePayloadConcurrency: 1, ProbeConcurrency: 1,
		}),
		nuclei.WithNetworkConfig(nuclei.NetworkConfig{
			Timeout: max(secs, 1), Retries: 0, MaxHostError: max(p.Concurrency, 5),
			InternalResolversList: []string{p.Resolver},
		}),
		nuclei.WithGlobalRateLimitCtx(ctx, 1, max(time.Duration(float64(time.Second)/p.Rate), time.Microsecond)),
		nuclei.WithSandboxOptions(false, p.Sandbox),
		nuclei.WithInteractshOptions(nuclei.InteractshOpts{
			NoInteractsh: true, CacheSize: 16, Eviction: time.Minute,
			PollDuration: time.Minute, CooldownPeriod: time.Second, DisableHttpFallback: true,
		}),
		nuclei.WithResponseReadSize(wire.MaxBody),
		nuclei.WithHeaders([]string{"User-Agent: " + p.UserAgent}),
		func(e *nuclei.NucleiEngine) error {
			o := e.Options()
			o.AliveSocksProxy = p.Proxy // every connection through the gateway
			o.ResponseSaveSize = wire.MaxBody
			o.NoColor = true
			return nil
		},
	}
}

// missingTemplates lists the templates the engine did not load.
func missingTemplates(ids []string, e *nuclei.NucleiEngine) []string {
	loaded := map[string]bool{}
	for _, t := range e.GetTemplates() {
		loaded[t.ID] = true
	}
	var out []string
	for _, id := range ids {
		if !loaded[id] {
			out = append(out, id)
		}
	}
	sort.Strings(out)
	return out
}
