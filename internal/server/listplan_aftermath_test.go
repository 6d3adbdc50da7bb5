package server_test

// Aftermath: its tables grow with the incidents, so no list may read them
// whole (the documents page is visited in TestListQueriesUseIndexes, and
// its API routes come from the route table).
func init() {
	for _, name := range []string{"aftermath_documents", "aftermath_approvals", "improvements", "accountability_records"} {
		bigTables[name] = true
	}
}
