#!/usr/bin/env bash
# The Debian packages Rete needs. `system-deps.sh demo`: gettext (message catalogs).
# `system-deps.sh test` (default): also Chromium (browser tests) and fonts.
# Installs what is missing when run as root with apt-get; otherwise says what to install.
set -euo pipefail
purpose="${1:-test}"
need=()
command -v msgfmt >/dev/null 2>&1 || need+=(gettext)
if [ "$purpose" = "test" ]; then
  [ -x /usr/bin/chromium ] || need+=(chromium)
  [ -e /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || need+=(fonts-dejavu-core)
fi
if [ ${#need[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing system packages: ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
else
  echo "Please install these system packages first: ${need[*]}" >&2
  exit 1
fi
