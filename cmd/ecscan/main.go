// Command ecscan scans the public surface of an online shop and fills in the technical
// questions of the ECOM security self-assessment questionnaire, with evidence.
package main

import "os"

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}
