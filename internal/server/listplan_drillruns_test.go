package server_test

// Drill mode (issue 12 item 6): drill runs and their tasks grow with every
// drill of every unit, so no list may read them whole; the console's
// drill-mode pages are visited (the demo's run is the first), the API's
// lists come from the route table.
func init() {
	for _, name := range []string{"drill_runs", "drill_tasks", "drill_task_comments"} {
		bigTables[name] = true
	}
	consolePages = append(consolePages, "/drill-runs/new", "/drill-runs/1")
}
