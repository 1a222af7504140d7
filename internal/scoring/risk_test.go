package scoring

import "testing"

func TestRate(t *testing.T) {
	pct := func(f float64) *float64 { return &f }
	tests := []struct {
		name string
		in   RiskInputs
		want string
	}{
		{"low area and country, good score", RiskInputs{"low", "low", pct(90), false}, "low"},
		{"low inherent, middling score", RiskInputs{"low", "low", pct(60), false}, "low"},
		{"low inherent, poor score", RiskInputs{"low", "low", pct(40), false}, "medium"},
		{"high country wins", RiskInputs{"low", "high", pct(60), false}, "high"},
		{"high country, good score", RiskInputs{"medium", "high", pct(85), false}, "medium"},
		{"no score raises", RiskInputs{"medium", "low", nil, false}, "high"},
		{"critical deviation", RiskInputs{"low", "low", pct(95), true}, "high"},
		{"never above high", RiskInputs{"high", "high", pct(10), false}, "high"},
		{"unknown inherent counts as medium", RiskInputs{"", "", pct(70), false}, "medium"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Rate(tt.in); got.Rating != tt.want || got.Inputs != tt.in {
				t.Errorf("Rate = %+v, want %s", got, tt.want)
			}
		})
	}
}
