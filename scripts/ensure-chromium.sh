#!/usr/bin/env bash
# Make sure Debian's Chromium is there for the browser tests (Playwright drives it; it downloads no browser).
# Installs it with apt when missing and we are root; otherwise says so, and the browser tests skip with a reason.
set -euo pipefail

CHROMIUM="${CHROMIUM_PATH:-/usr/bin/chromium}"
if [ -x "$CHROMIUM" ]; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "ensure-chromium: $CHROMIUM is missing and this is not a root Debian shell; browser tests will be skipped" >&2
  exit 0
fi
echo "ensure-chromium: installing Debian's chromium" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq chromium >/dev/null
