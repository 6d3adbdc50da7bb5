package server_test

// Detection rules (issue 14 item 3): the rules page reads an org's rule
// set choices and the uploaded rules of the org and the orgs above it by
// their keys; it is visited in the console (the API's list comes from the
// route table).
func init() {
	consolePages = append(consolePages, "/rules")
}
