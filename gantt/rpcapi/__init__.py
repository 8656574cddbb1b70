"""Client classes for Gantt's RPC APIs: one per audience.

Bumping an API version: add the method or argument to the manager (the
server accepts every 1.x), raise ``target.version`` there, raise
``VERSION`` in the client, add a history line to the client's docstring,
send the new form only when ``self.client.can_send_version('1.N')`` and
the old form otherwise, and add the message to tests/unit/rpcapi.
"""
