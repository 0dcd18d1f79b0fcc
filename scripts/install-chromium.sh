#!/usr/bin/env bash
# Installs Debian's chromium for the browser tests when it is missing. Playwright drives this
# binary directly (ExecutablePath=/usr/bin/chromium); `playwright install` is never used because
# it downloads browsers from a CDN this environment cannot reach.
set -euo pipefail
if [ -x /usr/bin/chromium ]; then
  exit 0
fi
SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq chromium >/dev/null
/usr/bin/chromium --version
