package app

import (
	"net/http"
	"strconv"
	"time"

	"github.com/framsyn/framsyn/internal/route"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// metrics counts requests by route pattern (never the raw path, which
// would give one series per organisation or token).
type metrics struct {
	reg      *prometheus.Registry
	requests *prometheus.CounterVec
	latency  *prometheus.HistogramVec
	inFlight prometheus.Gauge
}

func newMetrics() *metrics {
	m := &metrics{
		reg: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "framsyn_http_requests_total", Help: "HTTP requests by route pattern and status code.",
		}, []string{"method", "route", "code"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "framsyn_http_request_duration_seconds", Help: "HTTP request latency by route pattern.",
			Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5},
		}, []string{"method", "route"}),
		inFlight: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "framsyn_http_requests_in_flight", Help: "HTTP requests being served, open event streams included.",
		}),
	}
	m.reg.MustRegister(m.requests, m.latency, m.inFlight,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// decided counts the workshop's commands by where they were decided:
// ahead, against the instance's board, or under the workshop's lock (a
// share of "lock" that grows says the instances keep overtaking each
// other's boards).
func (m *metrics) decided(ws interface{ Decided() (ahead, locked int64) }) {
	for _, where := range []string{"ahead", "lock"} {
		m.reg.MustRegister(prometheus.NewCounterFunc(prometheus.CounterOpts{
			Name: "framsyn_workshop_commands_total", Help: "Workshop commands saved, by where they were decided.",
			ConstLabels: prometheus.Labels{"decided": where},
		}, func() float64 {
			ahead, locked := ws.Decided()
			if where == "ahead" {
				return float64(ahead)
			}
			return float64(locked)
		}))
	}
}

func (m *metrics) handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{})
}

func (m *metrics) instrument(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		m.inFlight.Inc()
		defer m.inFlight.Dec()
		sw := &statusWriter{ResponseWriter: w}
		ctx, p := route.WithPatternRecorder(r.Context())
		next.ServeHTTP(sw, r.WithContext(ctx))
		pattern := *p
		if pattern == "" {
			pattern = "unmatched"
		}
		if sw.status == 0 {
			sw.status = http.StatusOK
		}
		m.requests.WithLabelValues(r.Method, pattern, strconv.Itoa(sw.status)).Inc()
		m.latency.WithLabelValues(r.Method, pattern).Observe(time.Since(start).Seconds())
	})
}
