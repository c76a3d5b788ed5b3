#!/usr/bin/env bash
# The Debian packages Rete needs. `system-deps.sh demo`: gettext (message catalogs).
# `system-deps.sh test` (default): also Chromium (browser tests) and fonts.
# Installs what is missing when run as root with apt-get; otherwise says what to install.
set -euo pipefail
purpose="${1:-test}"
need=()
command -v msgfmt >/dev/null 2>&1 || need+=(gettext)
# WeasyPrint loads Pango through ffi; DejaVu covers Latin, Greek and Cyrillic in every document.
ldconfig -p 2>/dev/null | grep -q 'libpango-1.0.so.0' || need+=(libpango-1.0-0)
ldconfig -p 2>/dev/null | grep -q 'libpangoft2-1.0.so.0' || need+=(libpangoft2-1.0-0)
[ -e /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || need+=(fonts-dejavu-core)
if [ "$purpose" = "test" ]; then
  [ -x /usr/bin/chromium ] || need+=(chromium)
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
