# Shared by backup.sh and restore.sh (sourced). The compose command is the one the stack runs
# with: set GIGGLES_COMPOSE, e.g.
#   GIGGLES_COMPOSE="docker compose -f docker-compose.yml -f docker-compose.prod.yml --profile local-supabase"
# (default: that, from the repository root).
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
read -r -a compose <<<"${GIGGLES_COMPOSE:-docker compose -f docker-compose.yml -f docker-compose.prod.yml --profile local-supabase}"
# The bundled database and its name (docker-compose.yml: supabase-db, POSTGRES_DB=giggles).
DB_SERVICE="${GIGGLES_DB_SERVICE:-supabase-db}"
DB_NAME="${GIGGLES_DB_NAME:-giggles}"
# Where persistence keeps clips (CLIP_STORAGE_DIR in docker-compose.yml, on the `clips` volume).
CLIP_DIR=/var/lib/giggles/clips
# The kept audio (issue 10, opt-in; AUDIO_ARCHIVE_DIR in docker-compose.yml): the recordings the
# Limitless API will not give again once it closes, so every backup carries them.
ARCHIVE_DIR=/var/lib/giggles/archive
# The services that write to the database or the clips; stopped while a restore runs.
WRITERS=(gateway scheduler ingestion inference persistence)

# From the repository root, so relative -f paths work (or pass --project-directory in GIGGLES_COMPOSE).
dc() { (cd "$repo" && "${compose[@]}" "$@"); }
die() { printf 'giggles backup: %s\n' "$1" >&2; [ -n "${2:-}" ] && printf '  hint: %s\n' "$2" >&2; exit 1; }
running_services() { dc ps --services --status running 2>/dev/null || true; }
