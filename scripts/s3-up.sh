#!/usr/bin/env bash
# Starts an S3 server with Object Lock for the archive tests and for local use: a single-node
# Ceph cluster (one monitor, one memstore OSD, auth none between daemons) plus radosgw on
# 127.0.0.1:${LEDGER_S3_PORT:-17480}, with one S3 user holding a fixed access/secret key.
# Installs Debian's Ceph packages first when radosgw is not on PATH (needs root or sudo).
#
# Idempotent: when the endpoint already answers with the configured credentials, it does nothing.
# Progress goes to stderr; stdout carries only the environment to use, as `export` lines, so
#   eval "$(scripts/s3-up.sh)"
# starts the server (if needed) and sets LEDGER_S3_ENDPOINT, LEDGER_TEST_S3_ENDPOINT,
# AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_REGION in the calling shell.
# memstore keeps objects in memory only: stopping the server (scripts/s3-down.sh) discards them.
set -euo pipefail

CEPH_DIR=${LEDGER_S3_DIR:-/tmp/evidence-ledger-ceph}
PORT=${LEDGER_S3_PORT:-17480}
MON_V2=${LEDGER_S3_MON_PORT:-13300}
MON_V1=${LEDGER_S3_MON_V1_PORT:-16789}
ACCESS_KEY=${LEDGER_S3_ACCESS_KEY:-LEDGERACCESSKEY}
SECRET_KEY=${LEDGER_S3_SECRET_KEY:-LEDGERSECRETKEY123}
REGION=${LEDGER_S3_REGION:-us-east-1}
ENDPOINT="http://127.0.0.1:$PORT"
STEP_TIMEOUT=${LEDGER_S3_STEP_TIMEOUT:-60}
START_TIMEOUT=${LEDGER_S3_START_TIMEOUT:-120}

say() { printf 's3-up: %s\n' "$*" >&2; }
die() {
  printf 's3-up: error: %s\n' "$*" >&2
  if [ -d "$CEPH_DIR/log" ]; then
    printf 's3-up: daemon logs: %s/log/\n' "$CEPH_DIR" >&2
    tail -n 20 "$CEPH_DIR"/log/*.log 2>/dev/null >&2 || true
  fi
  exit 1
}

print_env() {
  cat <<EOF
export LEDGER_S3_ENDPOINT=$ENDPOINT
export LEDGER_TEST_S3_ENDPOINT=$ENDPOINT
export AWS_ACCESS_KEY_ID=$ACCESS_KEY
export AWS_SECRET_ACCESS_KEY=$SECRET_KEY
export AWS_REGION=$REGION
EOF
}

# A signed ListBuckets call: proves the gateway answers and the user exists with these keys.
# (S3 SigV4 needs x-amz-content-sha256; curl signs it when given: here, the empty body's digest.)
s3_ready() {
  curl -sf -m 3 -o /dev/null --aws-sigv4 "aws:amz:$REGION:s3" --user "$ACCESS_KEY:$SECRET_KEY" \
    -H 'x-amz-content-sha256: e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855' "$ENDPOINT/"
}

# Anything answers on the port at all (radosgw answers anonymous requests too).
port_answers() {
  curl -s -m 2 -o /dev/null "$ENDPOINT/"
}

install_ceph() {
  if command -v radosgw >/dev/null 2>&1 && command -v ceph-mon >/dev/null 2>&1 && command -v ceph-osd >/dev/null 2>&1 &&
    command -v radosgw-admin >/dev/null 2>&1 && command -v curl >/dev/null 2>&1; then
    return
  fi
  local sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null 2>&1 || die "Ceph is not installed and installing it needs root (no sudo found)"
    sudo=(sudo -n)
  fi
  say "installing Debian's Ceph (ceph-mon ceph-osd radosgw ceph-common) with apt-get"
  local started=$SECONDS
  export DEBIAN_FRONTEND=noninteractive
  timeout 600 "${sudo[@]}" apt-get update -q </dev/null >&2 || die "apt-get update failed"
  timeout 1200 "${sudo[@]}" apt-get install -y -q --no-install-recommends \
    -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold \
    ceph-mon ceph-osd radosgw ceph-common curl </dev/null >&2 || die "apt-get install of Ceph failed"
  command -v radosgw >/dev/null 2>&1 || die "radosgw is still not on PATH after installing Ceph"
  say "installed Ceph in $((SECONDS - started)) s"
}

# Stops daemons left over from an earlier run of this script (identified by its pid files).
stop_stale() {
  local name pid
  for name in client.rgw.a osd.0 mon.a; do
    [ -f "$CEPH_DIR/run/$name.pid" ] || continue
    pid=$(cat "$CEPH_DIR/run/$name.pid" 2>/dev/null || true)
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
      say "stopping stale $name (pid $pid)"
      kill "$pid" 2>/dev/null || true
      for _ in $(seq 1 20); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
      kill -9 "$pid" 2>/dev/null || true
    fi
  done
}

write_config() {
  local fsid=$1
  cat >"$CEPH_DIR/ceph.conf" <<EOF
[global]
fsid = $fsid
mon_host = [v2:127.0.0.1:$MON_V2,v1:127.0.0.1:$MON_V1]
mon_initial_members = a
auth_cluster_required = none
auth_service_required = none
auth_client_required = none
# Without these the client-to-monitor handshake never completes with auth none.
ms_mon_client_mode = crc secure
ms_client_mode = crc secure
ms_mon_service_mode = crc secure
ms_mon_cluster_mode = crc secure
public_addr = 127.0.0.1
cluster_addr = 127.0.0.1
osd_pool_default_size = 1
osd_pool_default_min_size = 1
osd_pool_default_pg_num = 8
osd_pool_default_pgp_num = 8
mon_allow_pool_size_one = true
mon_warn_on_pool_no_redundancy = false
mon_data_avail_warn = 1
osd_crush_chooseleaf_type = 0
mon_max_pg_per_osd = 1000
run_dir = $CEPH_DIR/run
admin_socket = $CEPH_DIR/run/\$name.asok
log_file = $CEPH_DIR/log/\$name.log
pid_file = $CEPH_DIR/run/\$name.pid
keyring = $CEPH_DIR/keyring
mon_data = $CEPH_DIR/mon/\$cluster-\$id
osd_data = $CEPH_DIR/osd/\$cluster-\$id
osd_objectstore = memstore
memstore_device_bytes = 2147483648
osd_max_object_name_len = 460
osd_max_object_namespace_len = 64
[client.rgw.a]
rgw_frontends = beast endpoint=127.0.0.1:$PORT
rgw_data = $CEPH_DIR/rgw
EOF
}

start_cluster() {
  local conf="$CEPH_DIR/ceph.conf" fsid osd_id
  fsid=$(cat /proc/sys/kernel/random/uuid)
  rm -rf "$CEPH_DIR"
  mkdir -p "$CEPH_DIR"/{run,log,mon,osd,rgw}
  write_config "$fsid"
  local ceph=(timeout "$STEP_TIMEOUT" ceph -c "$conf")

  say "creating monitor mon.a on 127.0.0.1:$MON_V2"
  timeout "$STEP_TIMEOUT" ceph-authtool --create-keyring "$CEPH_DIR/keyring" --gen-key -n mon. --cap mon 'allow *' >/dev/null ||
    die "ceph-authtool failed"
  timeout "$STEP_TIMEOUT" monmaptool --create --addv a "[v2:127.0.0.1:$MON_V2,v1:127.0.0.1:$MON_V1]" --fsid "$fsid" \
    "$CEPH_DIR/monmap" >/dev/null || die "monmaptool failed"
  timeout "$STEP_TIMEOUT" ceph-mon -c "$conf" --mkfs -i a --monmap "$CEPH_DIR/monmap" --keyring "$CEPH_DIR/keyring" >&2 ||
    die "ceph-mon --mkfs failed"
  timeout "$STEP_TIMEOUT" ceph-mon -c "$conf" -i a >&2 || die "ceph-mon did not start"

  say "creating memstore OSD"
  osd_id=$("${ceph[@]}" osd create) || die "'ceph osd create' failed (is the monitor reachable?)"
  mkdir -p "$CEPH_DIR/osd/ceph-$osd_id"
  timeout "$STEP_TIMEOUT" ceph-osd -c "$conf" -i "$osd_id" --mkfs >/dev/null 2>&1 || die "ceph-osd --mkfs failed"
  "${ceph[@]}" osd crush add-bucket localhost host >/dev/null 2>&1 || die "ceph osd crush add-bucket failed"
  "${ceph[@]}" osd crush move localhost root=default >/dev/null 2>&1 || die "ceph osd crush move failed"
  "${ceph[@]}" osd crush add "osd.$osd_id" 1.0 host=localhost >/dev/null 2>&1 || die "ceph osd crush add failed"
  timeout "$STEP_TIMEOUT" ceph-osd -c "$conf" -i "$osd_id" >/dev/null 2>&1 || die "ceph-osd did not start"

  say "starting radosgw on $ENDPOINT"
  timeout "$START_TIMEOUT" radosgw -c "$conf" -n client.rgw.a >&2 || die "radosgw did not start"
  local deadline=$((SECONDS + START_TIMEOUT))
  until port_answers; do
    [ "$SECONDS" -lt "$deadline" ] || die "radosgw did not answer on $ENDPOINT within ${START_TIMEOUT} s"
    sleep 1
  done

  say "creating S3 user 'ledger'"
  local out
  out=$(timeout "$STEP_TIMEOUT" radosgw-admin -c "$conf" -n client.admin user create --uid=ledger --display-name=ledger \
    --access-key="$ACCESS_KEY" --secret="$SECRET_KEY" 2>&1) || die "radosgw-admin user create failed: $out"
  deadline=$((SECONDS + STEP_TIMEOUT))
  until s3_ready; do
    [ "$SECONDS" -lt "$deadline" ] || die "radosgw answers but rejects the configured credentials"
    sleep 1
  done
}

main() {
  if s3_ready; then
    say "S3 already up on $ENDPOINT (credentials accepted); nothing to do"
    print_env
    return
  fi
  if port_answers; then
    die "something answers on $ENDPOINT but rejects the configured credentials; stop it (scripts/s3-down.sh) or set LEDGER_S3_PORT"
  fi
  command -v curl >/dev/null 2>&1 || say "curl not found; it is installed with Ceph"
  install_ceph
  local started=$SECONDS
  stop_stale
  start_cluster
  say "S3 with Object Lock up on $ENDPOINT in $((SECONDS - started)) s (stop: scripts/s3-down.sh)"
  print_env
}

main "$@"
