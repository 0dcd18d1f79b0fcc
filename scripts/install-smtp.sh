#!/usr/bin/env bash
# Installs Debian's aiosmtpd (a small SMTP server in Python) for the approval email tests when missing.
# Nothing is started here: each test fixture runs its own `python3 -m aiosmtpd` on a free port and kills it afterwards.
# Debian's own interpreter (/usr/bin/python3) is the one that sees the package, whatever python3 is first on PATH.
set -euo pipefail
if /usr/bin/python3 -c 'import aiosmtpd' >/dev/null 2>&1; then
  exit 0
fi
SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq python3-aiosmtpd >/dev/null
/usr/bin/python3 -c 'import aiosmtpd'
