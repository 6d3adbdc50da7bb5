package auditlog

// SetArchiveBatch makes archives of n entries until the returned function
// puts the default back, so that a test makes several files from a short log.
func SetArchiveBatch(n int) (restore func()) {
	old := archiveBatch
	archiveBatch = n
	return func() { archiveBatch = old }
}
