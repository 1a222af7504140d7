// Command saq runs the SAQ service and its administration commands.
//
//	saq [serve]                     run the service (the default)
//	saq questionnaires check [FILE…] check questionnaire files
//	saq questionnaires list [--json] list the questionnaires
//	saq user add|list|disable|enable  manage accounts
//	saq token create|revoke         manage API tokens
//	saq backup --out FILE           copy the embedded database, also while it runs
//	saq restore FILE                put a backup into an empty data directory
//	saq healthcheck                 probe a running service (for containers)
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr))
}

const usage = `usage:
  saq [serve] [flags]               run the service (default)
  saq questionnaires check [FILE…]  check questionnaire files (all shipped ones when none are named)
  saq questionnaires list [--json]  list the questionnaires
  saq user add --email E --name N --role admin|coordinator|auditor --region R --password-stdin
  saq user list
  saq user disable|enable --email E
  saq token create --email E        print a new API token (last line: the token alone)
  saq token revoke --email E --token T   T: the token, or its hint from user list
  saq backup --out FILE             copy the embedded database in SAQ_DATA_DIR, also while the service runs
  saq restore FILE                  put a backup into SAQ_DATA_DIR, which must hold no database
  saq healthcheck                   exit 0 if the service on SAQ_ADDR answers /healthz

Account and token commands work on MONGODB_URI, or on SAQ_DATA_DIR while the
service is stopped.

Run "saq serve -h" for the flags and their environment variables.
`

// run dispatches a command line and returns the exit code.
func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) int {
	cmd := "serve"
	if len(args) > 0 && args[0] != "" && args[0][0] != '-' {
		cmd, args = args[0], args[1:]
	}
	var err error
	switch cmd {
	case "serve":
		err = serveCommand(ctx, args, getenv, stderr)
	case "questionnaires":
		err = questionnairesCommand(args, getenv, stdout, stderr)
	case "user", "token":
		err = accountCommand(ctx, cmd, args, getenv, stdin, stdout, stderr)
	case "backup", "restore":
		err = backupCommand(ctx, cmd, args, getenv, stdout, stderr)
	case "healthcheck":
		err = healthcheckCommand(ctx, getenv)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return 0
	default:
		fmt.Fprintf(stderr, "saq: unknown command %q\n\n%s", cmd, usage)
		return 2
	}
	if err != nil {
		if err != errReported {
			fmt.Fprintln(stderr, "saq:", err)
		}
		return 1
	}
	return 0
}

// errReported means the command has already told the user what went wrong.
var errReported = fmt.Errorf("reported")
