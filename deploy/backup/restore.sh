#!/usr/bin/env bash
# Restores a backup made by backup.sh into the running stack: stops the writers (gateway,
# scheduler, ingestion, inference, persistence), replaces the database's contents (pg_restore
# --clean), the clip volume's and the kept-audio volume's, then starts the writers again and waits until they are healthy.
#   deploy/backup/restore.sh BACKUP_DIR
# The stack must be up (`docker compose … up -d`): the database server and its roles exist, the
# restore only replaces Giggles' data. Whatever was stored after the backup is lost: that is the point.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

dir="${1:?usage: restore.sh BACKUP_DIR}"
[ -f "$dir/clips.tar.gz" ] || die "$dir has no clips.tar.gz" "give the folder backup.sh printed"
(cd "$dir" && sha256sum --quiet -c SHA256SUMS) || die "$dir does not match its SHA256SUMS" "the backup is damaged: use another one"
dir="$(cd "$dir" && pwd)"

mapfile -t writers < <(comm -12 <(printf '%s\n' "${WRITERS[@]}" | sort) <(dc config --services | sort))
echo "stopping ${writers[*]}" >&2
dc stop "${writers[@]}" >/dev/null

if [ -f "$dir/database.dump" ]; then
  grep -qx "$DB_SERVICE" <<<"$(running_services)" || die "$DB_SERVICE is not running" "start it: docker compose … up -d $DB_SERVICE"
  echo "database ← $dir/database.dump" >&2
  dc exec -T "$DB_SERVICE" pg_restore -U postgres -d "$DB_NAME" --clean --if-exists --no-owner --single-transaction \
    <"$dir/database.dump" || die "pg_restore failed; the database is unchanged (one transaction)" "see the lines above"
fi

echo "clips ← $dir/clips.tar.gz" >&2
# A one-off persistence container (its image has tar) with the clip volume; the service stays stopped.
dc run -T --rm --no-deps --entrypoint sh persistence -c \
  "find '$CLIP_DIR' -mindepth 1 -delete && tar -C '$CLIP_DIR' -xzf -" <"$dir/clips.tar.gz" \
  || die "restoring the clip volume failed" "run restore.sh again: it replaces the whole volume"

if [ -f "$dir/audio-archive.tar" ]; then
  echo "kept audio ← $dir/audio-archive.tar" >&2
  dc run -T --rm --no-deps --entrypoint sh persistence -c \
    "find '$ARCHIVE_DIR' -mindepth 1 -delete && tar -C '$ARCHIVE_DIR' -xf -" <"$dir/audio-archive.tar" \
    || die "restoring the audio-archive volume failed" "run restore.sh again: it replaces the whole volume"
else
  # Backups from before the audio archive existed: the volume is left as it is.
  echo "no audio-archive.tar in $dir (a backup from before the archive): kept audio left as it is" >&2
fi

echo "starting ${writers[*]}" >&2
dc up -d --no-deps --wait "${writers[@]}" || die "the services did not become healthy after the restore" "docker compose ps; docker compose logs"
echo "restored $dir" >&2
