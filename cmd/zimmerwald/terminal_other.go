//go:build !linux

package main

import "os"

// isTerminal reports false where terminals are not supported: use ZW_SECRET_KEY_PASSPHRASE_FILE.
func isTerminal(*os.File) bool { return false }

// noEcho does nothing where terminals are not supported.
func noEcho(*os.File) func() { return func() {} }
