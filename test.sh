#!/usr/bin/env bash
# Runs every test of the platform on a fresh Debian machine: installs and starts a throw-away
# PostgreSQL server when DRAGON_TEST_POSTGRES is not already set, installs Debian's Chromium for the
# portal's browser tests and python3-rdflib for the DCAT-AP test when they are missing, proves the SQL Server model maps by
# generating its migration script, runs `dotnet test` over the solution, and ends with the total line
# "tests: N passed, N failed, N skipped". Exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")"
root=$(pwd)
artifacts="$root/artifacts"
mkdir -p "$artifacts"

start_postgres() {
  if ! compgen -G "/usr/lib/postgresql/*/bin/pg_ctl" > /dev/null; then
    echo "Installing PostgreSQL..."
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql > /dev/null
  fi
  pg_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
  pg_dir=$(mktemp -d /tmp/dragon-pg.XXXXXX)
  pg_run=()
  if [ "$(id -u)" = 0 ]; then
    chown postgres "$pg_dir"
    pg_run=(runuser -u postgres --)
  fi
  local port=5433
  while (echo > "/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$((port + 1)); done
  "${pg_run[@]}" "$pg_bin/initdb" -D "$pg_dir/data" -U postgres --auth=trust > "$pg_dir/initdb.log"
  "${pg_run[@]}" "$pg_bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/server.log" -w \
    -o "-p $port -k $pg_dir -c listen_addresses=127.0.0.1 -c max_connections=300 -c fsync=off" start > /dev/null
  stop_postgres() { "${pg_run[@]}" "$pg_bin/pg_ctl" -D "$pg_dir/data" -m fast stop > /dev/null || true; rm -rf "$pg_dir"; }
  trap stop_postgres EXIT
  export DRAGON_TEST_POSTGRES="Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres;Pooling=false"
  echo "PostgreSQL $(basename "$(dirname "$pg_bin")") is listening on 127.0.0.1:$port"
}

if [ -z "${DRAGON_TEST_POSTGRES:-}" ]; then
  start_postgres
fi

# The portal's browser tests drive Debian's Chromium through Playwright; no browser is downloaded.
if [ ! -x /usr/bin/chromium ]; then
  echo "Installing Chromium..."
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium > /dev/null
fi

# The catalogue's DCAT-AP is read back in a test with an RDF library: Debian's rdflib, run by /usr/bin/python3.
if ! /usr/bin/python3 -c "import rdflib" 2> /dev/null; then
  echo "Installing python3-rdflib..."
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-rdflib > /dev/null
fi

dotnet tool restore > /dev/null
dotnet build Dragon.Platform.sln -nologo -v quiet -clp:ErrorsOnly

echo "Generating the SQL Server migration script (artifacts/sqlserver-migrations.sql)..."
dotnet ef migrations script --idempotent --no-build \
  --project migrations/Dragon.Migrations.SqlServer --startup-project migrations/Dragon.Migrations.SqlServer \
  --output "$artifacts/sqlserver-migrations.sql" > "$artifacts/sqlserver-migrations.log" 2>&1 \
  || { cat "$artifacts/sqlserver-migrations.log"; exit 1; }

status=0
dotnet test Dragon.Platform.sln --no-build -nologo 2>&1 | tee "$artifacts/test-output.log" || status=$?

# dotnet test prints one summary line per test assembly; CI reads one total line.
awk '
  /(Passed|Failed)! +- +Failed:/ {
    for (i = 1; i <= NF; i++) {
      gsub(",", "", $(i + 1))
      if ($i == "Failed:") failed += $(i + 1)
      if ($i == "Passed:") passed += $(i + 1)
      if ($i == "Skipped:") skipped += $(i + 1)
    }
  }
  END { printf "tests: %d passed, %d failed, %d skipped\n", passed, failed, skipped }
' "$artifacts/test-output.log" | tee "$artifacts/test-total.txt"

if grep -qE "^tests: [0-9]+ passed, [1-9]" "$artifacts/test-total.txt"; then status=1; fi
exit "$status"
