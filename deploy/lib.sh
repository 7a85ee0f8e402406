# Shared by deploy/run, deploy/test and deploy/bench: install what is missing from Debian's
# packages and build with CMake, Ninja and ccache. Idempotent; never reads standard input.

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
JOBS="${JOBS:-$(nproc)}"

# What building and running needs.
BUILD_PACKAGES=(g++ cmake ninja-build pkg-config ccache libcaf-dev libpistache-dev libwebsocketpp-dev
                nlohmann-json3-dev libspdlog-dev libcli11-dev libgtest-dev libgmock-dev
                libsqlite3-dev libcurl4-openssl-dev libssl-dev libboost-dev)
# What the tests and benchmarks add: their clients and the nginx and wrk baselines.
TEST_PACKAGES=(python3 python3-pytest python3-requests python3-websockets python3-numpy
  python3-prometheus-client python3-jsonschema nginx curl chromium openssl)
# The fuzz targets' compiler and runtime.
FUZZ_PACKAGES=(clang libfuzzer-14-dev)
BENCH_PACKAGES=(wrk nginx curl python3 python3-requests)

log() { printf '==> %s\n' "$*" >&2; }

# Cache hits across checkouts: paths below the project are hashed relative to it.
export CCACHE_BASEDIR="$ROOT" CCACHE_NOHASHDIR=true

# Installs the given Debian packages that are not installed yet.
ensure_packages() {
  local missing=()
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [[ ${#missing[@]} -eq 0 ]] && return 0
  log "Installing ${missing[*]}"
  local sudo=()
  if [[ $(id -u) -ne 0 ]]; then
    command -v sudo >/dev/null || { echo "need root or sudo to install: ${missing[*]}" >&2; exit 1; }
    sudo=(sudo -n)  # never prompt: there may be no terminal
  fi
  export DEBIAN_FRONTEND=noninteractive
  "${sudo[@]}" apt-get update -qq </dev/null
  "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" </dev/null >/dev/null
}

# configure_build DIR [cmake args...]: configures DIR once (again if the arguments change), with
# Node.js and npm there for the dashboard's build.
configure_build() {
  local dir="$1"; shift
  ensure_node  # the dashboard's build (dashboard/CMakeLists.txt)
  local stamp="$dir/.ct-configure-args"
  local args="$*"
  if [[ ! -f "$dir/build.ninja" || ! -f "$stamp" || "$(cat "$stamp")" != "$args" ]]; then
    log "Configuring $dir"
    cmake -S "$ROOT" -B "$dir" -G Ninja "$@" >/dev/null
    printf '%s' "$args" >"$stamp"
  fi
}

# build DIR [targets...]
build() {
  local dir="$1"; shift
  local targets=()
  for t in "$@"; do targets+=(--target "$t"); done
  log "Building $dir ${*:-(all)}"
  cmake --build "$dir" -j"$JOBS" "${targets[@]}"
}

build_release() {
  configure_build "$ROOT/build" -DCMAKE_BUILD_TYPE=Release
  build "$ROOT/build" "$@"
}

# ensure_node: Node.js and npm, from Debian unless a Node.js that ships its own npm is there.
ensure_node() {
  command -v node >/dev/null && command -v npm >/dev/null && return 0
  ensure_packages nodejs npm
}

# npm_ci DIR: installs DIR's npm packages exactly as its lockfile says, when they are not yet.
npm_ci() {
  local dir="$1"
  if [[ ! -f "$dir/node_modules/.package-lock.json" || "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]]; then
    log "npm ci in $dir"
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error </dev/null)
  fi
}
