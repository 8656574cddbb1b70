"""Run a script of gantt/bench under the compute controller's interpreter.

Gantt never imports nova: the scripts that use it (nova_side.py,
nova_verdicts.py) run in a child process of a virtualenv that has it,
reading JSON from a file and printing one JSON line back.
"""

import importlib.util
import json
import os
import subprocess
import sys
import tempfile

NOVA_PYTHON_ENV = 'GANTT_NOVA_PYTHON'


def nova_python(explicit=None):
    """The interpreter that can import nova, or None.

    When nova is importable here, this interpreter will do.
    """
    found = explicit or os.environ.get(NOVA_PYTHON_ENV)
    if not found and importlib.util.find_spec('nova') is not None:
        found = sys.executable
    return found or None


def run(python, script, data):
    """Run gantt/bench/`script` under `python` over `data` (JSON-ready);
    returns the JSON of its last line of output."""
    if not python:
        raise RuntimeError(
            'The comparison needs the compute controller (nova) installed in '
            'a separate virtualenv, e.g. `python3 -m venv /opt/nova-venv && '
            '/opt/nova-venv/bin/pip install nova==34.0.0 numpy`, then pass '
            '--nova-python /opt/nova-venv/bin/python or set %s.'
            % NOVA_PYTHON_ENV)
    path = os.path.join(os.path.dirname(__file__), script)
    with tempfile.NamedTemporaryFile('w', suffix='.json') as f:
        json.dump(data, f)
        f.flush()
        proc = subprocess.run([python, path, f.name],
                              capture_output=True, text=True)
    if proc.returncode:
        raise RuntimeError('nova side failed (%s):\n%s'
                           % (proc.returncode, proc.stderr[-4000:]))
    return json.loads(proc.stdout.strip().splitlines()[-1])
