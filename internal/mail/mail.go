// Package mail sends plain-text email through an SMTP server.
package mail

import (
	"context"
	"errors"
	"fmt"
	"mime"
	"net"
	"net/smtp"
	"sort"
	"strings"
	"time"
)

// SMTP sends mail through one server. STARTTLS is used when the server
// offers it (net/smtp.SendMail does so).
type SMTP struct {
	Addr     string // host:port
	From     string
	Username string
	Password string
}

// ErrHeaderInjection refuses a recipient, subject or sender holding a line
// break, which would let its author add headers (Bcc) to the message.
var ErrHeaderInjection = errors.New("mail: header injection refused")

// Send sends one message.
func (m *SMTP) Send(ctx context.Context, to, subject, body string) error {
	return m.SendWithHeaders(ctx, to, subject, body, nil)
}

// SendWithHeaders sends one message with extra headers (such as RFC 8058's
// List-Unsubscribe and List-Unsubscribe-Post), in the order of their names.
func (m *SMTP) SendWithHeaders(ctx context.Context, to, subject, body string, headers map[string]string) error {
	if strings.ContainsAny(m.From+to+subject, "\r\n") {
		return ErrHeaderInjection
	}
	extra := ""
	names := make([]string, 0, len(headers))
	for k := range headers {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		if k == "" || strings.ContainsAny(k, ": \r\n") || strings.ContainsAny(headers[k], "\r\n") {
			return ErrHeaderInjection
		}
		extra += k + ": " + headers[k] + "\r\n"
	}
	host, _, err := net.SplitHostPort(m.Addr)
	if err != nil {
		return fmt.Errorf("mail: %w", err)
	}
	var auth smtp.Auth
	if m.Username != "" {
		auth = smtp.PlainAuth("", m.Username, m.Password, host)
	}
	msg := "From: " + m.From + "\r\n" +
		"To: " + to + "\r\n" +
		"Subject: " + mime.QEncoding.Encode("utf-8", subject) + "\r\n" +
		"Date: " + time.Now().Format(time.RFC1123Z) + "\r\n" +
		extra +
		"MIME-Version: 1.0\r\n" +
		"Content-Type: text/plain; charset=utf-8\r\n" +
		"Content-Transfer-Encoding: 8bit\r\n\r\n" +
		strings.ReplaceAll(body, "\n", "\r\n")
	done := make(chan error, 1)
	go func() { done <- smtp.SendMail(m.Addr, auth, m.From, []string{to}, []byte(msg)) }()
	select {
	case err := <-done:
		if err != nil {
			return fmt.Errorf("mail: %w", err)
		}
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
