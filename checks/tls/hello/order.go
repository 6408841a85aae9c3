package hello

import (
	"context"
	"fmt"
	"slices"
)

// scanOrder tells a server that imposes its own order from one that follows the client's:
// it offers the first two accepted suites in both orders. When the server picks the same
// suite both times it imposes its order; the chunk scan then already found the suites in
// that order if they all came from one hello, and otherwise they are sorted by offering
// them again, removing the pick each time.
func (vs *versionScan) scanOrder(ctx context.Context) {
	a, b := vs.res.Suites[0], vs.res.Suites[1]
	first, ok := vs.pick(ctx, []uint16{a, b})
	if !ok {
		return
	}
	second, ok := vs.pick(ctx, []uint16{b, a})
	if !ok {
		return
	}
	switch {
	case first == second:
		vs.res.ServerOrder = true
	case first == a && second == b:
		return
	default:
		vs.lines = append(vs.lines, fmt.Sprintf("  (order test inconclusive: %s then %s)", SuiteName(first), SuiteName(second)))
		return
	}
	if vs.fromChunks > 1 {
		vs.sortByServer(ctx)
	}
}

// pick offers suites and returns the one the server chose, if it chose one of them at the
// version.
func (vs *versionScan) pick(ctx context.Context, suites []uint16) (uint16, bool) {
	r, ok := vs.probe(ctx, vs.baseSpec(suites), false)
	if !ok || r.f == nil || r.f.hello == nil {
		return 0, false
	}
	sh := r.f.hello
	if sh.version != vs.v || !slices.Contains(suites, sh.suite) {
		return 0, false
	}
	return sh.suite, true
}

// sortByServer orders the accepted suites by the server's preference.
func (vs *versionScan) sortByServer(ctx context.Context) {
	rest := slices.Clone(vs.res.Suites)
	var sorted []uint16
	for len(rest) > 0 {
		id, ok := vs.pick(ctx, rest[:min(len(rest), vs.e.opts.MaxSuitesPerHello)])
		if !ok {
			break
		}
		sorted = append(sorted, id)
		rest = slices.DeleteFunc(rest, func(x uint16) bool { return x == id })
	}
	vs.res.Suites = append(sorted, rest...)
}
