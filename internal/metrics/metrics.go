// Package metrics holds what the service counts and times, in Prometheus'
// text format: requests by route and status, database operations by kind,
// follow-ups by status, mail and reminder runs. A nil *Metrics counts
// nothing, so parts built without it (tests, commands) need no checks.
package metrics

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Metrics is one process's metrics, in a registry of its own (the embedded
// database registers metrics of its own in the default one).
type Metrics struct {
	registry  *prometheus.Registry
	requests  *prometheus.CounterVec
	latency   *prometheus.HistogramVec
	db        *prometheus.HistogramVec
	mail      *prometheus.CounterVec
	reminders *prometheus.CounterVec
}

// New makes the metrics. byStatus counts the follow-ups by status when
// Prometheus asks, within 10 seconds.
func New(byStatus func(context.Context) (map[string]int, error)) *Metrics {
	m := &Metrics{
		registry: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "saq_http_requests_total", Help: "HTTP requests answered, by method, route pattern and status.",
		}, []string{"method", "route", "status"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "saq_http_request_duration_seconds", Help: "Time to answer an HTTP request, by method and route pattern.",
			Buckets: []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30},
		}, []string{"method", "route"}),
		db: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "saq_db_operation_duration_seconds", Help: "Time of a database command, by command (find, insert, update, …) and outcome.",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 5, 30},
		}, []string{"command", "outcome"}),
		mail: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "saq_mail_total", Help: "E-mails handed to the mail server, by kind and outcome (sent, failed).",
		}, []string{"kind", "outcome"}),
		reminders: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "saq_reminder_runs_total", Help: "Runs of the reminder job, by what it reminds of and outcome (ok, failed).",
		}, []string{"what", "outcome"}),
	}
	m.registry.MustRegister(m.requests, m.latency, m.db, m.mail, m.reminders,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	if byStatus != nil {
		m.registry.MustRegister(statusCollector{byStatus})
	}
	return m
}

// Handler serves the metrics in Prometheus' text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.registry, promhttp.HandlerOpts{ErrorHandling: promhttp.ContinueOnError})
}

// Request counts an answered request; route is the route's pattern, never
// the path, which holds supplier links' tokens.
func (m *Metrics) Request(method, route string, status int, d time.Duration) {
	if m == nil {
		return
	}
	// The strings a web framework hands out may point into a buffer the
	// next request reuses, and a metric keeps its labels: copy them.
	method, route = strings.Clone(method), strings.Clone(route)
	m.requests.WithLabelValues(method, route, strconv.Itoa(status)).Inc()
	m.latency.WithLabelValues(method, route).Observe(d.Seconds())
}

// DBOperation times one database command.
func (m *Metrics) DBOperation(command string, d time.Duration, failed bool) {
	if m == nil {
		return
	}
	m.db.WithLabelValues(command, outcome(failed)).Observe(d.Seconds())
}

// Mail counts one message handed to the mail server.
func (m *Metrics) Mail(kind string, failed bool) {
	if m == nil {
		return
	}
	outcome := "sent"
	if failed {
		outcome = "failed"
	}
	m.mail.WithLabelValues(kind, outcome).Inc()
}

// ReminderRun counts one run of a reminder job.
func (m *Metrics) ReminderRun(what string, failed bool) {
	if m == nil {
		return
	}
	m.reminders.WithLabelValues(what, outcome(failed)).Inc()
}

func outcome(failed bool) string {
	if failed {
		return "failed"
	}
	return "ok"
}

// statusCollector asks for the follow-ups by status at each scrape.
type statusCollector struct {
	count func(context.Context) (map[string]int, error)
}

var statusDesc = prometheus.NewDesc("saq_assessments", "Follow-ups, by status.", []string{"status"}, nil)

func (c statusCollector) Describe(ch chan<- *prometheus.Desc) { ch <- statusDesc }

func (c statusCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	counts, err := c.count(ctx)
	if err != nil {
		ch <- prometheus.NewInvalidMetric(statusDesc, err)
		return
	}
	for status, n := range counts {
		ch <- prometheus.MustNewConstMetric(statusDesc, prometheus.GaugeValue, float64(n), status)
	}
}
