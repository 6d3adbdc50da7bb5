package server_test

// Risk notices (issue 12, P3): a notice's targets grow with units ×
// notices; the console's list and a notice's board are visited.
func init() {
	bigTables["risk_notice_targets"] = true
	consolePages = append(consolePages, "/risk-notices", "/risk-notices/1")
}
