package store

import (
	"slices"
	"testing"
	"time"
)

// TestPendingAfter: revisions keep their bodies for keepBodies, in runs of
// a minute at most, so the list stays short however often one saves.
func TestPendingAfter(t *testing.T) {
	t0 := time.Date(2026, 11, 23, 8, 0, 0, 0, time.UTC)
	var pending []pendingRev
	var dropped []int64
	// A save every two seconds for half an hour.
	for i := range 900 {
		var drop []int64
		pending, drop = pendingAfter(pending, int64(i+2), t0.Add(time.Duration(i)*2*time.Second))
		dropped = append(dropped, drop...)
	}
	if len(pending) > 12 {
		t.Errorf("%d runs kept, want at most 12", len(pending))
	}
	last := t0.Add(899 * 2 * time.Second)
	for _, p := range pending {
		if last.Sub(p.At) > keepBodies {
			t.Errorf("run %d–%d made at %v kept past keepBodies", p.From, p.To, p.At)
		}
	}
	// Every version is either kept or dropped, once, and none dropped young.
	var all []int64
	all = append(all, dropped...)
	for _, p := range pending {
		for v := p.From; v <= p.To; v++ {
			all = append(all, v)
		}
	}
	slices.Sort(all)
	if len(all) != 900 || all[0] != 2 || all[899] != 901 || len(slices.Compact(all)) != 900 {
		t.Errorf("%d versions accounted for, want 900 from 2 to 901 once each", len(all))
	}
	for _, v := range dropped {
		made := t0.Add(time.Duration(v-2) * 2 * time.Second)
		if last.Sub(made) <= keepBodies-time.Minute {
			t.Errorf("version %d, made %v before the last save, dropped too young", v, last.Sub(made))
		}
	}
}
