"""Aggregate.availability_zone comes from the aggregate's metadata."""

import testtools

from gantt.objects import aggregate


class TestAggregate(testtools.TestCase):

    def test_availability_zone_from_metadata(self):
        agg = aggregate.Aggregate(name='rack1', hosts=['c1', 'c2'],
                                  metadata={'availability_zone': 'az1'})
        self.assertEqual('az1', agg.availability_zone)

    def test_no_availability_zone(self):
        agg = aggregate.Aggregate(metadata={'cpu_weight_multiplier': '2'})
        self.assertIsNone(agg.availability_zone)

    def test_none_metadata(self):
        self.assertIsNone(aggregate.Aggregate(metadata=None).availability_zone)

    def test_defaults(self):
        agg = aggregate.Aggregate()
        self.assertEqual([], agg.hosts)
        self.assertEqual({}, agg.metadata)
