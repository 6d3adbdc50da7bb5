package server_test

// Task capability: tasks and their comments grow with the incidents.
func init() {
	bigTables["tasks"] = true
	bigTables["task_comments"] = true
}
