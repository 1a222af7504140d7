package org_test

import (
	"strings"
	"testing"

	"github.com/regionerna/saq/internal/org"
	"github.com/regionerna/saq/questionnaires"
)

func TestCountriesIn(t *testing.T) {
	d, err := org.Load(questionnaires.Files)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct{ text, want string }{
		{"Malaysia och Thailand", "MY TH"},
		{"Kina, Malaysia och Pakistan", "CN MY PK"},
		{"China; malaysia; PAKISTAN", "CN MY PK"},
		{"MY, CN", "MY CN"},
		{"Tillverkas i Sverige av oss själva", "SE"},
		{"Papua New Guinea", "PG"},
		{"Nigeria and Niger", "NG NE"},
		{"in our own factories, no subcontractors", ""},
		{"Vi köper färdiga varor från en grossist i Tyskland som tillverkar i Indien", "DE IN"},
		{"Malaysia, Malaysia och MY", "MY"},
		{"USA och Storbritannien", "US GB"},
		{"", ""},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			if got := strings.Join(d.CountriesIn(tt.text), " "); got != tt.want {
				t.Errorf("CountriesIn(%q) = %q, want %q", tt.text, got, tt.want)
			}
		})
	}
}
