#!/usr/bin/env bash
# The whole test suite, on a fresh machine: installs and starts what the tests need (Debian's Mosquitto, a throw-away
# PostgreSQL, Debian's Chromium; the SDK suites and the MCP gateway tests use Node, which run `npm ci` in tests/mcp-upstream; the SDK suites also use Python),
# runs every .NET test project against SQLite and PostgreSQL, then prints one summary line.
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

eval "$(bash scripts/start-postgres.sh)"
bash scripts/install-mosquitto.sh  # Debian's mosquitto broker for the MQTT connector tests (each fixture starts its own)
bash scripts/install-chromium.sh   # Debian's Chromium for the dashboard's browser tests (never a downloaded browser)
bash scripts/install-prometheus.sh # Debian's Prometheus for the metrics scrape test (a throw-away instance the test starts)
bash scripts/install-smtp.sh       # Debian's aiosmtpd for the approval email tests (each fixture starts its own SMTP server)
trap 'bash scripts/stop-postgres.sh' EXIT

log=$(mktemp)
sdk_log=$(mktemp)
status=0
dotnet build Portcullis.slnx -c Release -warnaserror 2>&1 | tail -n 3
dotnet test Portcullis.slnx -c Release --no-build 2>&1 | tee "$log" || status=$?

# The SDKs' own unit suites (TypeScript with node --test, C#, Python unittest). Their own log is kept apart:
# a failing suite prints the tail of its runner's log, whose counts must not be added twice.
bash scripts/test-sdks.sh 2>&1 | tee "$sdk_log" || status=$?

# One closing line for CI: the sum over every test assembly and SDK suite.
# (awk alone, so a log without a match sums to 0 instead of failing the pipeline under pipefail)
sum() { awk -v pat="$1" '{ while (match($0, pat)) { n = substr($0, RSTART, RLENGTH); gsub(/[^0-9]/, "", n); s += n; $0 = substr($0, RSTART + RLENGTH) } } END { print s + 0 }'; }
passed=$(( $(sum 'Passed: +[0-9]+' <"$log") + $(awk '/^sdk /' "$sdk_log" | sum '[0-9]+ passed') ))
failed=$(( $(sum 'Failed: +[0-9]+' <"$log") + $(awk '/^sdk /' "$sdk_log" | sum '[0-9]+ failed') ))
# A fixture's clean-up failure fails `dotnet test` without failing a test: count it, so the line matches the exit code.
failed=$(( failed + $(grep -c 'Cleanup Failure' "$log" || true) ))
skipped=$(grep -Eo 'Skipped: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
rm -f "$log" "$sdk_log"
echo "$passed passed, $failed failed, $skipped skipped"
exit $status
