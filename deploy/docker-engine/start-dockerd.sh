#!/usr/bin/env bash
# Starts a Docker daemon in the background and records its pid, unless one already answers.
# The host firewall is never touched (--iptables=false …): containers reach each other on the
# bridge and the host through published loopback ports, and have no route out — which is what
# the tests want. Stop it with stop-dockerd.sh (by its pid, nothing else).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
. "$here/lib.sh"
require_root start-dockerd.sh

# Seconds to wait for a fresh daemon to answer before giving up.
DOCKERD_START_TIMEOUT="${DOCKERD_START_TIMEOUT:-60}"

if docker_up; then
  info "a Docker daemon already answers; leaving it as it is"
  exit 0
fi
command -v dockerd >/dev/null || fail "dockerd is not installed" "run deploy/docker-engine/prepare.sh first"
mkdir -p "$GIGGLES_DOCKERD_RUN_DIR"
if [ -f "$GIGGLES_DOCKERD_PIDFILE" ] && kill -0 "$(cat "$GIGGLES_DOCKERD_PIDFILE")" 2>/dev/null; then
  fail "dockerd (pid $(cat "$GIGGLES_DOCKERD_PIDFILE")) is running but does not answer" \
    "see $GIGGLES_DOCKERD_LOG, or stop it with deploy/docker-engine/stop-dockerd.sh"
fi

step "starting dockerd (log: $GIGGLES_DOCKERD_LOG)"
setsid dockerd --iptables=false --ip6tables=false --ip-masq=false --ip-forward=false \
  --storage-driver=overlay2 --pidfile "$GIGGLES_DOCKERD_RUN_DIR/dockerd.own.pid" \
  >"$GIGGLES_DOCKERD_LOG" 2>&1 </dev/null &
echo $! >"$GIGGLES_DOCKERD_PIDFILE"
for _ in $(seq "$DOCKERD_START_TIMEOUT"); do
  docker_up && { info "dockerd is up (pid $(cat "$GIGGLES_DOCKERD_PIDFILE"))"; exit 0; }
  kill -0 "$(cat "$GIGGLES_DOCKERD_PIDFILE")" 2>/dev/null || break
  sleep 1
done
tail -20 "$GIGGLES_DOCKERD_LOG" >&2 || true
fail "dockerd did not come up within ${DOCKERD_START_TIMEOUT}s" "its log is above ($GIGGLES_DOCKERD_LOG)"
