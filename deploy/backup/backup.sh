#!/usr/bin/env bash
# Backs up a running Giggles stack into a new folder: the database (pg_dump custom format, from the
# bundled supabase-db), the clip volume (tar.gz, read through the persistence container), the kept
# audio (audio-archive.tar; GIGGLES_BACKUP_ARCHIVE=skip leaves it out), plus
# a manifest with sizes and sha256 sums. The stack keeps running: pg_dump is a consistent snapshot;
# a clip written during the tar is either in it or is re-created by the reconciliation.
#   deploy/backup/backup.sh [BACKUP_ROOT]   (default ./backups) → BACKUP_ROOT/giggles-<UTC time>/
# With a hosted Supabase database, use Supabase's own backups (or pg_dump with its connection
# string) for the database; this script then still saves the clips (GIGGLES_BACKUP_DB=skip).
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

root="${1:-$repo/backups}"
out="$root/giggles-$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$out"
running="$(running_services)"

if [ "${GIGGLES_BACKUP_DB:-dump}" != skip ]; then
  grep -qx "$DB_SERVICE" <<<"$running" || die "$DB_SERVICE is not running" "start the stack with --profile local-supabase, or set GIGGLES_BACKUP_DB=skip for a hosted database"
  echo "database → $out/database.dump" >&2
  dc exec -T "$DB_SERVICE" pg_dump -U postgres -d "$DB_NAME" --format=custom --no-owner >"$out/database.dump" \
    || die "pg_dump failed" "see the lines above"
  [ -s "$out/database.dump" ] || die "pg_dump wrote nothing"
fi

grep -qx persistence <<<"$running" || die "persistence is not running (the clips are read through it)" "start the stack first"
echo "clips → $out/clips.tar.gz" >&2
# Clips being written right now are temp files (renamed when complete): left out. GNU tar exits 1
# when a file changed while it was read (a clip landing meanwhile); the archive is still good.
set +e
dc exec -T persistence tar -C "$CLIP_DIR" --exclude='.*.tmp' --warning=no-file-changed --warning=no-file-removed -czf - . >"$out/clips.tar.gz"
tar_rc=$?
set -e
[ "$tar_rc" -le 1 ] || die "reading the clip volume failed (tar exit $tar_rc)"

# The kept audio is what Limitless will not give again: included unless GIGGLES_BACKUP_ARCHIVE=skip
# (for an operator who copies the giggles_audio-archive volume with a file-level tool instead).
# Already-compressed Ogg Opus: stored, not gzipped again (-z would only spend CPU). Same temp-file rule.
if [ "${GIGGLES_BACKUP_ARCHIVE:-include}" != skip ]; then
  echo "kept audio → $out/audio-archive.tar" >&2
  set +e
  dc exec -T persistence tar -C "$ARCHIVE_DIR" --exclude='.*.tmp' --warning=no-file-changed --warning=no-file-removed -cf - . >"$out/audio-archive.tar"
  tar_rc=$?
  set -e
  [ "$tar_rc" -le 1 ] || die "reading the audio-archive volume failed (tar exit $tar_rc)"
fi

(cd "$out" && sha256sum -- * >SHA256SUMS)
{
  echo "created_utc=$(date -u +%FT%TZ)"
  echo "clip_files=$(tar -tzf "$out/clips.tar.gz" | grep -vc '/$' || true)"
  [ -f "$out/audio-archive.tar" ] && echo "archived_audio_files=$(tar -tf "$out/audio-archive.tar" | grep -vc '/$' || true)"
  for f in "$out"/database.dump "$out"/clips.tar.gz "$out"/audio-archive.tar; do
    [ -f "$f" ] && echo "$(basename "$f")_bytes=$(stat -c %s "$f")"
  done
} >"$out/MANIFEST"
echo "$out"
