#!/usr/bin/env bash
# Install Gantt into .venv and run its demonstration on the embedded
# defaults: the real scheduler service, simulated computes and a simulated
# conductor in one process, on an in-memory transport and a temporary
# SQLite file. Extra arguments go to gantt-sim (try --help).
set -euo pipefail
cd "$(dirname "$0")/.."
. tools/venv.sh
case " $* " in *" --plot "*|*" --plot="*) export GANTT_WITH_PLOT=1 ;; esac
ensure_venv
echo "== .venv/bin/gantt-sim $*" >&2
exec .venv/bin/gantt-sim "$@"
