#!/usr/bin/env bash
# Builds the Debian package, installs it with dpkg, checks that the installed binary and man
# page work, then removes it again. Needs root (CI runs as root).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/build.sh >/dev/null
(cd build && cpack -G DEB >/dev/null)
deb=$(ls build/likematch_*.deb | head -n 1)
echo "check-package: installing $deb"
dpkg -i "$deb" >/dev/null
trap 'dpkg -r likematch >/dev/null' EXIT
/usr/bin/likematch --version
man -w likematch
echo "check-package: OK"
