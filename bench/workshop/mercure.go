package main

import (
	"debug/buildinfo"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// mercureHub is a Mercure hub (the Caddy build) run for the load, with
// its durable bolt history, anonymous subscribers and a publisher key:
// the peer that stores each event before fan-out, as framsyn does.
type mercureHub struct {
	cmd      *exec.Cmd
	url, key string
	desc     string
	dir      string
}

func startMercure(bin, dir string) (*mercureHub, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	h := &mercureHub{key: "bench-mercure-publisher-key-0123456789", dir: filepath.Join(dir, "mercure")}
	if err := os.MkdirAll(h.dir, 0o700); err != nil {
		return nil, err
	}
	db := filepath.Join(h.dir, "mercure.db")
	conf := fmt.Sprintf(`{
	admin off
	auto_https off
	persist_config off
	log {
		level ERROR
	}
}
http://127.0.0.1:%d {
	mercure {
		publisher_jwt %s
		anonymous
		transport bolt {
			path %s
		}
	}
}
`, port, h.key, db)
	cf := filepath.Join(h.dir, "Caddyfile")
	if err := os.WriteFile(cf, []byte(conf), 0o600); err != nil {
		return nil, err
	}
	h.cmd = exec.Command(bin, "run", "--config", cf, "--adapter", "caddyfile")
	h.cmd.Dir = h.dir
	h.cmd.Env = append(os.Environ(), "XDG_DATA_HOME="+h.dir, "XDG_CONFIG_HOME="+h.dir, "HOME="+h.dir)
	var errOut strings.Builder
	h.cmd.Stderr = &errOut
	if err := h.cmd.Start(); err != nil {
		return nil, fmt.Errorf("mercure: %w", err)
	}
	h.url = fmt.Sprintf("http://127.0.0.1:%d/.well-known/mercure", port)
	v := "mercure (version unknown)"
	if bi, err := buildinfo.ReadFile(bin); err == nil {
		for _, d := range bi.Deps {
			if d.Path == "github.com/dunglas/mercure" {
				v = "mercure " + d.Version + " (" + bi.GoVersion + ")"
			}
		}
	}
	h.desc = fmt.Sprintf("%s, bolt history at %s, its own process (pid %d)", v, db, h.cmd.Process.Pid)
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		if c, err := net.DialTimeout("tcp", fmt.Sprintf("127.0.0.1:%d", port), time.Second); err == nil {
			c.Close()
			break
		}
		if time.Now().After(deadline) {
			h.stop()
			return nil, fmt.Errorf("mercure did not start: %s", errOut.String())
		}
	}
	return h, nil
}

func (h *mercureHub) stop() {
	if h.cmd.Process != nil {
		h.cmd.Process.Kill()
		h.cmd.Wait()
	}
}
