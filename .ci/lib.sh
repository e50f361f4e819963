# shellcheck shell=bash
# Shared helpers of the loyalty suite's commands (.ci/test, .ci/demo, .ci/run).
# Sourced, never executed. Nothing here installs Odoo: Odoo 19.0 must already be
# importable by the python3 in use (see README.rst, "Prerequisites").

LOYALTY_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export LOYALTY_ROOT

# The interpreter that runs Odoo, pytest, ruff and pylint.
LOYALTY_PYTHON="${LOYALTY_PYTHON:-python3}"

# Database connection (libpq variables, also handed to Odoo explicitly).
export PGHOST="${PGHOST:-127.0.0.1}"
export PGPORT="${PGPORT:-5432}"
LOYALTY_DB_USER="${LOYALTY_DB_USER:-odoo}"
export PGUSER="$LOYALTY_DB_USER"
# PGPASSWORD, when set, is used by libpq (psql, createdb, Odoo) as it is.

# Odoo's data dir (filestores of the template, test and demo databases).
LOYALTY_DATA_DIR="${LOYALTY_DATA_DIR:-$HOME/.local/share/Odoo}"

loyalty_log() {
    printf '[loyalty %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2
}

loyalty_die() {
    printf 'ERROR: %s\n' "$*" >&2
    exit 1
}

# One line and exit 1 when Odoo 19.0 is not importable. Never installs Odoo.
loyalty_require_odoo() {
    if ! "$LOYALTY_PYTHON" -c \
        "import odoo; import odoo.release; assert odoo.release.version_info[0] == 19" \
        >/dev/null 2>&1; then
        echo "ERROR: Odoo 19.0 is required (${LOYALTY_PYTHON} -c \"import odoo\" failed)" \
            "— see README.rst, \"Prerequisites\"." >&2
        exit 1
    fi
}

loyalty_pg_is_local() {
    case "$PGHOST" in
        127.0.0.1 | localhost | ::1 | /*) return 0 ;;
        *) return 1 ;;
    esac
}

# Start the local PostgreSQL clusters when PostgreSQL is installed but down,
# then wait until the server answers.
loyalty_start_postgres() {
    if pg_isready -q -h "$PGHOST" -p "$PGPORT" 2>/dev/null; then
        return 0
    fi
    if loyalty_pg_is_local && command -v pg_lsclusters >/dev/null 2>&1; then
        local version cluster _port status
        while read -r version cluster _port status _; do
            [ "$status" = "down" ] || continue
            loyalty_log "starting PostgreSQL cluster $version/$cluster"
            pg_ctlcluster --skip-systemctl-redirect "$version" "$cluster" start ||
                loyalty_log "could not start PostgreSQL cluster $version/$cluster"
        done < <(pg_lsclusters --no-header 2>/dev/null)
    fi
    for _ in $(seq 1 60); do
        if pg_isready -q -h "$PGHOST" -p "$PGPORT" 2>/dev/null; then
            return 0
        fi
        sleep 1
    done
    loyalty_die "PostgreSQL does not answer on ${PGHOST}:${PGPORT} (pg_isready)."
}

# psql as a superuser, to create the Odoo role: first "postgres" over TCP (trust
# auth), then the postgres OS user over the local socket (peer auth).
loyalty_psql_admin() {
    if psql -h "$PGHOST" -p "$PGPORT" -U postgres -d postgres -w -Atqc 'SELECT 1' \
        >/dev/null 2>&1; then
        psql -h "$PGHOST" -p "$PGPORT" -U postgres -d postgres -w -v ON_ERROR_STOP=1 "$@"
    elif loyalty_pg_is_local && command -v runuser >/dev/null 2>&1 &&
        id postgres >/dev/null 2>&1; then
        runuser -u postgres -- env -u PGHOST -u PGUSER -u PGPASSWORD \
            psql -w -p "$PGPORT" -U postgres -d postgres -v ON_ERROR_STOP=1 "$@"
    else
        return 1
    fi
}

# Make sure $LOYALTY_DB_USER can log in and create databases.
loyalty_ensure_role() {
    local can_create
    can_create="$(psql -d postgres -w -Atqc \
        "SELECT rolcreatedb OR rolsuper FROM pg_roles WHERE rolname = current_user" \
        2>/dev/null || true)"
    [ "$can_create" = "t" ] && return 0
    loyalty_log "creating PostgreSQL role $LOYALTY_DB_USER (LOGIN CREATEDB)"
    loyalty_psql_admin -qc "DO \$\$ BEGIN
        IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '${LOYALTY_DB_USER}') THEN
            CREATE ROLE \"${LOYALTY_DB_USER}\" LOGIN CREATEDB;
        ELSE
            ALTER ROLE \"${LOYALTY_DB_USER}\" LOGIN CREATEDB;
        END IF;
    END \$\$;" >/dev/null ||
        loyalty_die "cannot create the PostgreSQL role ${LOYALTY_DB_USER}" \
            "(run: psql -h ${PGHOST} -U postgres -c \"CREATE ROLE ${LOYALTY_DB_USER} LOGIN CREATEDB\")."
}

# Runtime and test python dependencies, into the active python3 environment.
loyalty_pip_install() {
    local reqs=("$LOYALTY_ROOT/requirements.txt" "$LOYALTY_ROOT/test-requirements.txt")
    # Fast path: every requirement already satisfied -> no pip run at all.
    if "$LOYALTY_PYTHON" - "${reqs[@]}" >/dev/null 2>&1 <<'EOF'; then
import sys
from importlib.metadata import PackageNotFoundError, version

from packaging.requirements import Requirement

for path in sys.argv[1:]:
    for line in open(path, encoding="utf-8"):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        req = Requirement(line)
        try:
            installed = version(req.name)
        except PackageNotFoundError:
            sys.exit(1)
        if req.specifier and not req.specifier.contains(installed, prereleases=True):
            sys.exit(1)
EOF
        return 0
    fi
    loyalty_log "pip install -r requirements.txt -r test-requirements.txt"
    "$LOYALTY_PYTHON" -m pip install -q --disable-pip-version-check \
        --root-user-action=ignore -r "${reqs[0]}" -r "${reqs[1]}" ||
        loyalty_die "pip install of the python requirements failed."
}

# Everything both commands need before touching a database.
loyalty_prepare() {
    loyalty_require_odoo
    command -v psql >/dev/null 2>&1 ||
        loyalty_die "PostgreSQL client tools (psql) are missing — see README.rst, \"Prerequisites\"."
    loyalty_start_postgres
    loyalty_ensure_role
    loyalty_pip_install
    mkdir -p "$LOYALTY_DATA_DIR"
}

# Our addons: every loyalty_* directory with an installable manifest, sorted.
loyalty_addons() {
    "$LOYALTY_PYTHON" - "$LOYALTY_ROOT" <<'EOF'
import ast
import pathlib
import sys

root = pathlib.Path(sys.argv[1])
for manifest in sorted(root.glob("loyalty_*/__manifest__.py")):
    data = ast.literal_eval(manifest.read_text(encoding="utf-8"))
    if data.get("installable", True):
        print(manifest.parent.name)
EOF
}

# The Odoo modules our addons depend on directly (their "depends" minus ours).
loyalty_core_deps() {
    "$LOYALTY_PYTHON" - "$LOYALTY_ROOT" <<'EOF'
import ast
import pathlib
import sys

root = pathlib.Path(sys.argv[1])
ours = {m.parent.name for m in root.glob("*/__manifest__.py")}
deps = set()
for manifest in root.glob("loyalty_*/__manifest__.py"):
    data = ast.literal_eval(manifest.read_text(encoding="utf-8"))
    if data.get("installable", True):
        deps.update(d for d in data.get("depends", []) if d not in ours)
print(",".join(sorted(deps)))
EOF
}

# Identifies the Odoo code base: version, plus the git commit when it is a checkout.
loyalty_odoo_fingerprint() {
    "$LOYALTY_PYTHON" - <<'EOF'
import os
import subprocess

import odoo
import odoo.release

src = os.path.dirname(os.path.abspath(list(odoo.__path__)[0]))
try:
    commit = subprocess.run(
        ["git", "-C", src, "rev-parse", "HEAD"],
        capture_output=True, text=True, check=True, timeout=10,
    ).stdout.strip()
except Exception:
    commit = "no-git"
print(odoo.release.version, src, commit)
EOF
}

loyalty_db_exists() {
    [ "$(psql -d postgres -w -Atqc "SELECT 1 FROM pg_database WHERE datname = '$1'" 2>/dev/null)" = "1" ]
}

loyalty_drop_db() {
    local db="$1"
    dropdb --if-exists --force -w "$db" >/dev/null 2>&1 || dropdb --if-exists -w "$db" || true
    rm -rf "${LOYALTY_DATA_DIR:?}/filestore/$db"
}

# The Odoo command line shared by every run: connection, data dir, addons path.
loyalty_odoo_args() {
    LOYALTY_ODOO_ARGS=(
        "--addons-path=$LOYALTY_ROOT"
        "--data-dir=$LOYALTY_DATA_DIR"
        "--db_host=$PGHOST"
        "--db_port=$PGPORT"
        "--db_user=$LOYALTY_DB_USER"
    )
    if [ -n "${PGPASSWORD:-}" ]; then
        LOYALTY_ODOO_ARGS+=("--db_password=$PGPASSWORD")
    fi
}

# Run "python3 -m odoo ARGS..." (with --stop-after-init) logging to FILE; fail
# loudly, with the log tail, on a non-zero exit or any ERROR/CRITICAL line.
loyalty_odoo_run_checked() {
    local log="$1"
    shift
    local rc=0
    "$LOYALTY_PYTHON" -m odoo "$@" --stop-after-init --log-level=warn \
        --http-interface=127.0.0.1 --max-cron-threads=0 >"$log" 2>&1 || rc=$?
    local bad
    bad="$(grep -E '^[0-9-]+ [0-9:,]+ [0-9]+ (ERROR|CRITICAL) ' "$log" || true)"
    if [ "$rc" -ne 0 ] || [ -n "$bad" ]; then
        echo "----- odoo log tail ($log) -----" >&2
        tail -n 60 "$log" >&2
        if [ -n "$bad" ]; then
            echo "----- ERROR/CRITICAL lines -----" >&2
            printf '%s\n' "$bad" | head -n 20 >&2
        fi
        echo "-----" >&2
        loyalty_log "odoo exited with status $rc"
        return 1
    fi
}

# Create database $1 as a copy of the cached template database holding only the
# Odoo core modules $3 (comma-separated), building the template first when it is
# missing (logs in directory $2). One template build at a time on this machine.
loyalty_copy_template() {
    local db="$1" work_dir="$2" core_deps="$3"
    local fingerprint tmpl_hash template_db
    fingerprint="$(loyalty_odoo_fingerprint)" || loyalty_die "cannot read the Odoo version"
    tmpl_hash="$(printf '%s\n%s\n' "$fingerprint" "$core_deps" | sha256sum | cut -c1-12)"
    template_db="loyalty_tmpl_${tmpl_hash}"
    mkdir -p "$LOYALTY_DATA_DIR/filestore"
    exec 9>"$LOYALTY_DATA_DIR/.loyalty_template.lock"
    flock 9
    if ! loyalty_db_exists "$template_db" || [ ! -d "$LOYALTY_DATA_DIR/filestore/$template_db" ]; then
        loyalty_build_template "$template_db" "$work_dir" "$core_deps"
    fi
    createdb -w -T "$template_db" "$db" || loyalty_die "createdb -T $template_db $db failed"
    # The filestore holds the template's attachments (compiled assets among them):
    # give the copy its own, hard-linked (Odoo never rewrites a filestore file in place).
    cp -al "$LOYALTY_DATA_DIR/filestore/$template_db" "$LOYALTY_DATA_DIR/filestore/$db" 2>/dev/null ||
        cp -a "$LOYALTY_DATA_DIR/filestore/$template_db" "$LOYALTY_DATA_DIR/filestore/$db" ||
        loyalty_die "cannot copy the template filestore"
    exec 9>&-
}

loyalty_build_template() {
    local template_db="$1" work_dir="$2" core_deps="$3"
    local build_db="${template_db}_build"
    local started=$SECONDS
    loyalty_log "creating template database $template_db with: $core_deps (takes a few minutes)"
    loyalty_drop_db "$build_db"
    loyalty_drop_db "$template_db"
    # Deliberately without our repo on the addons path: the template only holds Odoo.
    if ! loyalty_odoo_run_checked "$work_dir/template.log" -d "$build_db" \
        -i "$core_deps" "--data-dir=$LOYALTY_DATA_DIR" "--db_host=$PGHOST" \
        "--db_port=$PGPORT" "--db_user=$LOYALTY_DB_USER" \
        ${PGPASSWORD:+"--db_password=$PGPASSWORD"}; then
        loyalty_drop_db "$build_db"
        loyalty_die "creating the template database failed (Odoo core modules: $core_deps)."
    fi
    psql -d postgres -w -qc "ALTER DATABASE \"$build_db\" RENAME TO \"$template_db\"" ||
        loyalty_die "cannot rename $build_db to $template_db"
    if [ -d "$LOYALTY_DATA_DIR/filestore/$build_db" ]; then
        mv "$LOYALTY_DATA_DIR/filestore/$build_db" "$LOYALTY_DATA_DIR/filestore/$template_db"
    else
        mkdir -p "$LOYALTY_DATA_DIR/filestore/$template_db"
    fi
    loyalty_log "template $template_db created in $((SECONDS - started)) s"
}
