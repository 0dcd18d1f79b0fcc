#!/usr/bin/env bash
# Refreshes docs/screenshots from the browser tests' screenshot tour, on purpose. The test suite itself never writes
# tracked files: without PORTCULLIS_UPDATE_SCREENSHOTS its screenshots go to a scratch folder.
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
bash scripts/install-chromium.sh
dotnet build tests/Portcullis.Browser.Tests -c Release -warnaserror 2>&1 | tail -n 3
PORTCULLIS_UPDATE_SCREENSHOTS=1 dotnet test tests/Portcullis.Browser.Tests -c Release --no-build --filter "FullyQualifiedName~ScreenshotTour"
git status --short docs/screenshots
