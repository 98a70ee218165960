#!/usr/bin/env bash
# Stops the daemon start-dockerd.sh started, by its recorded pid (never by name). dockerd stops
# its containers and its own containerd on the way out. A daemon we did not start is left alone.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
. "$here/lib.sh"

# Seconds dockerd gets to stop its containers before it is killed.
DOCKERD_STOP_TIMEOUT="${DOCKERD_STOP_TIMEOUT:-60}"

[ -f "$GIGGLES_DOCKERD_PIDFILE" ] || { info "no dockerd started by us (no $GIGGLES_DOCKERD_PIDFILE)"; exit 0; }
pid="$(cat "$GIGGLES_DOCKERD_PIDFILE")"
if kill -0 "$pid" 2>/dev/null; then
  step "stopping dockerd (pid $pid)"
  kill -TERM "$pid"
  for _ in $(seq "$DOCKERD_STOP_TIMEOUT"); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 1
  done
  if kill -0 "$pid" 2>/dev/null; then
    info "dockerd still running after ${DOCKERD_STOP_TIMEOUT}s; killing it"
    kill -KILL "$pid" || true
  fi
fi
rm -f "$GIGGLES_DOCKERD_PIDFILE"
info "dockerd stopped"
