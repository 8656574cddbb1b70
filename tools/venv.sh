# Sourced by tools/demo.sh and tools/run-tests.sh: make .venv and install
# Gantt into it (plus the test requirements when GANTT_WITH_TESTS=1, and
# matplotlib for gantt-sim --plot when GANTT_WITH_PLOT=1).
ensure_venv() {
    if ! python3 -c 'import ensurepip, venv' >/dev/null 2>&1; then
        echo "== apt-get install python3-venv" >&2
        DEBIAN_FRONTEND=noninteractive apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null
    fi
    if [ ! -x .venv/bin/python ]; then
        echo "== python3 -m venv .venv" >&2
        python3 -m venv .venv
    fi
    local reqs=(-r requirements.txt)
    [ "${GANTT_WITH_TESTS:-0}" = 1 ] && reqs+=(-r test-requirements.txt)
    echo "== pip install ${reqs[*]} -e ." >&2
    .venv/bin/pip install -q --disable-pip-version-check "${reqs[@]}"
    PBR_VERSION=${PBR_VERSION:-0.1.0} .venv/bin/pip install -q --disable-pip-version-check --no-deps -e .
    if [ "${GANTT_WITH_PLOT:-0}" = 1 ]; then
        # The [plot] extra (matplotlib) for gantt-sim --plot.
        echo "== pip install -e .[plot]" >&2
        PBR_VERSION=${PBR_VERSION:-0.1.0} .venv/bin/pip install -q --disable-pip-version-check -e '.[plot]'
    fi
}
