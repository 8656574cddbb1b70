"""gantt-api: the placement-compatible REST API (``--config-file
gantt.conf``), listening on [api] bind_host:bind_port over [database]."""

import socketserver
import sys
from wsgiref import simple_server

from oslo_log import log as logging

from gantt.api import app as api_app
from gantt import conf as gantt_conf
from gantt.db import api as db_api

LOG = logging.getLogger(__name__)


class _Server(socketserver.ThreadingMixIn, simple_server.WSGIServer):
    daemon_threads = True


class _QuietHandler(simple_server.WSGIRequestHandler):
    def log_message(self, fmt, *args):
        LOG.debug('%s - %s', self.address_string(), fmt % args)

    def get_environ(self):
        # wsgiref says text/plain for a request that names no content
        # type; the API tells that request it lacks one.
        env = super().get_environ()
        if self.headers.get('content-type') is None:
            env.pop('CONTENT_TYPE', None)
        return env


def make_server(conf, db, host=None, port=None):
    """A threaded WSGI server for the API (port 0 picks a free one)."""
    host = conf.api.bind_host if host is None else host
    port = conf.api.bind_port if port is None else port
    return simple_server.make_server(
        host, port, api_app.build(conf, db), server_class=_Server,
        handler_class=_QuietHandler)


def main(argv=None):
    conf = gantt_conf.build_conf(sys.argv[1:] if argv is None else argv,
                                 default_config_files=None)
    logging.setup(conf, 'gantt')
    db = db_api.Database(conf)
    server = make_server(conf, db)
    LOG.info('gantt-api listening on http://%s:%d', *server.server_address)
    print('gantt-api listening on http://%s:%d' % server.server_address[:2],
          flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
        db.dispose()
    return 0


if __name__ == '__main__':
    sys.exit(main())
