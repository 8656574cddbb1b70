"""What every weigher test uses: a conf, a request and both scoring paths.

`raw()` and `multipliers()` compute a weigher's numbers through the
vectorised path and the per-host reference path and fail unless the two
agree exactly. `MultiplierCases` are the per-aggregate multiplier cases every
weigher must pass; a test class mixes them in and names its option.
"""

import fixtures
import numpy as np
import testscenarios
import testtools

from gantt import conf as gantt_conf
from gantt import objects
from gantt import request as gantt_request
from tests.unit import hosts as test_hosts

objects.register_all()

from gantt.objects import request_spec  # noqa: E402


class WeigherTestCase(testscenarios.WithScenarios, testtools.TestCase):

    weigher_cls = None

    def setUp(self):
        super().setUp()
        self.conf = gantt_conf.build_conf([])
        self.addCleanup(self.conf.reset)

    def flags(self, group='filter_scheduler', **kwargs):
        for name, value in kwargs.items():
            self.conf.set_override(name, value, group=group)

    def weigher(self):
        return self.weigher_cls(self.conf)

    def request(self, **spec_fields):
        spec_fields.setdefault('flavor', {'vcpus': 1, 'memory_mb': 512,
                                          'root_gb': 1})
        spec = request_spec.RequestSpec.from_components(**spec_fields)
        return gantt_request.from_spec(spec, self.conf, now=test_hosts.NOW)

    def state(self, hosts, aggregates=(), instances=()):
        return test_hosts.make_state(hosts, aggregates, instances)

    def raw(self, weigher, state, request, rows=None):
        """Raw scores by both paths; they must be identical."""
        rows = state.rows() if rows is None else np.asarray(rows)
        vector = np.asarray(weigher.raw_weights(state, rows, request),
                            dtype=np.float64)
        reference = [weigher.weigh_object(state.view(r), request)
                     for r in rows]
        self.assertEqual(len(rows), len(vector))
        self.assertEqual(reference, vector.tolist())
        return reference

    def multipliers(self, weigher, state, rows=None):
        """Multipliers by both paths; they must be identical."""
        rows = state.rows() if rows is None else np.asarray(rows)
        vector = np.asarray(weigher.multipliers(state, rows),
                            dtype=np.float64)
        reference = [weigher.weight_multiplier(state.view(r)) for r in rows]
        self.assertEqual(reference, vector.tolist())
        return reference


def plain_hosts(count=3):
    return [{'name': 'h%d' % i, 'ram': 1024, 'vcpus': 4, 'disk': 10}
            for i in range(count)]


class MultiplierCases(object):
    """Per-aggregate multiplier cases; set `option` (and `group`, `key`)."""

    option = None
    group = 'filter_scheduler'
    key = None
    #: -1 for a weigher whose multiplier is minus the configured value.
    sign = 1.0

    def _key(self):
        return self.key or self.option

    def test_multiplier_is_conf_value_without_aggregates(self):
        self.flags(group=self.group, **{self.option: -2.5})
        state = self.state(plain_hosts())
        self.assertEqual([self.sign * -2.5] * 3,
                         self.multipliers(self.weigher(), state))

    def test_aggregate_metadata_overrides_and_smallest_wins(self):
        self.flags(group=self.group, **{self.option: 1.5})
        key = self._key()
        state = self.state(plain_hosts(), aggregates=[
            {'name': 'a1', 'hosts': ['h0', 'h1'], 'metadata': {key: '3'}},
            {'name': 'a2', 'hosts': ['h1'], 'metadata': {key: '-2'}},
            {'name': 'a3', 'hosts': ['h2'], 'metadata': {'other': 'x'}},
        ])
        self.assertEqual([self.sign * m for m in (3.0, -2.0, 1.5)],
                         self.multipliers(self.weigher(), state))

    def test_invalid_metadata_keeps_conf_value_and_warns_once(self):
        self.flags(group=self.group, **{self.option: 1.5})
        key = self._key()
        logger = self.useFixture(fixtures.FakeLogger(
            name='gantt.weighers.multiplier'))
        state = self.state(plain_hosts(), aggregates=[
            {'name': 'a1', 'hosts': ['h0', 'h1'], 'metadata': {key: 'lots'}},
            {'name': 'a2', 'hosts': ['h1', 'h2'], 'metadata': {key: '0.5'}},
        ])
        weigher = self.weigher()
        expected = [self.sign * m for m in (1.5, 1.5, 0.5)]
        self.assertEqual(expected, self.multipliers(weigher, state))
        self.assertEqual(expected, self.multipliers(weigher, state))
        self.assertEqual(
            1, logger.output.count('ignoring aggregate metadata'))
        self.assertIn("'lots'", logger.output)

    def test_non_finite_metadata_is_invalid(self):
        self.flags(group=self.group, **{self.option: 1.5})
        state = self.state(plain_hosts(1), aggregates=[
            {'name': 'a1', 'hosts': ['h0'],
             'metadata': {self._key(): 'nan'}}])
        self.assertEqual([self.sign * 1.5],
                         self.multipliers(self.weigher(), state))


def weighed(test, weighers, state, request, rows=None):
    """{host name: total} by weigh(), checked against weigh_reference()."""
    from gantt.weighers import handler
    rows = state.rows() if rows is None else np.asarray(rows)
    ranked, totals = handler.weigh(weighers, state, rows, request)
    ref_ranked, ref_totals = handler.weigh_reference(
        weighers, [state.view(r) for r in rows], request)
    test.assertEqual(ref_ranked, ranked.tolist())
    test.assertEqual(ref_totals, totals.tolist())
    return {state.hosts[r]: t for r, t in zip(ranked.tolist(),
                                              totals.tolist())}


def best(test, weighers, state, request):
    """The name of the host ranked first."""
    totals = weighed(test, weighers, state, request)
    return next(iter(totals))
