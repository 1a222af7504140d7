package scoring

import "testing"

func TestRate(t *testing.T) {
	pct := func(f float64) *float64 { return &f }
	tests := []struct {
		name string
		in   RiskInputs
		want string
	}{
		{"low area and country, good score", RiskInputs{"low", "low", "", pct(90), nil, false, 0, true}, "low"},
		{"low inherent, middling score", RiskInputs{"low", "low", "", pct(60), nil, false, 0, false}, "low"},
		{"low inherent, poor score", RiskInputs{"low", "low", "", pct(40), nil, false, 0, false}, "medium"},
		{"high country wins", RiskInputs{"low", "high", "", pct(60), nil, false, 0, false}, "high"},
		{"high country, good score, reviewed", RiskInputs{"medium", "high", "", pct(85), nil, false, 0, true}, "medium"},
		{"high country, good score, the supplier's word alone", RiskInputs{"medium", "high", "", pct(85), nil, false, 0, false}, "high"},
		{"high area, perfect score, not reviewed", RiskInputs{"high", "low", "", pct(100), nil, false, 0, false}, "high"},
		{"no score raises", RiskInputs{"medium", "low", "", nil, nil, false, 0, false}, "high"},
		{"critical deviation", RiskInputs{"low", "low", "", pct(95), nil, true, 0, true}, "high"},
		{"never above high", RiskInputs{"high", "high", "", pct(10), nil, false, 3, false}, "high"},
		{"unknown inherent counts as medium", RiskInputs{"", "", "", pct(70), nil, false, 0, false}, "medium"},
		{"one major deviation", RiskInputs{"low", "low", "", pct(70), nil, false, 1, false}, "low"},
		{"two major deviations raise", RiskInputs{"low", "low", "", pct(70), nil, false, 2, false}, "medium"},
		{"majors and a poor score each raise", RiskInputs{"low", "low", "", pct(40), nil, false, 2, false}, "high"},
		{"a verified score under 80 keeps a reviewed claim of 90 from lowering", RiskInputs{"medium", "low", "", pct(90), pct(60), false, 0, true}, "medium"},
		{"a verified score of 80 lowers once reviewed", RiskInputs{"medium", "low", "", pct(90), pct(80), false, 0, true}, "low"},
		{"majors outweigh a reviewed good score", RiskInputs{"medium", "low", "", pct(85), nil, false, 2, true}, "medium"},
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
