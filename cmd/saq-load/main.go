// Command saq-load makes load on running instances of the service on this
// machine: suppliers saving answers, coordinators paging lists, reports
// downloaded, mixed by weight; bounded in requests and in time. It prints
// throughput and p50/p99 per kind of request.
//
//	saq token create --email coordinator@region.se   # the last line is the token
//	saq-load -targets http://127.0.0.1:8080 -token TOKEN -suppliers 20 -requests 2000 -duration 60s
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"time"

	"github.com/regionerna/saq/internal/loadgen"
)

func main() {
	if err := run(os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "saq-load:", err)
		os.Exit(1)
	}
}

func run(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("saq-load", flag.ContinueOnError)
	fs.SetOutput(stderr)
	targets := fs.String("targets", "http://127.0.0.1:8080", "comma-separated base URLs of the instances (loopback only)")
	token := fs.String("token", os.Getenv("SAQ_LOAD_TOKEN"), "a coordinator's API token (or SAQ_LOAD_TOKEN)")
	suppliers := fs.Int("suppliers", 20, "follow-ups issued, one worker saving to each")
	requests := fs.Int("requests", 2000, "stop after this many requests")
	duration := fs.Duration("duration", time.Minute, "or after this long")
	mix := fs.String("mix", "save=70,list=20,report=10", "weights of the kinds of request")
	acks := fs.String("acks", "", "write each acknowledged save to this file: follow-up, version, comment")
	if err := fs.Parse(args); err != nil {
		return err
	}
	m, err := parseMix(*mix)
	if err != nil {
		return err
	}
	cfg := loadgen.Config{Targets: strings.Split(*targets, ","), Token: *token, Suppliers: *suppliers, Requests: *requests, Duration: *duration, Mix: m}
	if err := loadgen.CheckLoopback(cfg.Targets); err != nil {
		return err
	}
	if *acks != "" {
		f, err := os.Create(*acks)
		if err != nil {
			return err
		}
		defer f.Close()
		cfg.Acks = f
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	res, err := loadgen.Run(ctx, cfg)
	if err != nil {
		return err
	}
	res.Print(stdout)
	return nil
}

// parseMix reads "save=70,list=20,report=10".
func parseMix(s string) (loadgen.Mix, error) {
	var m loadgen.Mix
	for _, part := range strings.Split(s, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(part), "=")
		n, err := strconv.Atoi(v)
		if !ok || err != nil || n < 0 {
			return m, fmt.Errorf("mix %q: give kind=weight, e.g. save=70,list=20,report=10", s)
		}
		switch k {
		case loadgen.Save:
			m.Save = n
		case loadgen.List:
			m.List = n
		case loadgen.Report:
			m.Report = n
		default:
			return m, fmt.Errorf("mix: unknown kind %q (save, list, report)", k)
		}
	}
	return m, nil
}
