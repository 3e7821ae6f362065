package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/framsyn/framsyn/internal/account"
	"github.com/framsyn/framsyn/internal/storage"
)

func runUser(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return fmt.Errorf("user needs add, passwd or list (framsyn user add --help)")
	}
	sub, args := args[0], args[1:]
	var c common
	fs := newFlags("user "+sub, "user "+sub+" [flags]", stderr)
	c.register(fs, "framsyn.db", "data")
	email := fs.String("email", "", "the user's email address")
	name := fs.String("name", "", "the user's name (add)")
	admin := fs.Bool("admin", false, "make the user a platform admin (add)")
	pwStdin := fs.Bool("password-stdin", false, "read the password from standard input instead of generating one")
	if err := parse(fs, args); err != nil {
		return err
	}
	db, err := storage.Open(ctx, c.db)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.Migrate(ctx); err != nil {
		return err
	}
	log, err := c.logger(stderr)
	if err != nil {
		return err
	}
	svc := account.NewService(db.Accounts(), log)
	password := func() (string, bool, error) {
		if !*pwStdin {
			return account.NewToken()[:20], true, nil
		}
		line, err := bufio.NewReader(os.Stdin).ReadString('\n')
		if err != nil && line == "" {
			return "", false, fmt.Errorf("reading password: %w", err)
		}
		return strings.TrimRight(line, "\r\n"), false, nil
	}
	switch sub {
	case "add":
		pw, generated, err := password()
		if err != nil {
			return err
		}
		u, err := svc.CreateUser(ctx, *email, *name, pw, *admin)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "created user %d <%s> @%s\n", u.ID, u.Email, u.Handle)
		if generated {
			fmt.Fprintf(stdout, "password: %s\n", pw)
		}
	case "passwd":
		u, err := svc.UserByEmail(ctx, *email)
		if err != nil {
			return fmt.Errorf("no user with email %q", *email)
		}
		pw, generated, err := password()
		if err != nil {
			return err
		}
		if err := svc.SetPasswordByAdmin(ctx, u.ID, pw); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "password set for <%s>; their sessions have ended\n", u.Email)
		if generated {
			fmt.Fprintf(stdout, "password: %s\n", pw)
		}
	case "list":
		users, err := allUsers(ctx, db)
		if err != nil {
			return err
		}
		for _, u := range users {
			flags := ""
			if u.IsAdmin {
				flags += " admin"
			}
			if u.Disabled {
				flags += " disabled"
			}
			fmt.Fprintf(stdout, "%5d  %-36s %s%s\n", u.ID, u.Email, u.Name, flags)
		}
	default:
		return fmt.Errorf("unknown user command %q (add, passwd, list)", sub)
	}
	return nil
}

// allUsers reads every user by name, a page at a time.
func allUsers(ctx context.Context, db *storage.DB) ([]account.User, error) {
	var out []account.User
	for {
		page, err := db.Users().ListUsers(ctx, len(out), 500)
		if err != nil {
			return nil, err
		}
		out = append(out, page...)
		if len(page) < 500 {
			return out, nil
		}
	}
}
