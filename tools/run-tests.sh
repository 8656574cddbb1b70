#!/usr/bin/env bash
# Install what Gantt's tests need on a fresh Debian machine (run as root),
# start RabbitMQ and a throw-away PostgreSQL and MariaDB on loopback, run
# the unit and
# functional suites, and stop what it started. Exit status: the suites'.
set -euo pipefail
cd "$(dirname "$0")/.."
top=$PWD

log() { printf '== %s\n' "$*" >&2; }

install_packages() {
    local missing=()
    command -v rabbitmq-server >/dev/null || missing+=(rabbitmq-server)
    [ -x /usr/lib/postgresql/15/bin/initdb ] || missing+=(postgresql)
    command -v mariadbd >/dev/null || missing+=(mariadb-server)
    if [ ${#missing[@]} -gt 0 ]; then
        log "apt-get install ${missing[*]}"
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq
        apt-get install -y -qq "${missing[@]}" >/dev/null
    fi
}

free_port() {
    .venv/bin/python -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# RabbitMQ, on loopback only, as NOTES for this stack describe.
export RABBITMQ_NODE_IP_ADDRESS=127.0.0.1 ERL_EPMD_ADDRESS=127.0.0.1
export RABBITMQ_NODENAME=rabbit@localhost
export RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}"
started_rabbit=
vhost="gantt-test-$$"
start_rabbit() {
    if ! rabbitmqctl -n rabbit@localhost -q status >/dev/null 2>&1; then
        log "starting RabbitMQ"
        rabbitmq-server -detached >/dev/null 2>&1
        started_rabbit=1
    fi
    for _ in $(seq 1 120); do
        rabbitmqctl -n rabbit@localhost -q await_startup >/dev/null 2>&1 && break
        sleep 0.5
    done
    rabbitmqctl -n rabbit@localhost -q await_startup
    rabbitmqctl -n rabbit@localhost -q add_vhost "$vhost" >/dev/null
    rabbitmqctl -n rabbit@localhost -q set_permissions -p "$vhost" guest '.*' '.*' '.*' >/dev/null
    export GANTT_TEST_TRANSPORT_URL="rabbit://guest:guest@127.0.0.1:5672/$vhost"
}

pgdir=
start_postgres() {
    local bin=/usr/lib/postgresql/15/bin port
    pgdir=$(mktemp -d /tmp/gantt-pg.XXXXXX)
    chown postgres: "$pgdir"
    port=$(free_port)
    log "starting PostgreSQL on 127.0.0.1:$port"
    runuser -u postgres -- "$bin/initdb" -D "$pgdir/data" -A trust -U postgres >/dev/null
    runuser -u postgres -- "$bin/pg_ctl" -D "$pgdir/data" -l "$pgdir/log" -w \
        -o "-k $pgdir -c listen_addresses=127.0.0.1 -p $port -c fsync=off -c max_connections=200" start >/dev/null
    runuser -u postgres -- "$bin/psql" -h 127.0.0.1 -p "$port" -U postgres -q \
        -c "CREATE ROLE gantt LOGIN PASSWORD 'gantt' CREATEDB" -c "CREATE DATABASE gantt OWNER gantt" >/dev/null
    export GANTT_TEST_POSTGRES_URL="postgresql+psycopg2://gantt:gantt@127.0.0.1:$port/gantt"
}

# MariaDB, a throw-away server of its own: a data directory, socket and
# loopback port under a temp dir, a gantt/gantt user that may create the
# gantt_* databases each test makes. The Debian package's own service is
# neither used nor started.
mydir= mypid=
start_mariadb() {
    local port
    mydir=$(mktemp -d /tmp/gantt-mariadb.XXXXXX)
    chown mysql: "$mydir"
    port=$(free_port)
    log "starting MariaDB on 127.0.0.1:$port"
    mariadb-install-db --no-defaults --user=mysql --datadir="$mydir/data" \
        --auth-root-authentication-method=socket --skip-test-db >/dev/null
    mariadbd --no-defaults --user=mysql --datadir="$mydir/data" \
        --socket="$mydir/sock" --pid-file="$mydir/pid" --log-error="$mydir/log" \
        --port="$port" --bind-address=127.0.0.1 --skip-name-resolve \
        --max-connections=300 --innodb-flush-log-at-trx-commit=0 \
        --innodb-buffer-pool-size=256M >/dev/null 2>&1 &
    mypid=$!
    for _ in $(seq 1 120); do
        mariadb-admin --no-defaults -S "$mydir/sock" -u root ping >/dev/null 2>&1 && break
        sleep 0.5
    done
    mariadb --no-defaults -S "$mydir/sock" -u root -e "
        CREATE USER 'gantt'@'127.0.0.1' IDENTIFIED BY 'gantt';
        GRANT ALL PRIVILEGES ON \`gantt%\`.* TO 'gantt'@'127.0.0.1';
        CREATE DATABASE gantt CHARACTER SET utf8mb4;"
    export GANTT_TEST_MYSQL_URL="mysql+pymysql://gantt:gantt@127.0.0.1:$port/gantt?charset=utf8mb4"
}

stop_mariadb() {
    if [ -n "$mypid" ]; then
        mariadb-admin --no-defaults -S "$mydir/sock" -u root shutdown >/dev/null 2>&1 ||
            kill "$mypid" 2>/dev/null
        wait "$mypid" 2>/dev/null
    fi
    [ -n "$mydir" ] && rm -rf "$mydir"
}

cleanup() {
    set +e
    stop_mariadb
    if [ -n "$pgdir" ]; then
        runuser -u postgres -- /usr/lib/postgresql/15/bin/pg_ctl -D "$pgdir/data" -m fast stop >/dev/null 2>&1
        rm -rf "$pgdir"
    fi
    rabbitmqctl -n rabbit@localhost -q delete_vhost "$vhost" >/dev/null 2>&1
    if [ -n "$started_rabbit" ]; then
        rabbitmqctl -n rabbit@localhost -q stop >/dev/null 2>&1
        epmd -kill >/dev/null 2>&1
    fi
}
trap cleanup EXIT

# The compute controller's scheduler, in a side venv of its own, so the
# engine benchmark's comparison is exercised too; placement 16 (its
# database for import-nova's test, its gabbi files for gantt-api's),
# gabbi, oslotest (placement's gabbi fixtures) and wsgi-intercept
# (placement.direct) beside it.
install_nova() {
    local pkgs=(nova==34.0.0 numpy openstack-placement==16.0.0 gabbi
                oslotest wsgi-intercept)
    if [ ! -x .venv-nova/bin/python ]; then
        log "python3 -m venv .venv-nova; pip install ${pkgs[*]}"
        python3 -m venv .venv-nova
    fi
    .venv-nova/bin/pip install -q --disable-pip-version-check "${pkgs[@]}"
    export GANTT_NOVA_PYTHON=$top/.venv-nova/bin/python
}

install_packages
. tools/venv.sh
GANTT_WITH_TESTS=1 ensure_venv
install_nova
start_rabbit
start_postgres
start_mariadb
# With the services up, a functional test that cannot reach them fails
# instead of skipping.
export GANTT_TEST_REQUIRE_SERVICES=1
export PYTHONWARNINGS="ignore::DeprecationWarning"

status=0
summary() {
    # stestr's totals of the last run: "passed failed skipped".
    .venv/bin/stestr last 2>/dev/null | awk -F': *' '
        /- Passed:/ {p=$2} /- Failed:/ {f=$2} /- Skipped:/ {s=$2}
        END {printf "%d %d %d\n", p, f, s}'
}
log "unit tests"
.venv/bin/stestr --test-path ./tests/unit run || status=1
read -r up uf us < <(summary)
log "functional tests (RabbitMQ, PostgreSQL, MariaDB, SQLite, real gantt-scheduler)"
.venv/bin/stestr --test-path ./tests/functional run --concurrency 2 || status=1
read -r fp ff fs < <(summary)
echo "unit: $up passed, $uf failed, $us skipped"
echo "functional: $fp passed, $ff failed, $fs skipped"
echo "total: $((up + fp)) passed, $((uf + ff)) failed, $((us + fs)) skipped"
exit $status
