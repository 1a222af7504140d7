package scoring

import "testing"

func TestRate(t *testing.T) {
	pct := func(f float64) *float64 { return &f }
	// in builds the inputs: the claimed and verified scores, critical,
	// majors (requirements) and reviewed.
	in := func(area, country string, total, verified *float64, critical bool, majors int, reviewed bool) RiskInputs {
		return RiskInputs{RiskArea: area, Country: country, Total: total, Verified: verified, Critical: critical, Majors: majors, Reviewed: reviewed}
	}
	tests := []struct {
		name string
		in   RiskInputs
		want string
	}{
		{"low area and country, good verified score, reviewed", in("low", "low", pct(90), pct(90), false, 0, true), "low"},
		{"low inherent, middling claim", in("low", "low", pct(60), nil, false, 0, false), "low"},
		{"low inherent, poor claim", in("low", "low", pct(40), nil, false, 0, false), "medium"},
		{"high country wins", in("low", "high", pct(60), nil, false, 0, false), "high"},
		{"high country, good verified score, reviewed", in("medium", "high", pct(85), pct(85), false, 0, true), "medium"},
		{"high country, good score, the supplier's word alone", in("medium", "high", pct(85), nil, false, 0, false), "high"},
		{"high area, perfect claim, not reviewed", in("high", "low", pct(100), nil, false, 0, false), "high"},
		{"no score raises", in("medium", "low", nil, nil, false, 0, false), "high"},
		{"critical deviation", in("low", "low", pct(95), pct(95), true, 0, true), "high"},
		{"never above high", in("high", "high", pct(10), nil, false, 3, false), "high"},
		{"unknown inherent counts as medium", in("", "", pct(70), nil, false, 0, false), "medium"},
		{"one major requirement", in("low", "low", pct(70), nil, false, 1, false), "low"},
		{"two major requirements raise", in("low", "low", pct(70), nil, false, 2, false), "medium"},
		{"majors and a poor claim each raise", in("low", "low", pct(40), nil, false, 2, false), "high"},
		{"a verified score under 80 keeps a reviewed claim of 90 from lowering", in("medium", "low", pct(90), pct(60), false, 0, true), "medium"},
		{"a verified score of 80 lowers once reviewed", in("medium", "low", pct(90), pct(80), false, 0, true), "low"},
		{"a verified score of 80 does not lower before review", in("medium", "low", pct(90), pct(80), false, 0, false), "medium"},
		{"one major standing keeps a good verified score from lowering", in("medium", "low", pct(90), pct(90), false, 1, true), "medium"},
		{"majors outweigh a reviewed good score", in("medium", "low", pct(85), pct(85), false, 2, true), "high"},
		{"reviewed with nothing judged reads nothing verified", in("medium", "low", pct(100), nil, false, 0, true), "high"},
		{"a verified score under 50 raises though the claim is 100", in("medium", "low", pct(100), pct(30), false, 0, false), "high"},
	}
	// A self-declared score never lowers the inherent risk.
	for _, area := range riskLevels {
		for _, total := range []float64{0, 49, 50, 79, 80, 100} {
			in := RiskInputs{RiskArea: area, Country: "low", Total: pct(total)}
			if got := Rate(in); levelOf(got.Rating) < levelOf(area) {
				t.Errorf("unreviewed %s area, score %.0f: rated %s", area, total, got.Rating)
			}
		}
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Rate(tt.in); got.Rating != tt.want || got.Inputs != tt.in {
				t.Errorf("Rate = %+v, want %s", got, tt.want)
			}
		})
	}
}

// Read marks what the rule reads: the claim until judgement or review,
// the verified score after.
func TestRead(t *testing.T) {
	claim, ver := 90.0, 40.0
	for _, tt := range []struct {
		name     string
		in       RiskInputs
		want     float64
		verified bool
	}{
		{"claimed before judgement", RiskInputs{Total: &claim}, 90, false},
		{"verified once judged", RiskInputs{Total: &claim, Verified: &ver}, 40, true},
		{"nothing verified once reviewed unjudged", RiskInputs{Total: &claim, Reviewed: true}, 0, true},
	} {
		got, verified := tt.in.Read()
		if got == nil || *got != tt.want || verified != tt.verified {
			t.Errorf("%s: Read = %v %v, want %v %v", tt.name, got, verified, tt.want, tt.verified)
		}
	}
}
