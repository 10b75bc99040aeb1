#!/usr/bin/env bash
# Schemathesis (from PyPI) against /api/openapi.json, once per role with that role's
# session cookie and CSRF token, and once without a session: fails when any generated
# request gets a server error (check not_a_server_error). Runs its own service on a
# temporary DATA_DIR with the demo data, so every role has projects and files to act on.
#
#   scripts/schemathesis.sh                    # 20 examples per operation and role
#   SCHEMATHESIS_EXAMPLES=100 scripts/schemathesis.sh
set -euo pipefail
cd "$(dirname "$0")/.."

version=4.32.5
venv=$PWD/.cache/schemathesis-$version
examples=${SCHEMATHESIS_EXAMPLES:-20}

if [ ! -x "$venv/bin/schemathesis" ]; then
  echo "installing schemathesis $version into $venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$version"
fi

work=$(mktemp -d)
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
base=http://127.0.0.1:$port
admin_password=schemathesis-admin-1

PORT=$port HOST=127.0.0.1 MONGODB_URI='' DATA_DIR=$work/data UPLOADS_DIR=$work/uploads DEMO_DATA=true \
  ADMIN_USERNAME=admin ADMIN_PASSWORD=$admin_password LOG_LEVEL=warn \
  node --import tsx src/main.ts >"$work/service.log" 2>&1 &
service=$!
cleanup() {
  kill -TERM "$service" 2>/dev/null || true
  wait "$service" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

for _ in $(seq 1 240); do
  curl -sf "$base/healthz" >/dev/null 2>&1 && break
  kill -0 "$service" 2>/dev/null || { cat "$work/service.log"; echo "schemathesis: the service did not start" >&2; exit 1; }
  sleep 0.5
done
curl -sf "$base/healthz" >/dev/null || { cat "$work/service.log"; echo "schemathesis: the service is not healthy" >&2; exit 1; }

# Every login first: schemathesis's own wrong logins soon hit the per-address login limit.
declare -A cookies csrf
for login in chengtou:demo1234:owner touzike:demo1234:staff lingdao:demo1234:leader admin:$admin_password:admin; do
  IFS=: read -r user password role <<<"$login"
  jar=$work/$role.jar
  curl -sf -c "$jar" -H 'content-type: application/json' \
    -d "{\"username\":\"$user\",\"password\":\"$password\"}" "$base/api/auth/login" >/dev/null
  cookies[$role]=$(awk '$6 == "fundflow.sid" { print $7 }' "$jar")
  csrf[$role]=$(curl -sf -b "$jar" "$base/api/auth/me" | python3 -c 'import json, sys; print(json.load(sys.stdin)["csrfToken"])')
done

failed=()
for role in owner staff leader admin anonymous; do
  echo
  echo "== schemathesis as $role =="
  # Without a session every operation but three is a 401: boundary values (the coverage phase) add nothing there.
  headers=()
  phases=examples,fuzzing
  if [ "$role" != anonymous ]; then
    headers=(-H "Cookie: fundflow.sid=${cookies[$role]}" -H "x-csrf-token: ${csrf[$role]}")
    phases=examples,coverage,fuzzing
  fi
  # Logging out would end the session the rest of the run uses.
  # Run from the temporary folder: schemathesis keeps its example database in the working directory.
  if ! (cd "$work" && "$venv/bin/schemathesis" run "$base/api/openapi.json" "${headers[@]}" \
    --checks not_a_server_error --max-examples "$examples" --phases "$phases" \
    --exclude-path /api/auth/logout --seed 7 --workers 1 --request-timeout 30 --no-color); then
    failed+=("$role")
  fi
done

echo
if [ ${#failed[@]} -gt 0 ]; then
  echo "schemathesis: failures (see above) as: ${failed[*]}" >&2
  grep -E '"level":50' "$work/service.log" | head -20 >&2 || true
  exit 1
fi
echo "schemathesis: no server error for any role"
