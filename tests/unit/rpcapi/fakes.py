"""A recording stand-in for oslo.messaging's RPC client."""


class FakeClient:
    """Records what a client class prepares, calls and casts."""

    def __init__(self, result=None, version_cap=None):
        self.result = result
        self.version_cap = version_cap
        self.sent = []
        self._prepared = {}

    def prepare(self, **kwargs):
        child = FakeClient(self.result, self.version_cap)
        child.sent = self.sent
        child._prepared = kwargs
        return child

    def can_send_version(self, version):
        if self.version_cap is None:
            return True
        as_tuple = lambda v: tuple(int(p) for p in v.split('.'))  # noqa
        return as_tuple(version) <= as_tuple(self.version_cap)

    def call(self, ctxt, method, **kwargs):
        self.sent.append(('call', self._prepared, ctxt, method, kwargs))
        return self.result

    def cast(self, ctxt, method, **kwargs):
        self.sent.append(('cast', self._prepared, ctxt, method, kwargs))
