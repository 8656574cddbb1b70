"""POST /reshaper (1.30): inventories and allocations moved in one
transaction."""

from gantt.api import errors
from gantt.api.handlers import allocation
from gantt.api.handlers import inventory
from gantt.api import http
from gantt.db import reshape as reshape_db


def reshape(req):
    if not http.at_least(req, (1, 30)):
        raise errors.Error(404, 'POST /reshaper needs microversion 1.30')
    data = http.body(req)
    inventories = {}
    for uuid, body in http.field(data, 'inventories', dict).items():
        http.uuid(uuid, 'inventories')
        if not isinstance(body, dict):
            raise errors.Error(400, 'inventories of %s: expected an object'
                               % uuid)
        inventories[uuid] = (http.generation(body), {
            rc: inventory.checked(req, rc, inv if isinstance(inv, dict)
                                  else {})
            for rc, inv in http.field(body, 'inventories', dict).items()})
    entries = [allocation.entry(req, consumer, body)
               for consumer, body in sorted(http.field(
                   data, 'allocations', dict).items())]
    allocation.translate_claim_errors(
        lambda: http.db(req).write(reshape_db.reshape, inventories, entries))
    return http.empty()
