package server_test

// Exposure checks (issue 12, P4) in TestListQueriesUseIndexes: runs and
// their results grow with every check, so they are big tables; the
// overview and a system's page (the demo's first middle school site, which
// the demo checks twice; its history of SSH) are visited in the console.
// The overview API (/api/v1/exposure) comes from the route table.
func init() {
	bigTables["exposure_runs"], bigTables["exposure_results"] = true, true
	consolePages = append(consolePages, "/exposure", "/exposure/systems/21",
		"/exposure/systems/21?target=198.51.100.x&port=22")
}
