#!/usr/bin/env bash
# No Docker engine runs here, so the container files are checked as far as this machine
# allows: the compose file parses and has the services it should, the Dockerfile builds only
# the binary with the script CI runs and has a health check, and every likematch command line
# in them is run as written by the binary (build/likematch), on loopback only: an option it
# does not accept fails the check.
#   scripts/check-containers.sh              checks Dockerfile and docker-compose.yaml
#   scripts/check-containers.sh --self-test  shows that a misspelled option fails the check
set -euo pipefail
cd "$(dirname "$0")/.."
binary=$PWD/build/likematch
[[ -x $binary ]] || { echo "check-containers: build $binary first (scripts/build.sh)" >&2; exit 2; }

fail() {
  echo "check-containers: $*" >&2
  return 1
}

# Two free loopback ports, for commands that dial.
free_ports() {
  /usr/bin/python3 -c '
import socket
socks = [socket.socket() for _ in range(2)]
for s in socks:
    s.bind(("127.0.0.1", 0))
print(*(s.getsockname()[1] for s in socks))'
}

# run_command NAME ARG...: runs `likematch ARG...` as the container would, except that it
# listens on, or dials, loopback ports picked here (a container's --bind 0.0.0.0 and its
# --connect host are replaced, and the ports are given). A command the binary accepts is
# still running after 2 s (dialing a port nobody listens on, or listening); one it refuses
# exits at once with status 2.
run_command() {
  local name=$1
  shift
  local args=() ports
  read -r -a ports <<<"$(free_ports)"
  while (($#)); do
    case $1 in
      --bind | --connect)
        args+=("$1" 127.0.0.1)
        shift 2 || { fail "$name: $1 without a value"; return 1; }
        continue
        ;;
    esac
    args+=("$1")
    shift
  done
  args+=(--source-port "${ports[0]}" --listener-port "${ports[1]}")
  local status=0
  timeout 2 "$binary" "${args[@]}" >/dev/null 2>"$scratch/stderr" || status=$?
  if ((status != 124)); then
    cat "$scratch/stderr" >&2
    fail "$name: 'likematch ${args[*]}' exited with status $status instead of running"
    return 1
  fi
}

# The health check, with a free port in place of 9090 (hex 2382), against the Dockerfile's
# command on loopback: healthy while it listens, unhealthy once it has stopped.
check_health() {
  local command port hex status=0
  mapfile -t command <"$scratch/health-command"
  read -r port _ <<<"$(free_ports)"
  hex=$(printf '%04X' "$port")
  command=("${command[@]//:2382/:$hex}")
  "$binary" serve --bind 127.0.0.1 --source-port "$port" --listener-port 0 2>/dev/null &
  local server=$!
  sleep 0.5
  "${command[@]}" || status=$?
  kill "$server"
  wait "$server" || true
  ((status == 0)) || { fail "HEALTHCHECK: unhealthy while serve listens on $port"; return 1; }
  if "${command[@]}"; then
    fail "HEALTHCHECK: healthy with nothing on port $port"
    return 1
  fi
}

# check DOCKERFILE COMPOSE. Every step says `|| return 1`: the self-test calls it inside `if`,
# where bash ignores `set -e`.
check() {
  local dockerfile=$1 compose=$2
  /usr/bin/python3 - "$compose" "$dockerfile" "$scratch" <<'PY' || return 1
import json, sys, yaml
compose_path, dockerfile_path, scratch = sys.argv[1:]
compose = yaml.safe_load(open(compose_path))
services = compose.get("services", {})
for name in ("harness", "likematch"):
    if name not in services:
        sys.exit(f"{compose_path}: no service {name!r}")
command = services["likematch"]["command"]
if command[:2] != ["serve", "--connect"]:
    sys.exit(f"{compose_path}: likematch should dial the harness, runs {command}")
open(f"{scratch}/compose-command", "w").write("\n".join(command) + "\n")
# The cluster profile (docs/scaling.md): three nats servers and likematch's commands, whose
# options are checked below (with --help: they would dial servers that do not exist here).
if any(name not in services for name in ("nats-0", "nats-1", "nats-2")):
    sys.exit(f"{compose_path}: the cluster profile lacks its three nats servers")
for i, name in enumerate(("worker-0", "worker-1", "likematch-cluster")):
    if name not in services:
        sys.exit(f"{compose_path}: the cluster profile lacks {name!r}")
    open(f"{scratch}/cluster-command-{i}", "w").write("\n".join(services[name]["command"]) + "\n")
# The Dockerfile's default command: its exec form, CMD ["serve", ...].
cmd = [line[4:] for line in open(dockerfile_path) if line.startswith("CMD ")]
if len(cmd) != 1:
    sys.exit(f"{dockerfile_path}: expected one CMD line, found {len(cmd)}")
open(f"{scratch}/docker-command", "w").write("\n".join(json.loads(cmd[0])) + "\n")
# The health check's command, its exec form after CMD, continuation lines joined.
text = open(dockerfile_path).read().replace("\\\n", " ")
health = [line for line in text.splitlines() if line.startswith("HEALTHCHECK ")]
if len(health) != 1 or " CMD [" not in health[0]:
    sys.exit(f"{dockerfile_path}: expected one HEALTHCHECK with an exec-form CMD")
health_command = json.loads(health[0][health[0].index(" CMD [") + 5:])
open(f"{scratch}/health-command", "w").write("\n".join(health_command) + "\n")
PY
  grep -q '^RUN scripts/build.sh --binaries' "$dockerfile" ||
    { fail "$dockerfile: the build stage should build the binaries only (scripts/build.sh --binaries)"; return 1; }
  grep -q '^USER likematch' "$dockerfile" || { fail "$dockerfile: runs as root"; return 1; }
  # The runtime stage installs the package CPack made, whose dependencies dpkg-shlibdeps
  # found, rather than naming library versions by hand.
  grep -q 'cpack -G DEB' "$dockerfile" || { fail "$dockerfile: the package is not built"; return 1; }
  grep -q 'apt-get install .*/tmp/likematch.deb' "$dockerfile" ||
    { fail "$dockerfile: the runtime stage does not install the .deb"; return 1; }
  check_health || return 1

  local command
  mapfile -t command <"$scratch/compose-command"
  run_command "$compose" "${command[@]}" || return 1
  mapfile -t command <"$scratch/docker-command"
  run_command "$dockerfile (CMD)" "${command[@]}" || return 1
  for i in 0 1 2; do
    mapfile -t command <"$scratch/cluster-command-$i"
    "$binary" "${command[@]}" --help >/dev/null ||
      { fail "$compose: the cluster profile's 'likematch ${command[*]}' is refused"; return 1; }
  done
}

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

if [[ ${1:-} == --self-test ]]; then
  # The compose command with one option misspelled must fail the check, as must a Dockerfile
  # without its health check; the real files must pass.
  sed 's/--connect-timeout/--conect-timeout/' docker-compose.yaml >"$scratch/misspelled.yaml"
  grep -q -- --conect-timeout "$scratch/misspelled.yaml" || fail "self-test: nothing misspelled"
  grep -v '^HEALTHCHECK' Dockerfile >"$scratch/Dockerfile.unhealthy"
  if check Dockerfile "$scratch/misspelled.yaml" 2>/dev/null; then
    fail "self-test: --conect-timeout in the compose command passed the check"
  fi
  if check "$scratch/Dockerfile.unhealthy" docker-compose.yaml 2>/dev/null; then
    fail "self-test: a Dockerfile without HEALTHCHECK passed the check"
  fi
  check Dockerfile docker-compose.yaml
  echo "check-containers: self-test OK"
  exit 0
fi

check Dockerfile docker-compose.yaml
echo "check-containers: OK"
