package main

import (
	"fmt"
	"io"
	"runtime/debug"
	"slices"
	"strings"
)

// commandHelp is each command's usage, printed by `zimmerwald help CMD` and `zimmerwald CMD --help`.
var commandHelp = map[string]string{
	"serve": `usage: zimmerwald serve [--demo]

Runs the HTTP server (API and pages) and the mail worker until SIGINT or SIGTERM. Waits for
PostgreSQL if it is not up yet, applies pending migrations, and once a day purges personal data past
each conference's retention period.
  --demo   load a demo conference into an empty database`,
	"migrate": `usage: zimmerwald migrate

Applies pending database migrations and prints the version. Several processes may migrate at once.`,
	"user": `usage: zimmerwald user add --email E --role admin|organiser|reviewer [--conference SLUG[,SLUG...]]

Creates a staff account. The password comes from ZW_NEW_PASSWORD or standard input. Roles are per
conference: an organiser or reviewer works only on the conferences given with --conference (or
later on the staff accounts page); an admin works on every conference.`,
	"import": `usage: zimmerwald import --conference SLUG [--check] FILE.csv

Imports delegates from a CSV file, all or nothing. --check validates without importing.`,
	"purge": `usage: zimmerwald purge [--conference SLUG [--now]] [--dry-run]

Erases personal data of conferences past their retention period (serve does this daily).
  --conference SLUG   only this conference   --now   ignore the retention period
  --dry-run           count without erasing`,
	"backup": `usage: zimmerwald backup [--out FILE]
       zimmerwald backup decrypt --in FILE --out DB

Writes an encrypted SQLite backup, or decrypts one with the data key.`,
	"version": `usage: zimmerwald version

Prints the version, the commit it was built from and the Go version.`,
	"help": `usage: zimmerwald help [COMMAND]

Prints the usage of zimmerwald or of one command.`,
}

// usageText is the overview printed by `zimmerwald help`.
const usageText = `usage: zimmerwald COMMAND [ARGS]

Commands:
  serve [--demo]        run the HTTP server and the mail worker
  migrate               apply pending database migrations and exit
  user add --email E --role R   create a staff account
  import --conference S [--check] FILE.csv   import delegates, all or nothing
  purge [--conference S [--now]] [--dry-run]   erase personal data after retention
  backup [--out FILE]   write an encrypted SQLite backup (backup decrypt --in F --out DB)
  version               print the version
  help [COMMAND]        print this help, or a command's

Configuration comes from ZW_ environment variables (see .env.example), optionally from .env.
"zimmerwald COMMAND --help" prints a command's usage and changes nothing.`

// isHelp reports whether arg asks for help.
func isHelp(arg string) bool {
	return arg == "--help" || arg == "-help" || arg == "-h" || arg == "help"
}

// helpRequest reports whether args ask for help and, if so, prints it to out: `help`, `--help`,
// `-h`, `help CMD` and `CMD ... --help` are answered before any configuration is read or anything
// is touched.
func helpRequest(args []string, out io.Writer) bool {
	if len(args) == 0 {
		return false
	}
	if isHelp(args[0]) {
		if len(args) > 1 {
			if text, ok := commandHelp[args[1]]; ok {
				fmt.Fprintln(out, text)
				return true
			}
		}
		fmt.Fprintln(out, usageText)
		return true
	}
	text, known := commandHelp[args[0]]
	if known && slices.ContainsFunc(args[1:], func(a string) bool { return a == "--help" || a == "-h" || a == "-help" }) {
		fmt.Fprintln(out, text)
		return true
	}
	return false
}

// buildCommit is the commit a build without VCS information was made from (the container build
// sets it with -ldflags "-X main.buildCommit=…").
var buildCommit string

// versionText is the module version and the commit the binary was built from.
func versionText() string {
	version, commit, modified, goVersion := "(devel)", "unknown", false, ""
	if bi, ok := debug.ReadBuildInfo(); ok {
		goVersion = bi.GoVersion
		if v := bi.Main.Version; v != "" {
			version = v
		}
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				commit = s.Value
			case "vcs.modified":
				modified = s.Value == "true"
			}
		}
	}
	if commit == "unknown" && buildCommit != "" {
		commit = buildCommit
	}
	if modified {
		commit += " (modified)"
	}
	return strings.Join([]string{"zimmerwald " + version, "commit " + commit, goVersion}, "\n")
}
