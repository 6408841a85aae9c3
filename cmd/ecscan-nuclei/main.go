// Command ecscan-nuclei is the template engine of ecscan's web check: it runs ecscan's
// nuclei templates with nuclei's Go library, in a process of its own, for the ecscan
// process that starts it. It reads one wire.Params object (JSON) on stdin, writes one
// wire.Event per line (JSON) on stdout and its log on stderr, and stops when stdin closes.
// Every connection it makes goes through the SOCKS5 gateway named in the parameters. It is
// not meant to be run by hand; ecscan finds it beside its own executable (or through
// ECSCAN_NUCLEI, or the PATH).
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sync"
	"syscall"

	"ecscan/checks/web/engine"
	"ecscan/checks/web/wire"
)

func main() {
	os.Exit(run(os.Stdin, os.Stdout, os.Stderr))
}

// run decodes the parameters, runs the engine until it ends, stdin closes or a signal
// comes, and returns the exit code: 0 when the run ended, 1 when it could not start, 2 on
// bad parameters.
func run(in io.Reader, out, log io.Writer) int {
	dec := json.NewDecoder(io.LimitReader(in, 1<<20))
	var p wire.Params
	if err := dec.Decode(&p); err != nil {
		fmt.Fprintf(log, "ecscan-nuclei: parameters: %v\n", err)
		return 2
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go func() {
		// The parent closes stdin to stop the run (or dies, which closes it too).
		_, _ = io.Copy(io.Discard, in)
		cancel()
	}()
	var mu sync.Mutex
	enc := json.NewEncoder(out)
	err := engine.Run(ctx, p, log, func(e wire.Event) {
		mu.Lock()
		defer mu.Unlock()
		_ = enc.Encode(e)
	})
	if err != nil {
		fmt.Fprintf(log, "ecscan-nuclei: %v\n", err)
		return 1
	}
	return 0
}
