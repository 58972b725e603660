#!/usr/bin/env bash
# Follows docs/deploy.md on a fresh PostgreSQL database and checks that the result works.
#
# It runs the doc's own shell blocks, the ones marked <!-- smoke --> in its source, in order
# and as written, with the site values set to throwaway ones: a database named
# oversight_deploy_smoke_<random> (SMOKE_NAME_PREFIX changes the first word), two roles of the same suffix, this checkout as the
# release, a temporary environment file, and a free port on loopback. Where the doc says to
# start the systemd units, it runs the ExecStart lines of deploy/systemd/oversight-web.service
# and oversight-worker@.service with their EnvironmentFile and WorkingDirectory. Where the
# doc says to sign in, it signs in as the first administrator through gunicorn, as the TLS
# proxy would pass the request on, and checks the pages, the static files, the HTTPS
# redirect and that the application role can neither drop, disable nor get round the audit
# log's triggers. Everything it made is removed at the end, whether it passed or not.
#
# Needs: a PostgreSQL superuser reached through PGHOST/PGPORT/PGUSER (and PGPASSWORD)
# (default 127.0.0.1:5432, postgres), psql, pg_dump, pg_restore, createdb, dropdb, curl,
# and `make install assets` able to run here.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

export PGHOST=${PGHOST:-127.0.0.1} PGPORT=${PGPORT:-5432} PGUSER=${PGUSER:-postgres}
suffix=$(head -c 6 /dev/urandom | od -An -tx1 | tr -d ' \n')
work=$(mktemp -d)
pids=()

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

export OVERSIGHT_HOME=$root
export OVERSIGHT_ENV=$work/oversight.env
export OVERSIGHT_HOSTNAME=oversight.example.org
export OVERSIGHT_BIND=127.0.0.1:$(free_port)
# SMOKE_NAME_PREFIX (default oversight) starts every database and role name it makes.
prefix=${SMOKE_NAME_PREFIX:-oversight}
export OVERSIGHT_DB=${prefix}_deploy_smoke_$suffix
export OVERSIGHT_OWNER=${prefix}_smoke_owner_$suffix
export OVERSIGHT_APP=${prefix}_smoke_app_$suffix
export OWNER_PASSWORD=owner-$suffix-$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')
export APP_PASSWORD=app-$suffix-$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')
export DB_HOST=$PGHOST DB_PORT=$PGPORT
export EMAIL_URL=consolemail://
export DEFAULT_FROM_EMAIL=oversight@example.org
export BACKUP_DIR=$work/backups
export ADMIN_USERNAME=smoke.admin
export ADMIN_EMAIL=smoke.admin@example.org
export ADMIN_PASSWORD=smoke-$suffix-correct-horse
export SMOKE_WORK=$work

cleanup() {
  status=$?
  for pid in $(cat "$work/pids" 2>/dev/null); do
    kill -TERM -- "-$pid" 2>/dev/null || true
  done
  sleep 1
  for pid in $(cat "$work/pids" 2>/dev/null); do
    kill -KILL -- "-$pid" 2>/dev/null || true
  done
  if [ "$status" -ne 0 ]; then
    for log in "$work"/*.log; do
      [ -f "$log" ] && { echo "--- $log (last lines)"; tail -n 40 "$log"; }
    done
  fi
  for db in "$OVERSIGHT_DB" "${OVERSIGHT_DB}_restore_check"; do
    dropdb --if-exists --force "$db" 2>/dev/null || true
  done
  psql -d postgres -qc "DROP ROLE IF EXISTS $OVERSIGHT_APP" 2>/dev/null || true
  psql -d postgres -qc "DROP ROLE IF EXISTS $OVERSIGHT_OWNER" 2>/dev/null || true
  rm -rf "$work"
  exit "$status"
}
trap cleanup EXIT

# --- What the doc says to do by hand -------------------------------------------------------

unit_line() {  # unit_line FILE KEY: the unit's KEY= value
  sed -n "s/^$2=//p" "$OVERSIGHT_HOME/deploy/systemd/$1" | head -n 1
}

start_units() {
  for unit in oversight-web.service oversight-worker@.service; do
    [ "$(unit_line "$unit" EnvironmentFile)" = /etc/oversight/oversight.env ]
    [ "$(unit_line "$unit" WorkingDirectory)" = /srv/oversight/current ]
    command=$(unit_line "$unit" ExecStart | sed "s#/srv/oversight/current#$OVERSIGHT_HOME#g")
    (
      cd "$OVERSIGHT_HOME"
      set -a; . "$OVERSIGHT_ENV"; set +a
      # shellcheck disable=SC2086
      exec setsid $command >"$SMOKE_WORK/$unit.log" 2>&1
    ) &
    echo $! >>"$SMOKE_WORK/pids"
  done
  for _ in $(seq 1 120); do
    curl -fsS -o /dev/null -H "Host: $OVERSIGHT_HOSTNAME" -H "X-Forwarded-Proto: https" \
      "http://$OVERSIGHT_BIND/health/" 2>/dev/null && return 0
    sleep 0.5
  done
  echo "gunicorn never answered on $OVERSIGHT_BIND" >&2
  return 1
}

sign_in() {
  "$OVERSIGHT_HOME/.venv/bin/python" "$OVERSIGHT_HOME/deploy/smoke_check.py"
  app_url="postgres://$OVERSIGHT_APP:$APP_PASSWORD@$DB_HOST:$DB_PORT/$OVERSIGHT_DB"
  refused() {  # refused SQL MESSAGE: the application role is refused, with MESSAGE
    if out=$(psql "$app_url" -v ON_ERROR_STOP=1 -c "$1" 2>&1); then
      echo "The application role was allowed: $1" >&2
      return 1
    fi
    grep -q "$2" <<<"$out" || { echo "Refused, but not as expected: $1: $out" >&2; return 1; }
  }
  refused 'DROP TRIGGER core_auditevent_append_only ON core_auditevent' 'must be owner of relation'
  refused 'DROP TRIGGER core_auditevent_no_truncate ON core_auditevent' 'must be owner of relation'
  refused 'ALTER TABLE core_auditevent DISABLE TRIGGER ALL' 'must be owner of table'
  refused 'DROP FUNCTION core_auditevent_append_only()' 'must be owner of function'
  refused 'UPDATE core_auditevent SET id = id' 'permission denied'
  refused 'DELETE FROM core_auditevent' 'permission denied'
  refused "SET oversight.audit_truncate = 'allowed'; TRUNCATE core_auditevent" 'permission denied'
  refused 'CREATE TABLE smoke_intruder (id int)' 'permission denied for schema public'
  owned=$(psql "$app_url" -Atc \
    "SELECT count(*) FROM pg_class c JOIN pg_roles r ON r.oid = c.relowner WHERE r.rolname = current_user")
  [ "$owned" = 0 ] || { echo "The application role owns $owned relations" >&2; return 1; }
  events=$(psql "$app_url" -Atc "SELECT count(*) FROM core_auditevent")
  [ "$events" -gt 0 ] || { echo "Signing in wrote no audit event" >&2; return 1; }
  echo "smoke: the application role cannot touch the audit log's triggers ($events events)"
}

# --- The doc's blocks, in order ------------------------------------------------------------

python3 - "$root/docs/deploy.md" >"$work/steps.sh" <<'PY'
import re
import sys

text = open(sys.argv[1]).read()
steps = ["set -eu"]
found = re.findall(r"<!-- smoke(: [a-z ]+)? -->\n(?:```sh\n(.*?)```\n)?", text, re.S)
for number, (marker, block) in enumerate(found, start=1):
    steps.append(f'echo "smoke: step {number} of {len(found)} from $SECONDS s"')
    if marker == ": start the units":
        steps.append("start_units")
    elif marker == ": sign in":
        steps.append("sign_in")
    else:
        steps.append(block)
if len(found) < 10:
    sys.exit(f"docs/deploy.md has only {len(found)} smoke steps")
print("\n".join(steps))
PY

export -f unit_line start_units sign_in
started=$(date +%s)
bash "$work/steps.sh"
echo "smoke: docs/deploy.md's steps gave a working service in $(( $(date +%s) - started ))s"
