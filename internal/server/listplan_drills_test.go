package server_test

// Drills, training and publicity (issue 12, P5): drills and activities grow
// every year with every unit, so no list may read them whole; the console's
// drill and score card pages are visited (the API's come from the route
// table).
func init() {
	for _, name := range []string{"drills", "activities"} {
		bigTables[name] = true
	}
	consolePages = append(consolePages, "/drills", "/drills?year=2025", "/capability", "/capability?year=2025")
}
