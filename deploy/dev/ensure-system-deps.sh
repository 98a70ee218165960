#!/usr/bin/env bash
# Makes sure the system tools the tests use are present: ffmpeg (fallback decoder, bench fixtures),
# espeak-ng and sox (model test inputs), nats-server and PostgreSQL (integration tests start their
# own when NATS_URL / DATABASE_URL are not set), Chromium (the web app's browser tests). On Debian as root it installs what is missing;
# elsewhere it prints the command to run and fails.
set -euo pipefail

declare -A pkg_for=(
  [ffmpeg]=ffmpeg
  [espeak-ng]=espeak-ng
  [sox]=sox
  [nats-server]=nats-server
  [psql]=postgresql
  [chromium]=chromium # browser tests (playwright-core drives Debian's Chromium)
  [promtool]=prometheus # checks and unit-tests the alert rules in deploy/observability
)
missing=()
for tool in "${!pkg_for[@]}"; do
  command -v "$tool" >/dev/null 2>&1 || [ -x "/usr/sbin/$tool" ] || missing+=("${pkg_for[$tool]}")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "giggles: installing missing system packages: ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
else
  echo "giggles: missing system packages: ${missing[*]}" >&2
  echo "install them with: sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
