package mailtest

import (
	"os/exec"
	"syscall"
)

// stopWithTestBinary has the kernel send Mailpit SIGTERM when the test binary
// exits, however it exits, since a test package has no hook that runs after
// its last test.
func stopWithTestBinary(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGTERM}
}
