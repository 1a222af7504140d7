package org_test

import (
	"strings"
	"testing"

	"github.com/regionerna/saq/internal/org"
	"github.com/regionerna/saq/questionnaires"
)

func TestShippedOrganisation(t *testing.T) {
	d, err := org.Load(questionnaires.Files)
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Regions) != 22 {
		t.Errorf("%d regions, want the 21 regions and the national office", len(d.Regions))
	}
	if len(d.RiskAreas) != 8 {
		t.Errorf("%d risk areas, want 8", len(d.RiskAreas))
	}
	gloves, ok := d.RiskArea("gloves")
	if !ok || gloves.InherentRisk != org.High {
		t.Errorf("gloves = %+v", gloves)
	}
	if r, _ := d.Region("skane"); r.Name.In("sv") != "Region Skåne" {
		t.Errorf("skane = %+v", r)
	}
}

func TestRefused(t *testing.T) {
	good := "regions:\n  - {id: national, name: {sv: N, en: N}}\n  - {id: a, name: {sv: A, en: A}}\nrisk_areas:\n  - {id: x, name: {sv: X, en: X}, owners: [a], inherent_risk: high}\n"
	if _, err := org.Parse("o.yaml", []byte(good)); err != nil {
		t.Fatalf("valid file refused: %v", err)
	}
	tests := []struct{ name, old, new, want string }{
		{"unknown owner", "owners: [a]", "owners: [a, b]", `risk area x: owner "b" is not a region`},
		{"the office owns no area", "owners: [a]", "owners: [national]", `risk area x: owner "national" is not a region`},
		{"bad risk", "inherent_risk: high", "inherent_risk: severe", `inherent_risk "severe" must be low, medium or high`},
		{"missing name", "name: {sv: A, en: A}", "name: {sv: A}", "region a has no en name"},
		{"duplicate region", "id: a,", "id: national,", `region id "national" is empty or used twice`},
		{"no national office", "id: national,", "id: nat,", `no region "national"`},
		{"unknown field", "owners: [a]", "owners: [a], colour: red", "field colour not found"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := org.Parse("o.yaml", []byte(strings.Replace(good, tt.old, tt.new, 1)))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want %q", err, tt.want)
			}
		})
	}
}

func TestCountries(t *testing.T) {
	d, err := org.Load(questionnaires.Files)
	if err != nil {
		t.Fatal(err)
	}
	for code, want := range map[string]org.Risk{"SE": org.Low, "MY": org.High, "ZZ": org.Medium} {
		if got := d.CountryRisk(code); got != want {
			t.Errorf("%s = %s, want %s", code, got, want)
		}
	}
	for _, bad := range []string{"default: medium\ncountries: {se: low}\n", "default: extreme\n", "default: low\ncountries: {SE: none}\n"} {
		if _, err := org.ParseCountries("c.yaml", []byte(bad)); err == nil {
			t.Errorf("accepted %q", bad)
		}
	}
}

func TestNames(t *testing.T) {
	d, err := org.Load(questionnaires.Files)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		got  string
		want string
	}{
		{"region in Swedish", d.RegionName("skane", "sv"), "Region Skåne"},
		{"unknown region", d.RegionName("atlantis", "en"), "atlantis"},
		{"risk area in English", d.RiskAreaName("gloves", "en"), "Gloves and surgical articles"},
		{"unknown risk area", d.RiskAreaName("nope", "sv"), "nope"},
		{"country in Swedish", d.CountryName("MY", "sv"), "Malaysia"},
		{"country with Swedish letters", d.CountryName("AT", "sv"), "Österrike"},
		{"country in English", d.CountryName("DE", "en"), "Germany"},
		{"unknown country", d.CountryName("XX", "sv"), "XX"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.got != tt.want {
				t.Errorf("got %q, want %q", tt.got, tt.want)
			}
		})
	}
}

func TestCountryNames(t *testing.T) {
	d, err := org.Load(questionnaires.Files)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(d.CountryNames); n < 249 {
		t.Errorf("%d countries, want every ISO 3166-1 code", n)
	}
	for code, want := range map[string]bool{"SE": true, "CN": true, "XK": true, "XX": false, "se": false, "": false} {
		if got := d.KnownCountry(code); got != want {
			t.Errorf("KnownCountry(%q) = %v", code, got)
		}
	}
	for _, bad := range []string{"names: {se: {sv: S, en: S}}\n", "names: {SE: {sv: Sverige}}\n", "names: {}\n", "nams: {}\n"} {
		if _, err := org.ParseCountryNames("n.yaml", []byte(bad)); err == nil {
			t.Errorf("accepted %q", bad)
		}
	}
}
