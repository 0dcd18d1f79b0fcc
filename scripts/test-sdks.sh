#!/usr/bin/env bash
# The three SDKs' own test suites, each against a local fake of the API: builds and runs them and prints
# one summary line per suite. Needs Node 20 with npm, .NET and Python 3 (standard library only); reads no
# input. Exits non-zero when any suite fails, after printing the tail of its log.
set -uo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
export NPM_CONFIG_AUDIT=false NPM_CONFIG_FUND=false NPM_CONFIG_UPDATE_NOTIFIER=false NPM_CONFIG_PROGRESS=false
exec </dev/null

logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT
status=0
lines=()

typescript() { (cd sdk/typescript && npm ci && npm test); }
dotnet_sdk() { dotnet test sdk/dotnet/Portcullis.Client.slnx; }
python_sdk() { python3 -m unittest discover -s sdk/python/tests; }

# Counts from each runner's own closing lines: node --test (`# pass N`), dotnet test (`Passed: N`), unittest (`Ran N tests`).
count() { grep -Eo "$1" "$2" | grep -Eo '[0-9]+' | awk '{s+=$1} END {print s+0}'; }

run() {
  local name=$1 log="$logs/$1.log" passed failed
  "$2" >"$log" 2>&1
  local rc=$?
  case $name in
    typescript) passed=$(count '^# pass [0-9]+' "$log"); failed=$(count '^# fail [0-9]+' "$log") ;;
    dotnet) passed=$(count 'Passed: +[0-9]+' "$log"); failed=$(count 'Failed: +[0-9]+' "$log") ;;
    python)
      failed=$(( $(count 'failures=[0-9]+' "$log") + $(count 'errors=[0-9]+' "$log") ))
      passed=$(( $(count '^Ran [0-9]+ test' "$log") - failed - $(count 'skipped=[0-9]+' "$log") )) ;;
  esac
  if [ $rc -ne 0 ]; then
    status=1
    echo "---- $name failed (exit $rc); the end of its log:"
    tail -n 60 "$log"
  fi
  lines+=("$(printf 'sdk %-10s %s: %s passed, %s failed' "$name" "$([ $rc -eq 0 ] && echo ok || echo FAILED)" "$passed" "$failed")")
}

run typescript typescript
run dotnet dotnet_sdk
run python python_sdk

printf '%s\n' "${lines[@]}"
exit $status
