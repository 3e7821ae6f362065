package mail

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/framsyn/framsyn/internal/mail/mailtest"
)

func TestSMTP_Send(t *testing.T) {
	srv := mailtest.Start(t)
	m := &SMTP{Addr: srv.Addr, From: "framsyn@region.se"}
	if err := m.Send(context.Background(), "anna@region.se", "Nytt lösenord till framsyn", "Hej!\nLänk: https://x/aterstall/abc"); err != nil {
		t.Fatal(err)
	}
	got := srv.Wait(1)[0]
	if len(got.To) != 1 || got.To[0] != "anna@region.se" {
		t.Errorf("to %v", got.To)
	}
	for _, want := range []string{"Subject: =?utf-8?q?", "charset=utf-8", "Länk: https://x/aterstall/abc\r\n"} {
		if !strings.Contains(got.Data, want) {
			t.Errorf("message lacks %q:\n%s", want, got.Data)
		}
	}
}

// TestSMTP_RefusesHeaderInjection sends to a real SMTP listener, so only
// Send's own guard can refuse: net/smtp would refuse a line break in the
// recipient too, but with another error, and not one in the subject.
func TestSMTP_RefusesHeaderInjection(t *testing.T) {
	srv := mailtest.Start(t)
	tests := []struct {
		name, from, to, subject string
	}{
		{"ErrRecipientBcc", "f@x.se", "a@x.se\r\nBcc: all@x.se", "s"},
		{"ErrRecipientLF", "f@x.se", "a@x.se\nBcc: all@x.se", "s"},
		{"ErrSubjectBcc", "f@x.se", "a@x.se", "Hej\r\nBcc: all@x.se"},
		{"ErrSender", "f@x.se\r\nBcc: all@x.se", "a@x.se", "s"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := &SMTP{Addr: srv.Addr, From: tt.from}
			if err := m.Send(context.Background(), tt.to, tt.subject, "b"); !errors.Is(err, ErrHeaderInjection) {
				t.Fatalf("Send = %v, want ErrHeaderInjection", err)
			}
		})
	}
	// The listener works: a clean message after the refused ones arrives,
	// and it is the only one.
	m := &SMTP{Addr: srv.Addr, From: "f@x.se"}
	if err := m.Send(context.Background(), "a@x.se", "s", "b"); err != nil {
		t.Fatal(err)
	}
	if got := srv.Wait(1); len(got) != 1 || len(srv.Messages()) != 1 {
		t.Fatalf("server received %d messages, want only the clean one", len(srv.Messages()))
	}
}
