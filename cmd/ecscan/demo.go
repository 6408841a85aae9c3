package main

import (
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/spf13/cobra"
	"github.com/spf13/viper"

	"ecscan/cmd/ecscan/internal/demo"
)

// demoWebRate is the web check's rate on the practice site: it runs in this process, on
// loopback, so the default of a real shop (10 requests/s per address) would only make the
// demo slow.
const demoWebRate = "100"

func (a *app) demoCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "demo",
		Short: "Start a practice shop on loopback, scan it, and write the report",
		Long: `Start a small, badly configured online shop inside ecscan (DNS, web, TLS, mail, FTP on
127.0.77.x loopback addresses; nothing is installed and nothing leaves the machine), scan it
with the same code as 'ecscan scan', and write every report format and the evidence pack
(evidence.zip) into --out.

The practice site uses the standard ports when it may bind them (root, or
CAP_NET_BIND_SERVICE) and the same ports + 10000 otherwise; a few DNS and redirect findings
need the standard ports, and the site's description says which.`,
		Example: `  ecscan demo
  ecscan demo --lang en --out /tmp/demo
  ecscan demo --serve        # keep the site running afterwards (Ctrl-C stops it)`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return a.runDemo(cmd) },
	}
	f := cmd.Flags()
	f.String("out", "ecscan-demo", "directory to write the reports into")
	f.String("lang", "ja", "report language: ja or en")
	f.String("progress", "auto", "progress display: auto (on a terminal), always, never")
	f.Bool("serve", false, "keep the practice site running after the scan, until Ctrl-C")
	return cmd
}

// runDemo starts the practice site, scans it with a scan command of its own (a fresh
// configuration: no ECSCAN_* variable or config file of the operator applies) and stops it.
func (a *app) runDemo(cmd *cobra.Command) error {
	f := cmd.Flags()
	out, _ := f.GetString("out")
	lang, _ := f.GetString("lang")
	progress, _ := f.GetString("progress")
	serve, _ := f.GetBool("serve")
	if err := checkLang(lang); err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	dir, err := os.MkdirTemp("", "ecscan-demo-")
	if err != nil {
		return scanOutcome{exitFailed, fmt.Sprintf("demo: %v", err)}
	}
	defer os.RemoveAll(dir)
	site, err := demo.Start(ctx, dir)
	if err != nil {
		return scanOutcome{exitFailed, fmt.Sprintf("demo: starting the practice site: %v", err)}
	}
	defer site.Close()
	fmt.Fprint(a.stderr, site.Describe(lang))

	scan := (&app{v: viper.New(), stdout: a.stdout, stderr: a.stderr, catalog: a.catalog}).scanCommand()
	pack := filepath.Join(out, "evidence.zip")
	args := append(site.ScanArgs(), "--out", out, "--evidence", pack, "--lang", lang, "--progress", progress, "--web-rate", demoWebRate)
	scan.SetArgs(args)
	scan.SetOut(a.stdout)
	scan.SetErr(a.stderr)
	scan.SilenceErrors, scan.SilenceUsage = true, true
	if err := scan.ExecuteContext(ctx); err != nil {
		return err
	}
	html := filepath.Join(out, "report.html")
	if lang == "en" {
		fmt.Fprintf(a.stderr, "Reports written to %s (open %s in a browser); the evidence pack is %s (ecscan evidence verify %s).\n", out, html, pack, pack)
	} else {
		fmt.Fprintf(a.stderr, "レポートを %s に書き出しました（ブラウザで %s を開いてください）。証跡パックは %s です（ecscan evidence verify %s で検証できます）。\n", out, html, pack, pack)
	}
	if serve {
		if lang == "en" {
			fmt.Fprintf(a.stderr, "The practice site keeps running; scan it again with:\n  ecscan scan %s\nCtrl-C stops it.\n", shellArgs(site.ScanArgs()))
		} else {
			fmt.Fprintf(a.stderr, "練習用サイトは動き続けます。再スキャン:\n  ecscan scan %s\nCtrl-C で停止します。\n", shellArgs(site.ScanArgs()))
		}
		<-ctx.Done()
	}
	return nil
}

// shellArgs joins arguments for a command line to copy, quoting those that need it.
func shellArgs(args []string) string {
	quoted := make([]string, len(args))
	for i, a := range args {
		if a == "" || strings.ContainsAny(a, " \t'\"$\\") {
			a = "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
		}
		quoted[i] = a
	}
	return strings.Join(quoted, " ")
}
