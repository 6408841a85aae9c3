// Package checks holds the domain types every check shares — targets, services, results,
// statuses, findings and evidence — and the runner that drives the checks under bounded
// concurrency. Each protocol's check lives in its own package below this one.
package checks
