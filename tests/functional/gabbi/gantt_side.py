"""gantt-api for placement's gabbi files: one fresh store and server per
file, in one long-lived process (so Gantt is imported once).

Run by Gantt's interpreter::

    python -m tests.functional.gabbi.gantt_side WORKDIR

It migrates a template SQLite store in WORKDIR, then reads commands on
stdin, one a line: ``serve N PLACEMENT_DB [OPTION=VALUE ...]`` stops the
server it runs (if any), copies the template to a new store, imports into
it what the placement database holds (import-nova's code) and serves it
on a free port with placement's noauth2 and the [oslo_policy] options
given, printing ``http://127.0.0.1:PORT``; ``stop`` stops the server.
It exits when stdin closes.
"""

import os
import shutil
import sys
import threading


def _conf(path, policy_options=()):
    """Gantt's conf over the store ``path``: placement's noauth2 (gabbi
    sends its tokens and roles) and ``policy_options`` (["name=value"])
    set in [oslo_policy]."""
    from gantt.api import policy
    from gantt.conf import build_conf
    conf = build_conf()
    conf.set_override('state_path', os.path.dirname(path))
    conf.set_override('connection', 'sqlite:///%s' % path,
                      group='database')
    conf.set_override('auth_strategy', 'noauth2', group='api')
    policy.register_opts(conf)
    for option in policy_options:
        name, _sep, value = option.partition('=')
        conf.set_override(name, value, group='oslo_policy')
    return conf


class Side:

    def __init__(self, workdir):
        from gantt.db import api as db_api
        from gantt.db import migration
        self.workdir = workdir
        self.template = os.path.join(workdir, 'template.db')
        conf = _conf(self.template)
        db = db_api.Database(conf)
        migration.upgrade(conf, database=db)
        db.dispose()
        self.server = self.db = None

    def stop(self):
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
            self.db.dispose()
        self.server = self.db = None

    def serve(self, n, placement, *policy_options):
        from gantt.cmd import api as cmd_api
        from gantt.db import api as db_api
        from gantt.nova import import_plan
        from gantt.nova import import_source
        self.stop()
        store = os.path.join(self.workdir, 'gantt-%s.db' % n)
        shutil.copyfile(self.template, store)
        conf = _conf(store, policy_options)
        self.db = db_api.Database(conf)
        source = import_source.read_placement('sqlite:///%s' % placement)
        import_plan.apply(self.db, import_plan.plan(self.db, source, None),
                          source)
        self.server = cmd_api.make_server(conf, self.db, '127.0.0.1', 0)
        threading.Thread(target=self.server.serve_forever,
                         daemon=True).start()
        return 'http://127.0.0.1:%d' % self.server.server_address[1]


def main(workdir):
    side = Side(workdir)
    for line in sys.stdin:
        words = line.split()
        if words[:1] == ['serve']:
            try:
                print(side.serve(*words[1:]), flush=True)
            except Exception as e:
                print('error %s: %s' % (type(e).__name__, e), flush=True)
        elif words[:1] == ['stop']:
            side.stop()
            print('stopped', flush=True)
    side.stop()
    return 0


if __name__ == '__main__':
    sys.exit(main(*sys.argv[1:]))
