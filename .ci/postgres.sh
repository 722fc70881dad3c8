# shellcheck shell=bash
# Start a throwaway PostgreSQL server for the store tests and export ZHIBIAO_TEST_PG.
# Usage: `source .ci/postgres.sh` (from .ci/run), or `bash .ci/postgres.sh` to print the URL.
# Installs Debian's postgresql with apt-get when missing; the cluster lives in a temporary folder and is
# stopped by zhibiao_pg_stop (registered on EXIT when the calling shell has no EXIT trap of its own).

_zhibiao_pg_start() {
    if [ -n "${ZHIBIAO_TEST_PG:-}" ]; then
        echo "postgres.sh: using ZHIBIAO_TEST_PG from the environment"
        return 0
    fi
    local bindir
    bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
    if [ -z "$bindir" ]; then
        echo "postgres.sh: installing postgresql with apt-get"
        local sudo=""
        [ "$(id -u)" -ne 0 ] && sudo="sudo"
        $sudo apt-get update -qq >/dev/null || return 1
        DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq postgresql >/dev/null || return 1
        bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
        [ -n "$bindir" ] || { echo "postgres.sh: postgresql installed but no server binaries found"; return 1; }
    fi
    # initdb refuses to run as root: as root the cluster belongs to Debian's postgres user
    local as=()
    if [ "$(id -u)" -eq 0 ]; then
        id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres || return 1
        as=(runuser -u postgres --)
    fi
    ZHIBIAO_PG_DIR=$(mktemp -d /tmp/zhibiao-pg.XXXXXX) || return 1
    [ "$(id -u)" -eq 0 ] && chown postgres "$ZHIBIAO_PG_DIR"
    local port
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    "${as[@]}" "$bindir/initdb" -D "$ZHIBIAO_PG_DIR/data" -U zhibiao -A trust -E UTF8 --locale=C.UTF-8 \
        >"$ZHIBIAO_PG_DIR/initdb.log" 2>&1 || { cat "$ZHIBIAO_PG_DIR/initdb.log"; return 1; }
    "${as[@]}" "$bindir/pg_ctl" -D "$ZHIBIAO_PG_DIR/data" -l "$ZHIBIAO_PG_DIR/server.log" -w -t 60 \
        -o "-p $port -k $ZHIBIAO_PG_DIR -c listen_addresses=127.0.0.1 -c fsync=off" start >/dev/null \
        || { cat "$ZHIBIAO_PG_DIR/server.log"; return 1; }
    "$bindir/createdb" -h 127.0.0.1 -p "$port" -U zhibiao zhibiao_test || return 1
    ZHIBIAO_PG_BIN=$bindir
    ZHIBIAO_PG_AS="${as[*]}"
    export ZHIBIAO_TEST_PG="postgresql+psycopg://zhibiao@127.0.0.1:$port/zhibiao_test"
    echo "postgres.sh: PostgreSQL $("$bindir/postgres" --version | awk '{print $3}') on 127.0.0.1:$port"
    echo "ZHIBIAO_TEST_PG=$ZHIBIAO_TEST_PG"
}

zhibiao_pg_stop() {
    if [ -n "${ZHIBIAO_PG_DIR:-}" ] && [ -d "$ZHIBIAO_PG_DIR/data" ]; then
        # shellcheck disable=SC2086
        $ZHIBIAO_PG_AS "$ZHIBIAO_PG_BIN/pg_ctl" -D "$ZHIBIAO_PG_DIR/data" -m fast -w stop >/dev/null 2>&1
        rm -rf "$ZHIBIAO_PG_DIR"
    fi
}

if _zhibiao_pg_start; then
    if [ -n "${ZHIBIAO_PG_DIR:-}" ] && [ -z "$(trap -p EXIT)" ]; then
        trap zhibiao_pg_stop EXIT
    fi
else
    echo "postgres.sh: could not start PostgreSQL; the PostgreSQL tests will fail under CI"
    zhibiao_pg_stop
fi
