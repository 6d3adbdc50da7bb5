package server_test

// The IOC library (issue 14 item 5): indicators grow with every feed
// imported; the console's library page is visited (the API's list and
// export come from the route table).
func init() {
	bigTables["indicators"] = true
	consolePages = append(consolePages, "/intel", "/intel?type=domain&tlp=AMBER")
}
