// Package testsuite says which suites a test run includes. The default
// run (go test ./...) is the quick one: every test of the code, in the
// process. The full run (SAQ_TEST_FULL=1, as CI runs it) adds the suites
// that start processes, drive a browser, inject faults or fill disks.
// Only tests import it.
package testsuite

import (
	"os"
	"testing"
)

// FullEnv is the environment variable that turns the full run on.
const FullEnv = "SAQ_TEST_FULL"

// Full tells whether this is the full run.
func Full() bool { return os.Getenv(FullEnv) == "1" }

// RequireFull skips t unless this is the full run; what names the suite.
func RequireFull(t testing.TB, what string) {
	t.Helper()
	if !Full() {
		t.Skipf("%s: part of the full run (%s=1)", what, FullEnv)
	}
}
