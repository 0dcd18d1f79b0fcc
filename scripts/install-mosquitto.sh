#!/usr/bin/env bash
# Installs Debian's mosquitto broker (and its clients) for the MQTT connector tests when missing.
# The package's service is never used: each test fixture starts its own `mosquitto -c CONF` on a
# free port and kills it afterwards, so nothing here starts or enables a daemon.
set -euo pipefail
if command -v mosquitto >/dev/null 2>&1 && command -v mosquitto_passwd >/dev/null 2>&1; then
  exit 0
fi
SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
# policy-rc.d exit 101 keeps the package's init script from starting a broker during install.
if [ ! -e /usr/sbin/policy-rc.d ]; then
  printf '#!/bin/sh\nexit 101\n' | $SUDO tee /usr/sbin/policy-rc.d >/dev/null
  $SUDO chmod +x /usr/sbin/policy-rc.d
  trap '$SUDO rm -f /usr/sbin/policy-rc.d' EXIT
fi
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq mosquitto mosquitto-clients >/dev/null
command -v mosquitto >/dev/null
