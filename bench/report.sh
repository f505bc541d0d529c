#!/usr/bin/env bash
# Turns scripts/bench's results.jsonl into the Markdown tables BENCHMARKS.md quotes.
set -euo pipefail
jq -rs '
  def r0: . * 10 | round / 10;
  def pct(a; b): if b > 0 then "\(a / b * 100 | round) %" else "-" end;
  (map(select(.ceiling))[0]) as $c
  | (map(select(.startup))[0]) as $s
  | (map(select(.memory))[0]) as $m
  # Scenarios run interleaved with their ceilings; the table keeps one fixed order.
  | ["jwks", "rs256_endpoint", "token", "token_hs256", "get_client", "list_50", "patch_small",
     "patch_full", "create"] as $order
  | (map(select(.name))
     | sort_by(. as $r | [($order | index($r.name)), ($r.mode == "newconn"), $r.conns])) as $rows
  # $-parameters: a plain filter parameter would be evaluated inside select, against
  # each candidate row, and match the first jwks row whatever the connections.
  | def row($n; $mode; $c): ($rows | map(select(.name == $n and .mode == $mode and .conns == $c))[0]);
  def ceiling($r):
    if $r.name == "token" then ["RS256-only endpoint", row("rs256_endpoint"; $r.mode; $r.conns).rps]
    elif $r.name == "rs256_endpoint" then (if $r.conns == 1 then ["RSA sign, 1 core", $c.rsa_per_core]
                                else ["RSA sign, all cores", $c.rsa_all_cores] end)
    elif $r.name == "get_client" or $r.name == "list_50" or $r.name == "token_hs256" then ["bare (jwks)", row("jwks"; $r.mode; $r.conns).rps]
    elif $r.name == "patch_small" or $r.name == "patch_full" or $r.name == "create" then ["SQLite commits (faster)", $c.sqlite_commits]
    else ["-", 0] end;
  "## Ceilings (same run)\n",
  "| ceiling | per second |", "|---|---:|",
  "| RSA-2048 PKCS#1 SHA-256 signatures, aws-lc-rs, 1 core | \($c.rsa_per_core | r0) |",
  "| same, all \("cores") | \($c.rsa_all_cores | r0) |",
  "| `openssl speed rsa2048` sign/s, 1 core | \($c.openssl_rsa_per_core // "-") |",
  "| SQLite durable commits (WAL, synchronous=FULL, 1 connection), sqlx | \($c.sqlite_commits_sqlx // $c.sqlite_commits | r0) |",
  "| same, rusqlite on the calling thread | \($c.sqlite_commits_direct // "-" | if type == "number" then r0 else . end) |",
  (if $c.sqlite_paced_commit_us then
     "| same, each commit after \($c.sqlite_paced_gap_us) µs asleep: 1 s ÷ the mean time of one commit (\($c.sqlite_paced_commit_us | r0) µs; not a ceiling) | \(1000000 / $c.sqlite_paced_commit_us | r0) |"
   else empty end),
  "",
  "## Throughput and latency (medians)\n",
  "| scenario | connections | mode | req/s | p50 ms | p99 ms | ceiling | ratio | non-2xx | errors | peak RSS MB |",
  "|---|---:|---|---:|---:|---:|---|---:|---:|---:|---:|",
  ($rows[] | ceiling(.) as $k
   | "| \(.name) | \(.conns) | \(.mode) | \(.rps | r0) | \(.p50_ms) | \(.p99_ms) | \($k[0]) | \(pct(.rps; $k[1])) | \(.non2xx) | \(.errors) | \(if .rss_peak_kb then (.rss_peak_kb / 1024 | r0) else "-" end) |"),
  "",
  "## Start-up and memory\n",
  "| measure | value |", "|---|---:|",
  "| first start, empty data dir (keys, TLS, bootstrap) | \($s.fresh_ms) ms |",
  "| start with \($s.clients) clients, to first served request (median) | \($s.restart_ms) ms |",
  "| import of \($s.clients) clients (`zeroth import`) | \($s.import_ms) ms |",
  "| RSS idle, empty tenant | \($s.rss_empty_kb / 1024 | r0) MB |",
  "| RSS idle, \($s.clients) clients | \($s.rss_clients_idle_kb / 1024 | r0) MB |",
  "| RSS after the load runs | \($m.rss_after_load_kb / 1024 | r0) MB |",
  "| RSS peak (VmHWM) | \($m.rss_peak_kb / 1024 | r0) MB |"
' "$1"
