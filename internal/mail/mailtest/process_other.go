//go:build !linux

package mailtest

import "os/exec"

// stopWithTestBinary cannot tie Mailpit's life to the test binary's outside
// Linux, so there Mailpit outlives the tests; the portal's tooling
// (scripts/ensure-meili.sh) runs on Linux only.
func stopWithTestBinary(*exec.Cmd) {}
