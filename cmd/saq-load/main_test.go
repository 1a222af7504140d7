package main

import (
	"bytes"
	"strings"
	"testing"
)

func TestRefusesWhatIsNotLoopback(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"another machine", []string{"-targets", "http://10.1.2.3:8080"}, "not a loopback address"},
		{"a public name", []string{"-targets", "https://saq.example.se"}, "not a loopback address"},
		{"one of several", []string{"-targets", "http://127.0.0.1:8080,http://192.168.1.5:8080"}, "not a loopback address"},
		{"a bad mix", []string{"-mix", "save=lots"}, "give kind=weight"},
		{"an unknown kind", []string{"-mix", "delete=5"}, "unknown kind"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			err := run(tt.args, &out, &errOut)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("run(%v) = %v, want %q", tt.args, err, tt.want)
			}
		})
	}
}
