#!/usr/bin/env bash
# Stops the Ceph cluster and radosgw started by scripts/s3-up.sh and removes its data directory.
# Only the daemons recorded in that directory's pid files are stopped. Safe to run twice.
set -euo pipefail

CEPH_DIR=${LEDGER_S3_DIR:-/tmp/evidence-ledger-ceph}

say() { printf 's3-down: %s\n' "$*" >&2; }

if [ ! -d "$CEPH_DIR" ]; then
  say "nothing to stop ($CEPH_DIR does not exist)"
  exit 0
fi

for name in client.rgw.a osd.0 mon.a; do
  pid_file="$CEPH_DIR/run/$name.pid"
  [ -f "$pid_file" ] || continue
  pid=$(cat "$pid_file" 2>/dev/null || true)
  if [ -z "$pid" ] || ! kill -0 "$pid" 2>/dev/null; then
    continue
  fi
  say "stopping $name (pid $pid)"
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
  if kill -0 "$pid" 2>/dev/null; then
    say "$name did not stop in 15 s; killing it"
    kill -9 "$pid" 2>/dev/null || true
  fi
done

rm -rf "$CEPH_DIR"
say "stopped; removed $CEPH_DIR"
