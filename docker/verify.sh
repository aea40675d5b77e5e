#!/usr/bin/env bash
# Builds the passerelle image and runs it against a PostgreSQL container, with podman and
# base images made from Debian's own packages (no public registry needed), then checks
# what an operator relies on: non-root, small, health check healthy, /readyz, a query,
# the demo loaded once, a clean exit on SIGTERM within the grace period, data kept
# across a restart.
#
#   docker/verify.sh              the image builds the binary (a builder image with the
#                                 host's Rust toolchain copied in)
#   docker/verify.sh --prebuilt [BINARY]
#                                 the image takes BINARY (default: target/release/passerelle)
#
# Needs podman, runc and debootstrap (Debian: apt-get install podman runc debootstrap).
# Exit 0: every check passed; 1: one failed; 2: podman cannot run containers here.
set -Eeuo pipefail
cd "$(dirname "$0")/.."
# A command failing outside a check names itself instead of ending the run in silence.
trap 'echo "verify: FAILED at line $LINENO: $BASH_COMMAND" >&2' ERR

form=source
binary="${CARGO_TARGET_DIR:-target}/release/passerelle"
if [ "${1:-}" = "--prebuilt" ]; then
    form=prebuilt
    binary="${2:-$binary}"
fi
cache="${PASSERELLE_CONTAINER_CACHE:-/var/tmp/passerelle-containers}"
suite="bookworm"
# The tag names the trimming below: a change to it builds a new base.
base="localhost/passerelle-base:$suite-2"
builder="localhost/passerelle-builder:$suite"
postgres_image="localhost/passerelle-postgres:$suite"
image="localhost/passerelle:verify"
http_port="${PASSERELLE_VERIFY_PORT:-18090}"
pg_port="${PASSERELLE_VERIFY_PG_PORT:-55433}"
run_id="passerelle-verify-$$"
max_image_mb=120
grace_seconds=30

# What this sandbox needs (crun refuses its cgroup layout; no bridge networking).
podman_=(podman --runtime runc)
ulimits=(--ulimit nofile=4096:4096 --ulimit nproc=4096:4096)
limits=("${ulimits[@]}" --network=host)

log() { printf '== %s\n' "$*"; }
# podman without systemd (this sandbox, most CI runners) says so on every container with a
# health check; the check itself is run by hand below.
quiet() { "$@" 2> >(grep -v 'systemd connection' >&2 || true); }
fail() { printf 'verify: FAILED: %s\n' "$*" >&2; exit 1; }
seconds() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(seconds)" 'BEGIN { printf "%.1f", b - a }'; }

cleanup() {
    "${podman_[@]}" rm -f -t 0 "$run_id-app" "$run_id-db" >/dev/null 2>&1 || true
    "${podman_[@]}" volume rm -f "$run_id-pg" "$run_id-app" >/dev/null 2>&1 || true
    rm -rf docker/prebuilt
    "${podman_[@]}" image prune -f --filter label=passerelle.verify=true >/dev/null 2>&1 || true
}
trap cleanup EXIT

for tool in podman runc debootstrap; do
    command -v "$tool" >/dev/null || { echo "verify: $tool is missing (apt-get install podman runc debootstrap)" >&2; exit 2; }
done
if ! "${podman_[@]}" info >/dev/null 2>&1; then
    echo "verify: podman cannot run here" >&2
    exit 2
fi

# 1. The runtime base: Debian minbase from deb.debian.org, trimmed as the slim images are.
if ! "${podman_[@]}" image exists "$base"; then
    log "base image $base from debootstrap"
    mkdir -p "$cache"
    rootfs="$cache/rootfs-$suite"
    if [ ! -e "$rootfs/etc/debian_version" ]; then
        rm -rf "$rootfs"
        debootstrap --variant=minbase "$suite" "$rootfs" http://deb.debian.org/debian >"$cache/debootstrap.log"
    fi
    rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/* \
        "$rootfs"/usr/share/doc/* "$rootfs"/usr/share/man/* "$rootfs"/usr/share/info/*
    find "$rootfs/usr/share/locale" -mindepth 1 -maxdepth 1 ! -name locale.alias -exec rm -rf {} +
    # glibc's iconv modules: nothing here converts character sets through iconv.
    rm -rf "$rootfs"/usr/lib/x86_64-linux-gnu/gconv
    # The time-zone database: passerelle computes Brussels time itself
    # (`domain::calendar`) and logs in UTC.
    rm -rf "$rootfs"/usr/share/zoneinfo
    # Later installs leave documentation out too.
    printf 'path-exclude /usr/share/doc/*\npath-exclude /usr/share/man/*\npath-exclude /usr/share/info/*\npath-exclude /usr/share/locale/*\npath-include /usr/share/locale/locale.alias\n' \
        >"$rootfs/etc/dpkg/dpkg.cfg.d/slim"
    tar -C "$rootfs" -c . | "${podman_[@]}" import - "$base" >/dev/null
fi

# 2. PostgreSQL from Debian's package, on the same base.
if ! "${podman_[@]}" image exists "$postgres_image"; then
    log "PostgreSQL image $postgres_image"
    "${podman_[@]}" build "${limits[@]}" --format docker --build-arg "BASE=$base" \
        -t "$postgres_image" -f docker/local/postgres.Containerfile . >/dev/null
fi

# 3. The passerelle image, in the asked form.
build_args=(--build-arg "RUNTIME_IMAGE=$base" --build-arg "BINARY=$form")
if [ "$form" = prebuilt ]; then
    [ -x "$binary" ] || fail "$binary is missing: cargo build --release -p passerelle"
    mkdir -p docker/prebuilt
    cp "$binary" docker/prebuilt/passerelle
    strip docker/prebuilt/passerelle 2>/dev/null || true
else
    if ! "${podman_[@]}" image exists "$builder"; then
        log "builder image $builder (the host's Rust toolchain on the base)"
        mkdir -p "$cache/ca" && rm -f "$cache"/ca/*
        cp /usr/local/share/ca-certificates/*.crt "$cache/ca/" 2>/dev/null || true
        "${podman_[@]}" build "${limits[@]}" --format docker --build-arg "BASE=$base" \
            -v "$(rustc --print sysroot):/toolchain:ro" -v "$cache/ca:/host-ca:ro" \
            -t "$builder" -f docker/local/builder.Containerfile . >/dev/null
    fi
    build_args+=(--build-arg "BUILDER_IMAGE=$builder")
fi
log "image $image ($form)"
# The image this one replaces is removed, as are the stages built on the way (labelled):
# runs leave no images behind.
previous="$("${podman_[@]}" image inspect --format '{{.Id}}' "$image" 2>/dev/null || true)"
started="$(seconds)"
"${podman_[@]}" build "${limits[@]}" --format docker --label passerelle.verify=true "${build_args[@]}" -t "$image" -f docker/Dockerfile . >/dev/null
build_time="$(elapsed "$started")"
if [ -n "$previous" ] && [ "$previous" != "$("${podman_[@]}" image inspect --format '{{.Id}}' "$image")" ]; then
    "${podman_[@]}" rmi "$previous" >/dev/null 2>&1 || true
fi
size_mb=$(( $("${podman_[@]}" image inspect --format '{{.Size}}' "$image") / 1000000 ))
echo "built in ${build_time} s; ${size_mb} MB"
[ "$size_mb" -lt "$max_image_mb" ] || fail "the image is ${size_mb} MB, over ${max_image_mb} MB"

# 4. Run: PostgreSQL, then passerelle with the demo data. The containers share the
# host's network: on a port already taken, passerelle would reach someone else's server,
# so each port moves up to the next free one.
free_port() {
    local port=$1
    while (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$((port + 1)); done
    echo "$port"
}
pg_port=$(free_port "$pg_port")
http_port=$(free_port "$http_port")
log "running PostgreSQL (port $pg_port) and passerelle (port $http_port)"
"${podman_[@]}" volume create "$run_id-pg" >/dev/null
"${podman_[@]}" volume create "$run_id-app" >/dev/null
"${podman_[@]}" run -d "${limits[@]}" --name "$run_id-db" -e PGPORT="$pg_port" \
    -e POSTGRES_USER=passerelle -e POSTGRES_DB=passerelle \
    -v "$run_id-pg:/var/lib/postgresql/data" "$postgres_image" >/dev/null
for _ in $(seq 1 60); do
    "${podman_[@]}" exec "$run_id-db" pg_isready -h 127.0.0.1 -p "$pg_port" >/dev/null 2>&1 && break
    sleep 0.5
done

start_app() {
    # The image's health check, run by `podman healthcheck run` below: this host has no
    # systemd to run it on a timer.
    quiet "${podman_[@]}" run -d "${limits[@]}" --name "$run_id-app" \
        --stop-timeout "$grace_seconds" \
        -e "DATABASE_URL=postgres://passerelle@127.0.0.1:$pg_port/passerelle" \
        -e "PASSERELLE_HTTP__ADDR=127.0.0.1:$http_port" \
        -e PASSERELLE_DEMO__ENABLED=true \
        -v "$run_id-app:/var/lib/passerelle" "$image" >/dev/null
}
query() {
    curl -fsS -H 'content-type: application/json' \
        -d '{"query":"{ services(first: 1) { totalCount } }"}' "http://127.0.0.1:$http_port/graphql"
}
wait_healthy() {
    for _ in $(seq 1 120); do
        if "${podman_[@]}" healthcheck run "$run_id-app" >/dev/null 2>&1; then return 0; fi
        sleep 0.5
    done
    "${podman_[@]}" logs "$run_id-app" | tail -20 >&2
    fail "the health check never turned healthy"
}

started="$(seconds)"
start_app
wait_healthy
start_time="$(elapsed "$started")"
echo "healthy in ${start_time} s (migrations, territories and the demo data included)"
[ "$("${podman_[@]}" exec "$run_id-app" id -u)" = 10001 ] || fail "the server does not run as uid 10001"
curl -fsS "http://127.0.0.1:$http_port/readyz" >/dev/null || fail "/readyz"
first="$(query)" || fail "a query"
echo "query: $first"
grep -q '"totalCount":[1-9]' <<<"$first" || fail "no service: the demo data did not load"
# The whole log, not `| head`: under pipefail, head closing the pipe early fails podman
# with SIGPIPE, and `set -e` ends the script without a word (a CI run died so).
logs_plain="$("${podman_[@]}" logs "$run_id-app" 2>&1)" || fail "podman logs"
if grep -q $'\e\[' <<<"$logs_plain"; then fail "colour codes in the logs"; fi

# 5. SIGTERM: a clean exit within the grace period.
log "SIGTERM"
started="$(seconds)"
quiet "${podman_[@]}" stop -t "$grace_seconds" "$run_id-app" >/dev/null
stop_time="$(elapsed "$started")"
code="$("${podman_[@]}" inspect --format '{{.State.ExitCode}}' "$run_id-app")"
echo "stopped in ${stop_time} s, exit code $code"
[ "$code" = 0 ] || fail "exit code $code after SIGTERM"
awk -v t="$stop_time" -v g="$grace_seconds" 'BEGIN { exit !(t < g) }' || fail "took the whole grace period"

# 6. A restart of both keeps the data, and the demo is not loaded twice.
log "restart"
quiet "${podman_[@]}" rm "$run_id-app" >/dev/null
"${podman_[@]}" restart -t 10 "$run_id-db" >/dev/null
for _ in $(seq 1 60); do
    "${podman_[@]}" exec "$run_id-db" pg_isready -h 127.0.0.1 -p "$pg_port" >/dev/null 2>&1 && break
    sleep 0.5
done
start_app
wait_healthy
again="$(query)" || fail "a query after the restart"
[ "$again" = "$first" ] || fail "after a restart: $again, before: $first"
echo "after a restart: $again"

quiet "${podman_[@]}" stop -t "$grace_seconds" "$run_id-app" >/dev/null
quiet "${podman_[@]}" rm -f "$run_id-app" "$run_id-db" >/dev/null

# 7. The compose file, brought up the same way (podman-compose from PyPI).
log "docker/compose.yaml with podman-compose"
compose="$cache/venv/bin/podman-compose"
if [ ! -x "$compose" ]; then
    python3 -m venv "$cache/venv" && "$cache/venv/bin/pip" install -q podman-compose==1.6.0
fi
export POSTGRES_IMAGE="$postgres_image" RUNTIME_IMAGE="$base" BINARY="$form" PASSERELLE_IMAGE="$image"
[ "$form" = source ] && export BUILDER_IMAGE="$builder"
[ "$form" = prebuilt ] && mkdir -p docker/prebuilt && cp "$binary" docker/prebuilt/passerelle
export PGPORT="$(free_port $((pg_port + 1)))" HTTP_PORT="$(free_port $((http_port + 1)))"
compose_=("$compose" --project-name "$run_id" -f docker/compose.yaml -f docker/local/compose.yaml
    --podman-args "--runtime runc" --podman-build-args "--format docker --label passerelle.verify=true ${limits[*]}"
    --podman-run-args "${ulimits[*]}")
compose_down() {
    # With their anonymous volumes (the image's data directory).
    local ids
    ids="$("${podman_[@]}" ps -a -q --filter "label=com.docker.compose.project=$run_id")"
    [ -z "$ids" ] || quiet "${podman_[@]}" rm -f -v $ids >/dev/null 2>&1 || true
    quiet "${compose_[@]}" down -v >/dev/null 2>&1 || true
}
trap 'compose_down; cleanup' EXIT
quiet timeout 900 "${compose_[@]}" up -d >"$cache/compose.log" 2>&1 || { tail -20 "$cache/compose.log" >&2; fail "podman-compose up"; }
app="$("${podman_[@]}" ps --filter "label=com.docker.compose.project=$run_id" --filter "label=com.docker.compose.service=passerelle" --format '{{.Names}}')"
[ -n "$app" ] || fail "podman-compose started no passerelle container"
for _ in $(seq 1 120); do
    "${podman_[@]}" healthcheck run "$app" >/dev/null 2>&1 && break
    sleep 0.5
done
"${podman_[@]}" healthcheck run "$app" >/dev/null 2>&1 || fail "the compose stack never turned healthy"
http_port="$HTTP_PORT"
query | grep -q '"totalCount":[1-9]' || fail "a query to the compose stack"
echo "compose: healthy, answering"

log "verify ($form): image ${size_mb} MB, built in ${build_time} s, healthy in ${start_time} s, stopped in ${stop_time} s: all checks passed"
