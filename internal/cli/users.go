package cli

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/regionalcareers/portal/internal/accounts"
	"github.com/regionalcareers/portal/internal/audit"
	"github.com/regionalcareers/portal/internal/db"
)

// stdin is where create-admin reads a password from when the environment
// does not give one; a variable so tests can feed it.
var stdin io.Reader = os.Stdin

func runUsers(ctx context.Context, e *env, args []string) error {
	return subcommands(ctx, e, "users", args, []command{
		{"create-admin", "create a system admin, or make an existing user one", runUsersCreateAdmin},
	})
}

// runUsersCreateAdmin makes the first admin of a new install. The password
// comes from PORTAL_ADMIN_PASSWORD or the first line of standard input,
// never from a flag (flags show up in the process list and shell history).
func runUsersCreateAdmin(ctx context.Context, e *env, args []string) error {
	fs := e.flags("users create-admin", "users create-admin --email ADDRESS --name NAME  (password on stdin or in PORTAL_ADMIN_PASSWORD)")
	email := fs.String("email", "", "the admin's e-mail address")
	name := fs.String("name", "", "the admin's name")
	if err := parse(fs, args); err != nil {
		return err
	}
	if strings.TrimSpace(*email) == "" || strings.TrimSpace(*name) == "" {
		return errors.New("give both --email and --name")
	}
	password := os.Getenv("PORTAL_ADMIN_PASSWORD")
	if password == "" {
		line, err := bufio.NewReader(stdin).ReadString('\n')
		if err != nil && !errors.Is(err, io.EOF) {
			return fmt.Errorf("read the password from standard input: %w", err)
		}
		password = strings.TrimRight(line, "\r\n")
	}
	if password == "" {
		return errors.New("no password: set PORTAL_ADMIN_PASSWORD or pipe it on standard input")
	}
	pool, err := db.Open(ctx, e.cfg.DatabaseURL)
	if err != nil {
		return err
	}
	defer pool.Close()
	u, err := accounts.NewStore(pool).CreateAdmin(ctx, *email, *name, password)
	var verr accounts.ValidationError
	if errors.As(err, &verr) {
		return fmt.Errorf("%s", firstMessage(verr, "email", "name", "password"))
	}
	if err != nil {
		return err
	}
	if err := audit.Record(ctx, pool, audit.Entry{ActorEmail: "cli", Action: "user.create-admin", TargetType: "user",
		TargetID: fmt.Sprint(u.ID), After: map[string]string{"email": u.Email, "role": string(u.Role)}}); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "admin %d: %s <%s>; sign in at %s/account/sign-in and set up two-factor sign-in\n", u.ID, u.Name, u.Email, e.cfg.BaseURL)
	return nil
}
