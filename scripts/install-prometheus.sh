#!/usr/bin/env bash
# Installs Debian's prometheus for the metrics scrape test when it is missing. The test starts its own
# throw-away instance (its own config, port and data directory); the packaged service is never used.
set -euo pipefail
if [ -x /usr/bin/prometheus ]; then
  exit 0
fi
SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# --no-install-recommends: the exporters and the web console packages are not needed.
$SUDO apt-get install -y -qq --no-install-recommends prometheus >/dev/null
/usr/bin/prometheus --version 2>&1 | head -1
