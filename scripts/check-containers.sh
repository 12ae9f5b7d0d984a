#!/usr/bin/env bash
# No Docker engine runs here, so the container files are checked as far as this machine
# allows: the compose file parses and has the services it should, the Dockerfile builds with
# the same script CI runs, and every likematch command line in them is accepted by the binary.
set -euo pipefail
cd "$(dirname "$0")/.."

/usr/bin/python3 - <<'PY'
import sys, yaml
compose = yaml.safe_load(open("docker-compose.yaml"))
services = compose.get("services", {})
for name in ("harness", "likematch"):
    if name not in services:
        sys.exit(f"docker-compose.yaml: no service {name!r}")
command = services["likematch"]["command"]
if command[:2] != ["serve", "--connect"]:
    sys.exit(f"docker-compose.yaml: likematch should dial the harness, runs {command}")
open("build/compose-command", "w").write("\n".join(command) + "\n")
# The cluster profile's likematch commands, checked below like the one above.
cluster = [services[name]["command"] for name in ("worker-0", "worker-1", "likematch-cluster")]
if any(name not in services for name in ("nats-0", "nats-1", "nats-2")):
    sys.exit("docker-compose.yaml: the cluster profile lacks its three nats servers")
for i, command in enumerate(cluster):
    open(f"build/compose-cluster-command-{i}", "w").write("\n".join(command) + "\n")
PY

grep -q '^RUN scripts/build.sh' Dockerfile || { echo "Dockerfile: not built with scripts/build.sh" >&2; exit 1; }
grep -q '^USER likematch' Dockerfile || { echo "Dockerfile: runs as root" >&2; exit 1; }
# The runtime stage installs the package CPack made, whose dependencies dpkg-shlibdeps found,
# rather than naming library versions by hand.
grep -q 'cpack -G DEB' Dockerfile || { echo "Dockerfile: the package is not built" >&2; exit 1; }
grep -q 'apt-get install .*/tmp/likematch.deb' Dockerfile ||
  { echo "Dockerfile: the runtime stage does not install the .deb" >&2; exit 1; }

# The compose command, with --dry-run-style validation: CLI11 rejects unknown options before
# it acts, and --help stops it from doing anything else.
mapfile -t command <build/compose-command
build/likematch "${command[@]}" --help >/dev/null
for i in 0 1 2; do
  mapfile -t command <"build/compose-cluster-command-$i"
  build/likematch "${command[@]}" --help >/dev/null
done
echo "check-containers: OK"
