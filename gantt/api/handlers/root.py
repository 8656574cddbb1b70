"""GET /: the versions document clients read to learn the microversions."""

from gantt.api import http
from gantt.api import microversion


def home(req):
    return http.json({'versions': [{
        'id': 'v1.0', 'status': 'CURRENT',
        'min_version': microversion.text(microversion.MIN),
        'max_version': microversion.text(microversion.MAX),
        'links': [{'rel': 'self', 'href': ''}]}]})
