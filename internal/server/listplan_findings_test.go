package server_test

// Findings ledger (issue 12, P1): findings and their history grow with
// every inspection and check, so no list may read them whole; the console's
// findings pages are visited (the API's come from the route table).
func init() {
	for _, name := range []string{"findings", "finding_events", "finding_evidence"} {
		bigTables[name] = true
	}
	consolePages = append(consolePages, "/findings", "/findings?state=", "/findings?state=work&overdue=1",
		"/findings?severity=critical&source=exposure", "/findings?page=2", "/findings/board")
}
