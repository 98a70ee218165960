# Shared settings and helpers of the docker-engine scripts (sourced, not run).
# Every path can be moved with an environment variable; the defaults keep downloads and the
# daemon's state out of the repository.

# Downloads (apt lists and .debs, npm tarballs, debootstrap's tree) reused across runs.
GIGGLES_DOCKER_CACHE="${GIGGLES_DOCKER_CACHE:-/var/cache/giggles-docker}"
# The daemon's pid file and log: stop-dockerd.sh stops exactly the daemon start-dockerd.sh started.
GIGGLES_DOCKERD_RUN_DIR="${GIGGLES_DOCKERD_RUN_DIR:-/run/giggles-dockerd}"
GIGGLES_DOCKERD_PIDFILE="$GIGGLES_DOCKERD_RUN_DIR/dockerd.pid"
GIGGLES_DOCKERD_LOG="$GIGGLES_DOCKERD_RUN_DIR/dockerd.log"
# Where the Docker CLI looks for plugins (compose v2).
GIGGLES_CLI_PLUGINS_DIR="${GIGGLES_CLI_PLUGINS_DIR:-/usr/local/lib/docker/cli-plugins}"
# Tag prefix of the local stand-ins for upstream images.
GIGGLES_LOCAL_IMAGE_PREFIX="${GIGGLES_LOCAL_IMAGE_PREFIX:-giggles-local}"

step() { printf '\n==> %s\n' "$*" >&2; }
info() { printf '    %s\n' "$*" >&2; }
# fail MESSAGE HINT: what went wrong and what to do about it.
fail() {
  printf '\ngiggles docker-engine: %s\n' "$1" >&2
  [ -n "${2:-}" ] && printf '  hint: %s\n' "$2" >&2
  exit 1
}
require_root() {
  [ "$(id -u)" = 0 ] || fail "$1 needs root (it installs packages and runs dockerd)" "run it with sudo"
}
docker_up() { docker info >/dev/null 2>&1; }
