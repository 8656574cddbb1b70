"""The rows of gantt-manage host list, from a full change-feed read."""

import uuid

import testtools

from gantt.cmd import manage_host
from gantt import objects

objects.register_all()
NOW = 1_800_000_000.0


class Changes(object):
    def __init__(self, compute_nodes, inventories=(), instances=()):
        self.compute_nodes = compute_nodes
        self.inventories = list(inventories)
        self.instances = list(instances)


def _uuid(host):
    return str(uuid.uuid5(uuid.NAMESPACE_DNS, host))


def _node(host, seen, disabled=False, forced_down=False, deleted=False):
    node = objects.ComputeNode(uuid=_uuid(host), host=host,
                               hypervisor_hostname=host + '.node')
    node.service.disabled = disabled
    node.service.forced_down = forced_down
    return {'uuid': _uuid(host), 'host': host,
            'hypervisor_hostname': host + '.node', 'last_seen_up': seen,
            'deleted': deleted, 'node': node}


class TestHostRows(testtools.TestCase):

    def test_states_ages_instances_and_usage(self):
        changes = Changes(
            [_node('up', NOW - 5), _node('silent', NOW - 120),
             _node('forced', NOW, forced_down=True),
             _node('off', NOW, disabled=True),
             _node('gone', NOW, deleted=True)],
            [{'provider_uuid': _uuid('up'), 'resource_class': 'VCPU',
              'used': 4, 'capacity': 64}],
            [{'host': 'up', 'node': 'up.node', 'instance_uuid': 'i1'},
             {'host': 'up', 'node': 'up.node', 'instance_uuid': 'i2',
              'deleted': True}])
        rows = manage_host.host_rows(changes, 60, now=NOW)
        self.assertEqual(
            [('forced', 'down'), ('off', 'disabled'), ('silent', 'down'),
             ('up', 'up')], [(r['host'], r['state']) for r in rows])
        up = rows[-1]
        self.assertEqual((5.0, 1), (up['age'], up['instances']))
        text = manage_host.format_hosts(rows)
        self.assertIn('4/64 (6%)', text)
        self.assertEqual(5, len(text.splitlines()))
