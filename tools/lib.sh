# shellcheck shell=bash
# Shared helpers of tools/run and tools/test. Sourced, never executed.
#
# Everything this creates lives in the checkout's ignored folders:
#   .venv/                the Python virtual environment
#   .local/addons/        a link named crm_bookme to this checkout (whatever the clone is called)
#   .local/pg/            a private PostgreSQL cluster, when no server is given
#   .local/data/          Odoo's data dir (filestore, sessions)
#   .local/log/           logs
#   .local/node/          rtlcss (npm), which Odoo runs to mirror CSS for right-to-left languages

set -o pipefail

BOOKME_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BOOKME_LOCAL="$BOOKME_ROOT/.local"
BOOKME_VENV=${BOOKME_VENV:-"$BOOKME_ROOT/.venv"}
BOOKME_PY="$BOOKME_VENV/bin/python"
# Each checkout gets its own port, so two clones' private clusters never collide.
BOOKME_PG_PORT=${BOOKME_PG_PORT:-$((54000 + $(echo "$BOOKME_ROOT" | cksum | cut -d' ' -f1) % 900))}
BOOKME_DB_USER=${BOOKME_DB_USER:-bookme}
BOOKME_PG_STARTED=0
ODOO_SRC_FOUND=""

say() { printf '[bookme] %s\n' "$*"; }
die() { printf '[bookme] ERROR: %s\n' "$*" >&2; exit 1; }

is_root() { [ "$(id -u)" = 0 ]; }

# --- Odoo ------------------------------------------------------------------------------
# find_odoo: sets ODOO_SRC_FOUND to an Odoo 19 source tree, or returns 1 with a reason in
# ODOO_MISSING_REASON.
find_odoo() {
    local candidates=()
    if [ -n "${ODOO_SRC:-}" ]; then candidates+=("$ODOO_SRC"); else candidates+=(/opt/odoo); fi
    candidates+=("$BOOKME_LOCAL/odoo")
    local src
    for src in "${candidates[@]}"; do
        [ -f "$src/odoo/release.py" ] && [ -f "$src/odoo-bin" ] || continue
        if grep -qE '^version_info = \(19,' "$src/odoo/release.py"; then
            ODOO_SRC_FOUND=$(cd "$src" && pwd)
            return 0
        fi
        ODOO_MISSING_REASON="the Odoo tree at $src is not version 19.0"
        return 1
    done
    ODOO_MISSING_REASON="no Odoo 19 source tree at ${ODOO_SRC:-/opt/odoo} (set ODOO_SRC to one)"
    return 1
}

# obtain_odoo: for a machine on the internet, clone Odoo 19.0 Community from Odoo's official
# repository into .local/odoo. Stops with one clear sentence when that is impossible.
obtain_odoo() {
    local url=https://github.com/odoo/odoo.git
    say "No Odoo 19 found; fetching Odoo 19.0 Community from $url (a few minutes)..."
    if ! timeout 30 git ls-remote --heads "$url" 19.0 >/dev/null 2>&1; then
        die "Odoo 19 Community could not be downloaded from $url: provide an Odoo 19.0 source tree and point ODOO_SRC at it (ODOO_SRC=/path/to/odoo tools/run)."
    fi
    rm -rf "$BOOKME_LOCAL/odoo.part"
    git clone --depth 1 --branch 19.0 "$url" "$BOOKME_LOCAL/odoo.part" \
        || die "cloning $url failed: provide an Odoo 19.0 source tree and point ODOO_SRC at it."
    mv "$BOOKME_LOCAL/odoo.part" "$BOOKME_LOCAL/odoo"
    find_odoo || die "$ODOO_MISSING_REASON"
}

# --- System packages -------------------------------------------------------------------
# ensure_system_packages PKG...: installs missing Debian packages when we can (root + apt).
ensure_system_packages() {
    local missing=() pkg
    for pkg in "$@"; do
        dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    if is_root && command -v apt-get >/dev/null; then
        say "Installing system packages: ${missing[*]}"
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq >/dev/null && apt-get install -y -qq "${missing[@]}" >/dev/null \
            || die "apt-get install ${missing[*]} failed"
    else
        say "Missing system packages (install them with your package manager): ${missing[*]}"
        return 1
    fi
}

# --- Python ----------------------------------------------------------------------------
# ensure_venv [with-odoo]: the virtualenv with our pins, plus Odoo's requirements when asked.
ensure_venv() {
    local want_odoo=${1:-}
    local reqs=("$BOOKME_ROOT/requirements-dev.txt")
    [ -n "$want_odoo" ] && reqs+=("$ODOO_SRC_FOUND/requirements.txt")
    # One stamp line per requirements file installed: a run without Odoo after one with
    # Odoo (or the other way round) installs only what is missing.
    local stamp_file="$BOOKME_VENV/.bookme-stamp"
    local r missing=0 stamps=()
    for r in "${reqs[@]}"; do
        stamps+=("$(sha256sum "$r" | cut -d' ' -f1)")
        grep -qx "${stamps[-1]}" "$stamp_file" 2>/dev/null || missing=1
    done
    if [ -x "$BOOKME_PY" ] && [ "$missing" = 0 ]; then
        return 0
    fi
    local py=${PYTHON:-python3}
    "$py" -c 'import sys; sys.exit(not ((3, 10) <= sys.version_info[:2] <= (3, 13)))' \
        || die "Python 3.10 to 3.13 is needed ($py is $("$py" --version 2>&1))"
    [ -x "$BOOKME_PY" ] || "$py" -m venv "$BOOKME_VENV" || die "could not create $BOOKME_VENV"
    say "Installing Python packages into .venv (${reqs[*]##*/})..."
    # setuptools 81 dropped pkg_resources, which gevent (Odoo's websocket/bus process in
    # multi-worker mode) imports: with it, that process crashes in a loop.
    "$BOOKME_PY" -m pip install -q --disable-pip-version-check --upgrade pip wheel "setuptools<81" \
        >/dev/null || die "pip could not upgrade itself"
    local args=() r
    for r in "${reqs[@]}"; do args+=(-r "$r"); done
    "$BOOKME_PY" -m pip install -q --disable-pip-version-check "${args[@]}" \
        || die "pip install failed (see above)"
    printf '%s\n' "${stamps[@]}" >>"$stamp_file"
}

# --- rtlcss (right-to-left CSS) ------------------------------------------------------------
# Odoo mirrors the website's CSS for right-to-left languages (Hebrew, Arabic...) by running
# the `rtlcss` command found on PATH (odoo/addons/base/models/assetsbundle.py, run_rtlcss);
# without it, RTL pages get the left-to-right CSS. Debian has no package for it: it comes
# from npm, into .local/node, and its bin folder goes first on PATH for the Odoo processes
# this checkout starts. Without npm, one line says so and Odoo runs without it.
BOOKME_RTLCSS_VERSION=${BOOKME_RTLCSS_VERSION:-4.3.0}
ensure_rtlcss() {
    local prefix="$BOOKME_LOCAL/node"
    local bin="$prefix/node_modules/.bin"
    if [ ! -x "$bin/rtlcss" ] || ! "$bin/rtlcss" --version 2>/dev/null | grep -qE " ?${BOOKME_RTLCSS_VERSION//./\\.}$"; then
        if ! command -v npm >/dev/null 2>&1; then
            say "rtlcss not installed (no npm): right-to-left pages (Hebrew, Arabic) will not be mirrored"
            return 0
        fi
        say "Installing rtlcss $BOOKME_RTLCSS_VERSION (npm) into .local/node for right-to-left CSS"
        mkdir -p "$prefix"
        npm install --silent --no-audit --no-fund --prefix "$prefix" "rtlcss@$BOOKME_RTLCSS_VERSION" \
            >"$prefix/npm-install.log" 2>&1 \
            || { say "rtlcss could not be installed (see $prefix/npm-install.log): right-to-left pages will not be mirrored"; return 0; }
    fi
    case ":$PATH:" in *":$bin:"*) ;; *) export PATH="$bin:$PATH" ;; esac
}

# --- PostgreSQL ------------------------------------------------------------------------
# ensure_postgres: sets DB_ARGS for odoo-bin. Uses $PGHOST/$PGPORT/$PGUSER when given,
# else starts (or reuses) a private cluster in .local/pg on 127.0.0.1:$BOOKME_PG_PORT.
ensure_postgres() {
    if [ -n "${PGHOST:-}" ]; then
        DB_ARGS=(--db_host "$PGHOST" --db_port "${PGPORT:-5432}" --db_user "${PGUSER:-$BOOKME_DB_USER}")
        [ -n "${PGPASSWORD:-}" ] && DB_ARGS+=(--db_password "$PGPASSWORD")
        return 0
    fi
    local bindir
    bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
    [ -x "$bindir/initdb" ] || die "PostgreSQL server binaries not found (Debian package postgresql)"
    local pgdir="$BOOKME_LOCAL/pg"
    local run_as=()
    if is_root; then
        # PostgreSQL refuses to run as root: the cluster belongs to the postgres user, and
        # lives where that user can reach it.
        run_as=(runuser -u postgres --)
        if ! runuser -u postgres -- test -x "$BOOKME_ROOT"; then
            pgdir="/var/tmp/crm_bookme-pg-$(echo "$BOOKME_ROOT" | cksum | cut -d' ' -f1)"
        fi
    fi
    PG_RUN_AS=("${run_as[@]}")
    PG_BINDIR=$bindir
    PG_DATA="$pgdir/data"
    mkdir -p "$pgdir/run"
    is_root && chown -R postgres: "$pgdir"
    if [ ! -f "$PG_DATA/PG_VERSION" ]; then
        say "Creating a private PostgreSQL cluster in $pgdir"
        "${run_as[@]}" "$bindir/initdb" -D "$PG_DATA" -U postgres -A trust -E UTF8 \
            --locale=C.UTF-8 >"$pgdir/initdb.log" 2>&1 || die "initdb failed: see $pgdir/initdb.log"
    fi
    if "${run_as[@]}" "$bindir/pg_ctl" -D "$PG_DATA" status >/dev/null 2>&1; then
        # Already running (another command of this checkout): use the port it listens on.
        BOOKME_PG_PORT=$(sed -n 4p "$PG_DATA/postmaster.pid")
    else
        "${run_as[@]}" "$bindir/pg_ctl" -D "$PG_DATA" -w -l "$pgdir/server.log" \
            -o "-p $BOOKME_PG_PORT -k $pgdir/run -c listen_addresses=127.0.0.1" start >/dev/null \
            || die "PostgreSQL did not start: see $pgdir/server.log"
        BOOKME_PG_STARTED=1
    fi
    "$bindir/psql" -h 127.0.0.1 -p "$BOOKME_PG_PORT" -U postgres -d postgres -tAq -c \
        "DO \$\$BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$BOOKME_DB_USER') THEN
         CREATE ROLE $BOOKME_DB_USER LOGIN CREATEDB; END IF; END\$\$;" >/dev/null \
        || die "could not create the PostgreSQL role $BOOKME_DB_USER"
    DB_ARGS=(--db_host 127.0.0.1 --db_port "$BOOKME_PG_PORT" --db_user "$BOOKME_DB_USER")
}

stop_postgres() {
    if [ "$BOOKME_PG_STARTED" = 1 ]; then
        "${PG_RUN_AS[@]}" "$PG_BINDIR/pg_ctl" -D "$PG_DATA" -m fast stop >/dev/null 2>&1 || true
        BOOKME_PG_STARTED=0
    fi
}

# pg_sql DBNAME SQL [ARG]: runs SQL (autocommit) in DBNAME with the connection of DB_ARGS,
# prints the first column of the first row, if any.
pg_sql() {
    "$BOOKME_PY" - "$@" "${DB_ARGS[@]}" <<'PY'
import sys
import psycopg2
dbname, sql, *rest = sys.argv[1:]
args = rest[1:] if rest and not rest[0].startswith("--") else rest
params = [rest[0]] if rest and not rest[0].startswith("--") else []
opts = dict(zip(args[::2], args[1::2]))
conn = psycopg2.connect(host=opts["--db_host"], port=opts["--db_port"], user=opts["--db_user"],
                        password=opts.get("--db_password"), dbname=dbname)
conn.autocommit = True
cur = conn.cursor()
cur.execute(sql, params)
row = cur.fetchone() if cur.description else None
if row:
    print(row[0] if row[0] is not None else "")
PY
}

# drop_db NAME
drop_db() {
    pg_sql postgres "DROP DATABASE IF EXISTS \"$1\" WITH (FORCE)"
}

# db_exists NAME
db_exists() {
    [ -n "$(pg_sql postgres "SELECT 1 FROM pg_database WHERE datname = %s" "$1")" ]
}

# --- Translations -------------------------------------------------------------------
# export_pot DB OUT: writes the translation template of crm_bookme, as installed in DB, to OUT.
# Odoo's extractor walks the module folder, and a developer checkout also holds .venv and
# .local (whose addons link points back here), so it reads a clean copy of the module: the
# tracked files with the working tree's folders over them.
export_pot() {
    local db=$1 out=$2 clean conf args i rc
    clean=$(mktemp -d)
    git -C "$BOOKME_ROOT" archive --prefix=crm_bookme/ HEAD | tar -x -C "$clean"
    cp -r "$BOOKME_ROOT"/{models,controllers,views,wizards,data,security,static,tests} "$clean/crm_bookme/" 2>/dev/null
    conf=$(mktemp)
    printf '[options]\naddons_path = %s\ndata_dir = %s\n' \
        "$ODOO_SRC_FOUND/addons,$ODOO_SRC_FOUND/odoo/addons,$clean" "$BOOKME_LOCAL/data" >"$conf"
    args=("${DB_ARGS[@]}")
    for ((i = 0; i < ${#args[@]}; i += 2)); do
        printf '%s = %s\n' "${args[i]#--}" "${args[i+1]}" >>"$conf"
    done
    "$BOOKME_PY" "$ODOO_SRC_FOUND/odoo-bin" i18n export -c "$conf" -d "$db" crm_bookme -o "$out" \
        >>"$BOOKME_LOCAL/log/odoo-i18n.log" 2>&1
    rc=$?
    rm -rf "$conf" "$clean"
    return $rc
}

# --- Odoo invocation -------------------------------------------------------------------
# odoo_args: the common odoo-bin arguments in ODOO_ARGS.
odoo_args() {
    mkdir -p "$BOOKME_LOCAL/addons" "$BOOKME_LOCAL/data" "$BOOKME_LOCAL/log"
    ln -sfn "$BOOKME_ROOT" "$BOOKME_LOCAL/addons/crm_bookme"
    ODOO_ARGS=(
        --addons-path="$ODOO_SRC_FOUND/addons,$ODOO_SRC_FOUND/odoo/addons,$BOOKME_LOCAL/addons${BOOKME_EXTRA_ADDONS:+,$BOOKME_EXTRA_ADDONS}"
        --data-dir="$BOOKME_LOCAL/data"
        --http-interface=127.0.0.1
        "${DB_ARGS[@]}"
    )
}
