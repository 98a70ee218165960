#!/usr/bin/env bash
# npm run test:compose — the real compose stack on a real Docker engine, on this machine:
#   1. prepare the engine and the local stand-in images (deploy/docker-engine/prepare.sh)
#   2. build the service images (deploy/docker/Dockerfile on the local Node image, host network
#      for npm: containers have no route out)
#   3. compose-stack.spec.ts: `up --wait` of docker-compose.yml + docker-compose.prod.yml +
#      compose.test.yml with --profile local-supabase, a user's night, docker inspect of every
#      container, kill -9 of a service from the host, --scale inference=2, backup + restore
#   4. always (trap): `docker compose down -v`, then stop the dockerd this run started.
# Prints the duration of each phase. Needs root (apt, dockerd).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
cd "$repo"

# Settings (environment): where the recordings for the Limitless simulator are, how many hours of
# them are placed on yesterday (UTC), and the loopback ports the stack publishes.
EVAL_DIR="${GIGGLES_TEST_EVAL_DIR:-$(cd "$repo/.." && pwd)/shared/eval}"
MODELS_DIR="${GIGGLES_TEST_MODELS_DIR:-$(cd "$repo/.." && pwd)/shared/models}"
HOURS="${GIGGLES_TEST_HOURS:-2}"
NATS_PORT="${GIGGLES_TEST_NATS_PORT:-14222}"
HTTP_PORT="${GIGGLES_TEST_HTTP_PORT:-18080}"
HTTPS_PORT="${GIGGLES_TEST_HTTPS_PORT:-18443}"

timings=()
t_start=$(date +%s)
phase_start() { phase_name="$1"; phase_t0=$(date +%s); echo "==> [compose-test] $1" >&2; }
phase_end() { local s=$(( $(date +%s) - phase_t0 )); timings+=("$(printf '%-40s %6d s' "$phase_name" "$s")"); }

[ "$(id -u)" = 0 ] || { echo "test:compose needs root (it installs docker.io and runs dockerd)" >&2; exit 1; }
[ -d "$EVAL_DIR" ] || { echo "no recordings at $EVAL_DIR (set GIGGLES_TEST_EVAL_DIR)" >&2; exit 1; }
[ -f "$MODELS_DIR/yamnet.tflite" ] || { echo "no yamnet.tflite in $MODELS_DIR (set GIGGLES_TEST_MODELS_DIR)" >&2; exit 1; }

work="$(mktemp -d /tmp/giggles-compose-test.XXXXXX)"
env_file="$work/.env"
# The committed tree (HEAD), not the working tree: images and compose files are exactly what is
# committed, whatever is being edited in the checkout meanwhile.
src="$work/src"
mkdir -p "$src"
git -C "$repo" archive HEAD | tar -x -C "$src"
mkdir -p "$src/node_modules"
echo "[compose-test] testing $(git -C "$repo" rev-parse --short HEAD) (committed tree in $src)" >&2
compose_args="--project-name giggles-compose-test --project-directory $src --env-file $env_file -f $src/docker-compose.yml -f $src/docker-compose.prod.yml -f $src/deploy/test/compose.test.yml --profile local-supabase"

cleanup() {
  local rc=$?
  set +e
  if docker info >/dev/null 2>&1 && [ -f "$env_file" ]; then
    phase_start "compose down -v"
    # shellcheck disable=SC2086
    docker compose $compose_args down -v --remove-orphans --timeout 20 >&2
    phase_end
  fi
  "$repo/deploy/docker-engine/stop-dockerd.sh"
  [ "$rc" = 0 ] && rm -rf "$work" || echo "[compose-test] kept $work (build logs, env file) for a look" >&2
  echo >&2
  printf '[compose-test] %s\n' "${timings[@]}" >&2
  printf '[compose-test] total %d s, exit %d\n' "$(( $(date +%s) - t_start ))" "$rc" >&2
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

phase_start "prepare engine + base images"
images="$("$repo/deploy/docker-engine/prepare.sh")"
eval "export $(grep '^GIGGLES_[A-Z_]*_IMAGE=' <<<"$images" | tr '\n' ' ')"
phase_end

phase_start "build service images"
# The services in the compose files that are built from deploy/docker/Dockerfile.
services=(persistence ingestion inference scheduler)
grep -q '^  gateway:' "$src/docker-compose.yml" && services+=(gateway)
for s in "${services[@]}"; do
  echo "    giggles/$s" >&2
  DOCKER_BUILDKIT=0 docker build --network host -q \
    --build-arg "NODE_IMAGE=$GIGGLES_NODE_IMAGE" --build-arg "SERVICE=$s" \
    -f "$src/deploy/docker/Dockerfile" -t "giggles/$s:latest" "$src" >"$work/build-$s.log" 2>&1 \
    || { tail -30 "$work/build-$s.log" >&2; echo "building giggles/$s failed" >&2; exit 1; }
done
phase_end

# Secrets of this run only; the API keys are JWTs signed with the run's JWT secret, as Supabase's are.
jwt_secret="$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')"
api_key() { # api_key ROLE
  JWT_SECRET="$jwt_secret" ROLE="$1" node -e '
const c = require("node:crypto"); const b = (o) => Buffer.from(JSON.stringify(o)).toString("base64url");
const now = Math.floor(Date.now() / 1000);
const body = b({ alg: "HS256", typ: "JWT" }) + "." + b({ role: process.env.ROLE, iss: "supabase", iat: now, exp: now + 86400 });
process.stdout.write(body + "." + c.createHmac("sha256", process.env.JWT_SECRET).update(body).digest("base64url"));'
}
service_role_key="$(api_key service_role)"
anon_key="$(api_key anon)"
postgres_password="$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')"
encryption_key="$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')"
limitless_key="compose-test-$(head -c 8 /dev/urandom | od -An -tx1 | tr -d ' \n')"
cat >"$env_file" <<ENV
GIGGLES_NODE_IMAGE=$GIGGLES_NODE_IMAGE
GIGGLES_NATS_IMAGE=$GIGGLES_NATS_IMAGE
GIGGLES_POSTGRES_IMAGE=$GIGGLES_POSTGRES_IMAGE
GIGGLES_POSTGREST_IMAGE=$GIGGLES_POSTGREST_IMAGE
GIGGLES_CADDY_IMAGE=$GIGGLES_CADDY_IMAGE
GIGGLES_SUPABASE_AUTH_IMAGE=$GIGGLES_NODE_IMAGE
SUPABASE_URL=http://supabase-router:8000
SUPABASE_SERVICE_ROLE_KEY=$service_role_key
SUPABASE_ANON_KEY=$anon_key
DATABASE_URL=postgres://postgres:$postgres_password@supabase-db:5432/giggles
POSTGRES_PASSWORD=$postgres_password
AUTHENTICATOR_PASSWORD=$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')
SUPABASE_JWT_SECRET=$jwt_secret
GIGGLES_ENCRYPTION_KEY=$encryption_key
GIGGLES_MODELS_DIR=$MODELS_DIR
GIGGLES_NATS_HOST_PORT=$NATS_PORT
GIGGLES_DOMAIN=localhost
GIGGLES_PUBLISH_ADDRESS=127.0.0.1
GIGGLES_HTTP_PORT=$HTTP_PORT
GIGGLES_HTTPS_PORT=$HTTPS_PORT
GIGGLES_HEALTHCHECK_INTERVAL=5s
# The audio archive on its volume: the test user opts in, the night's window is kept, backed up, restored.
AUDIO_ARCHIVE=filesystem
GIGGLES_TEST_LIMITLESS_KEY=$limitless_key
GIGGLES_TEST_EVAL_DIR=$EVAL_DIR
GIGGLES_TEST_HOURS=$HOURS
GIGGLES_TEST_NODE_MODULES=$repo/node_modules
ENV

# Compose takes a variable from the calling shell before the --env-file: `.ci/run` exports
# DATABASE_URL (the host's Postgres, for npm test), and persistence then dialled 127.0.0.1:5432
# inside its container and never came up. The env file is the stack's whole configuration, so
# every variable it sets, and every variable the compose files read, is dropped from this shell.
while IFS= read -r name; do unset "$name"; done < <(
  { sed -n 's/^\([A-Za-z_][A-Za-z0-9_]*\)=.*/\1/p' "$env_file"
    grep -rhoE '\$\{[A-Za-z_][A-Za-z0-9_]*' "$src/docker-compose.yml" "$src/docker-compose.prod.yml" "$src/deploy/test/compose.test.yml" | cut -c3-
  } | sort -u | grep -vxE 'GIGGLES_[A-Z_]*_IMAGE|PATH|HOME'
)

phase_start "stack tests (compose-stack.spec.ts)"
GIGGLES_COMPOSE_ARGS="$compose_args" \
GIGGLES_TEST_NATS_URL="nats://127.0.0.1:$NATS_PORT" \
GIGGLES_TEST_DATE="$(date -u -d yesterday +%F)" \
GIGGLES_TEST_LIMITLESS_KEY="$limitless_key" \
GIGGLES_ENCRYPTION_KEY="$encryption_key" \
GIGGLES_TEST_BACKUP_ROOT="$work/backups" \
GIGGLES_TEST_HTTPS_PORT="$HTTPS_PORT" \
  npx vitest run --config deploy/test/vitest.config.mts
phase_end
