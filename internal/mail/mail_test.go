package mail

import (
	"context"
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

func TestSMTP_RefusesHeaderInjection(t *testing.T) {
	m := &SMTP{Addr: "127.0.0.1:1", From: "f@x.se"}
	if err := m.Send(context.Background(), "a@x.se\r\nBcc: all@x.se", "s", "b"); err == nil {
		t.Fatal("header injection accepted")
	}
}
