#!/usr/bin/env bash
# Prepares a real Docker engine on a Debian 12 machine without a container registry, idempotently:
#   1. Debian's docker.io and debootstrap (apt, --no-install-recommends)
#   2. the compose v2 plugin from Debian trixie's docker-compose package, fetched with a private
#      apt state (the host's apt sources are not changed) into /usr/local/lib/docker/cli-plugins
#   3. dockerd, started in the background by start-dockerd.sh (pid recorded; no firewall changes)
#   4. the local base images (build-base-images.sh), which it prints as GIGGLES_*_IMAGE variables
# Stop the daemon afterwards with stop-dockerd.sh.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
. "$here/lib.sh"
require_root prepare.sh

# The Debian release whose docker-compose package carries compose v2, and its mirror.
COMPOSE_SUITE="${GIGGLES_COMPOSE_SUITE:-trixie}"
DEBIAN_MIRROR="${GIGGLES_DEBIAN_MIRROR:-http://deb.debian.org/debian}"

step "engine packages"
missing=()
command -v dockerd >/dev/null || missing+=(docker.io)
command -v debootstrap >/dev/null || missing+=(debootstrap)
if [ ${#missing[@]} -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq || fail "apt-get update failed" "is the Debian mirror reachable?"
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null \
    || fail "apt-get install ${missing[*]} failed" "run it by hand to see why"
  info "installed ${missing[*]}"
else
  info "docker.io and debootstrap are installed"
fi

step "compose v2 plugin"
if docker compose version >/dev/null 2>&1; then
  info "$(docker compose version)"
else
  state="$GIGGLES_DOCKER_CACHE/apt-$COMPOSE_SUITE"
  mkdir -p "$state/lists/partial" "$state/archives/partial"
  echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $DEBIAN_MIRROR $COMPOSE_SUITE main" >"$state/sources.list"
  # Only these paths are apt's for this fetch: the host's sources, lists and caches stay as they are.
  apt_private=(-o "Dir::Etc::SourceList=$state/sources.list" -o Dir::Etc::SourceParts=/nonexistent
    -o "Dir::State::Lists=$state/lists" -o "Dir::Cache::Archives=$state/archives"
    -o Dir::Cache::pkgcache= -o Dir::Cache::srcpkgcache= -o APT::Sandbox::User=root)
  deb="$(ls "$state"/docker-compose_*.deb 2>/dev/null | tail -1 || true)"
  if [ -z "$deb" ]; then
    apt-get "${apt_private[@]}" update -qq || fail "apt-get update for $COMPOSE_SUITE failed" "is $DEBIAN_MIRROR reachable?"
    (cd "$state" && apt-get "${apt_private[@]}" download docker-compose >/dev/null) \
      || fail "downloading docker-compose from $COMPOSE_SUITE failed"
    deb="$(ls "$state"/docker-compose_*.deb | tail -1)"
  fi
  extract="$(mktemp -d)"
  dpkg-deb -x "$deb" "$extract"
  install -D -m 0755 "$extract/usr/libexec/docker/cli-plugins/docker-compose" "$GIGGLES_CLI_PLUGINS_DIR/docker-compose"
  rm -rf "$extract"
  docker compose version >/dev/null 2>&1 || fail "docker compose does not run after installing $deb"
  info "installed $(docker compose version) into $GIGGLES_CLI_PLUGINS_DIR"
fi

step "Docker daemon"
"$here/start-dockerd.sh"

step "local base images"
"$here/build-base-images.sh"
