#!/usr/bin/env bash
# Install Debian's Chromium and ChromeDriver for the playground's browser test, if missing.
# Nothing is downloaded outside the distribution's packages: Selenium is pointed at
# /usr/bin/chromedriver explicitly, so its own driver download never runs.
set -euo pipefail

if [[ -x /usr/bin/chromedriver && -x /usr/bin/chromium ]]; then
  echo "install-browser: chromium and chromedriver already installed"
  exit 0
fi
if ! command -v apt-get >/dev/null; then
  echo "install-browser: no apt-get here; install chromium and chromedriver by hand" >&2
  exit 1
fi
SUDO=""
if [[ $(id -u) -ne 0 ]]; then
  SUDO="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends chromium chromium-driver >/dev/null
echo "install-browser: installed $(/usr/bin/chromium --version 2>/dev/null | head -1)"
