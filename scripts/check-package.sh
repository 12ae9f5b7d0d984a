#!/usr/bin/env bash
# Builds the Debian package, checks it with lintian (no error, no warning), installs it with
# dpkg, checks that the installed binaries (likematch and its helper likematch-cluster) and the
# man page work, then removes it again. Needs root (CI runs as root).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh --package
scripts/build.sh >/dev/null
rm -f build/likematch_*.deb
(cd build && cpack -G DEB >/dev/null)
deb=$(ls build/likematch_*.deb | head -n 1)
echo "check-package: lintian $deb"
# lintian warns that it runs as root; the check is of the package, not of how it is run.
lintian --fail-on error,warning "$deb" 2> >(grep -v 'running with root privileges' >&2)
echo "check-package: installing $deb"
dpkg -i "$deb" >/dev/null
trap 'dpkg -r likematch >/dev/null' EXIT
/usr/bin/likematch --version
# worker runs in the helper the package installs where likematch looks for it.
/usr/bin/likematch worker --help >/dev/null
man -w likematch
echo "check-package: OK"
