"""A recording stand-in for oslo.messaging's RPC client."""


class FakeClient:
    """Records what a client class prepares, calls and casts.

    Arguments are recorded as they would go on the wire: through
    ``serializer`` when the client class set one (it does), so objects
    appear as primitives at the version the cap implies.
    """

    def __init__(self, result=None, version_cap=None):
        self.result = result
        self.version_cap = version_cap
        self.serializer = None
        self.sent = []
        self._prepared = {}

    def prepare(self, **kwargs):
        child = FakeClient(self.result, self.version_cap)
        child.serializer = self.serializer
        child.sent = self.sent
        child._prepared = kwargs
        return child

    def can_send_version(self, version):
        if self.version_cap is None:
            return True
        as_tuple = lambda v: tuple(int(p) for p in v.split('.'))  # noqa
        return as_tuple(version) <= as_tuple(self.version_cap)

    def _wire(self, ctxt, kwargs):
        if self.serializer is None:
            return kwargs
        return {k: self.serializer.serialize_entity(ctxt, v)
                for k, v in kwargs.items()}

    def call(self, ctxt, method, **kwargs):
        self.sent.append(('call', self._prepared, ctxt, method,
                          self._wire(ctxt, kwargs)))
        return self.result

    def cast(self, ctxt, method, **kwargs):
        self.sent.append(('cast', self._prepared, ctxt, method,
                          self._wire(ctxt, kwargs)))


class FakeServicesDB:
    """Answers get_services like the Database, from a fixed list."""

    def __init__(self, services=(), error=None):
        self.services = list(services)
        self.error = error
        self.asked = []

    def get_services(self, binary=None):
        self.asked.append(binary)
        if self.error is not None:
            raise self.error
        return [s for s in self.services
                if binary is None or s['binary'] == binary]


def scheduler_row(host, rpc_version, version=None):
    return {'binary': 'gantt-scheduler', 'host': host, 'version': version,
            'rpc_version': rpc_version, 'last_seen_up': 0.0}
