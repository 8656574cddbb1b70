"""POST /reshaper (1.30): move inventories and allocations in one
transaction; and /allocation_candidates, which gantt-api does not serve
(the scheduler reads candidates from the store itself)."""

from gantt.api import errors
from gantt.api import http


def reshape(req):
    raise errors.Error(501, 'POST /reshaper is not implemented by gantt-api '
                       'yet')


def no_candidates(req):
    raise errors.Error(501, 'GET /allocation_candidates is not served by '
                       'gantt-api: Gantt\'s scheduler computes candidates '
                       'from its own store')
