package scoring

// Verdict is the desk audit's judgement of the evidence for one
// requirement, as in the regions' assessment template. Until the reviewer
// gives one, the requirement's points are the supplier's claim only.
type Verdict string

const (
	Verified       Verdict = "verified"     // styrkt: the documents bear the answers out
	PartlyVerified Verdict = "partly"       // delvis styrkt: they bear out some of it
	NotVerified    Verdict = "not_verified" // ej styrkt: they are missing or do not bear it out
)

// Verdicts in the order a reviewer chooses among them.
var Verdicts = []Verdict{Verified, PartlyVerified, NotVerified}

// Valid tells whether v is one of Verdicts.
func (v Verdict) Valid() bool { return v == Verified || v == PartlyVerified || v == NotVerified }

// Weight is the share of a requirement's claimed points that counts as
// verified: all, half, or none; none until judged.
func (v Verdict) Weight() float64 {
	switch v {
	case Verified:
		return 1
	case PartlyVerified:
		return 0.5
	}
	return 0
}

// weightOf is the share of a question's points that counts as verified:
// the least its requirements' verdicts allow, as the points evidence all
// of them at once.
func weightOf(requirements []string, verdicts map[string]Verdict) float64 {
	if len(requirements) == 0 {
		return 0
	}
	w := 1.0
	for _, r := range requirements {
		w = min(w, verdicts[r].Weight())
	}
	return w
}
