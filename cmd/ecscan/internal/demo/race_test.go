//go:build race

package demo

// raceEnabled is set under the race detector, which reports data races inside nuclei's
// template compilation (nuclei v3.4.10 pkg/protocols/http/httpclientpool), outside
// ecscan's code: the web check is left out of the scan tests then.
const raceEnabled = true
