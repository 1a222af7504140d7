package assessment

import (
	"slices"
	"strings"
	"sync"
)

// Catalog is every summary at one moment, for lists and figures. It is
// immutable once made; the orders the list sorts by, the dashboards and the
// annual figures are made from it on first use and kept, so that a list over
// 100 000 follow-ups filters one presorted order instead of sorting, and a
// dashboard is summed once per change rather than once per request.
type Catalog struct {
	entries []*entry

	mu         sync.Mutex
	orders     map[string][]*entry
	dashboards map[[2]string]Dashboard // region, today
	stats      map[int]Stats
}

// entry is a summary with the lower-cased texts that search and sorting
// by supplier compare, made once.
type entry struct {
	s                   *Summary
	name, org, contract string
}

// NewCatalog makes a catalog of all. It keeps the pointers: the summaries
// must not change afterwards (a changed summary is a new one).
func NewCatalog(all []*Summary) *Catalog {
	c := &Catalog{entries: make([]*entry, len(all)), orders: map[string][]*entry{},
		dashboards: map[[2]string]Dashboard{}, stats: map[int]Stats{}}
	for i, s := range all {
		c.entries[i] = &entry{s: s, name: strings.ToLower(s.SupplierName), org: strings.ToLower(s.OrgNumber), contract: strings.ToLower(s.ContractRef)}
	}
	return c
}

// Summaries returns copies of the summaries that match f.
func (c *Catalog) Summaries(f Filter) []Summary {
	out := []Summary{}
	for _, e := range c.entries {
		if f.holds(e.s) {
			out = append(out, *e.s)
		}
	}
	return out
}

// Select is Select(all, q, today) on the catalog's summaries.
func (c *Catalog) Select(q Query, today string) Page {
	q.Search = strings.ToLower(strings.TrimSpace(q.Search))
	q.PerPage, q.Page = perPage(q.PerPage), max(q.Page, 1)
	p := Page{Page: q.Page, PerPage: q.PerPage}
	from := (q.Page - 1) * q.PerPage
	for _, e := range c.order(q.Sort) {
		if !q.matchesFields(e.s, today) || q.Search != "" && !q.found(e.name, e.org, e.contract) {
			continue
		}
		if p.Total >= from && p.Total < from+q.PerPage {
			p.Items = append(p.Items, *e.s)
		}
		p.Total++
	}
	return p
}

// Dashboard is MakeDashboard over a region's summaries ("" for all).
func (c *Catalog) Dashboard(region, today string) Dashboard {
	key := [2]string{region, today}
	c.mu.Lock()
	d, ok := c.dashboards[key]
	c.mu.Unlock()
	if ok {
		return d
	}
	d = MakeDashboard(c.Summaries(Filter{Region: region}), today)
	c.mu.Lock()
	c.dashboards[key] = d
	c.mu.Unlock()
	return d
}

// Stats is MakeStats over every summary.
func (c *Catalog) Stats(year int) Stats {
	c.mu.Lock()
	st, ok := c.stats[year]
	c.mu.Unlock()
	if ok {
		return st
	}
	st = MakeStats(c.Summaries(Filter{}), year)
	c.mu.Lock()
	c.stats[year] = st
	c.mu.Unlock()
	return st
}

// order is every entry sorted for a sort key, made on first use.
func (c *Catalog) order(key string) []*entry {
	if !slices.Contains(Sorts, key) {
		key = "-issued"
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if o, ok := c.orders[key]; ok {
		return o
	}
	o := slices.Clone(c.entries)
	by := order(key)
	compare := func(a, b *entry) int { return by(a.s, b.s) }
	if strings.TrimPrefix(key, "-") == "supplier" { // by the names lower-cased once
		sign := 1
		if strings.HasPrefix(key, "-") {
			sign = -1
		}
		compare = func(a, b *entry) int {
			if n := strings.Compare(a.name, b.name); n != 0 {
				return sign * n
			}
			return ties(a.s, b.s)
		}
	}
	slices.SortFunc(o, compare)
	c.orders[key] = o
	return o
}
