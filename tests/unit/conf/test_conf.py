"""build_conf: a private, fully registered configuration object."""

import fixtures
import testtools

from gantt import conf as gantt_conf


class TestBuildConf(testtools.TestCase):

    def test_defaults_other_parts_rely_on(self):
        conf = gantt_conf.build_conf()
        self.assertEqual('/var/lib/gantt', conf.state_path)
        self.assertEqual(60, conf.service_down_time)
        self.assertEqual('nova', conf.default_availability_zone)
        self.assertEqual('scheduler', conf.scheduler.topic)
        self.assertEqual(1, conf.scheduler.workers)
        self.assertEqual(3, conf.scheduler.max_attempts)
        self.assertEqual(1, conf.filter_scheduler.host_subset_size)
        self.assertEqual(-1.0, conf.filter_scheduler.io_ops_weight_multiplier)
        self.assertEqual([], conf.metrics.weight_setting)
        self.assertIsNone(conf.upgrade_levels.scheduler)
        self.assertIsNone(conf.database.connection)

    def test_messaging_groups_registered_on_private_conf(self):
        conf = gantt_conf.build_conf()
        self.assertFalse(conf.oslo_messaging_metrics.metrics_enabled)
        self.assertFalse(conf.oslo_messaging_tracing.tracing_enabled)
        self.assertIn('heartbeat_timeout_threshold',
                      conf.oslo_messaging_rabbit)

    def test_confs_do_not_share_overrides(self):
        first = gantt_conf.build_conf()
        second = gantt_conf.build_conf()
        first.set_override('topic', 'elsewhere', group='scheduler')
        first.set_override('ram_weight_multiplier', -1.0,
                           group='filter_scheduler')
        self.assertEqual('scheduler', second.scheduler.topic)
        self.assertEqual(1.0, second.filter_scheduler.ram_weight_multiplier)

    def test_reads_config_file(self):
        path = self.useFixture(fixtures.TempDir()).join('gantt.conf')
        with open(path, 'w') as f:
            f.write('[DEFAULT]\nstate_path = /tmp/x\n'
                    '[scheduler]\nworkers = 4\n')
        conf = gantt_conf.build_conf(['--config-file', path])
        self.assertEqual('/tmp/x', conf.state_path)
        self.assertEqual(4, conf.scheduler.workers)

    def test_sighup_reloads_mutable_knobs_only(self):
        path = self.useFixture(fixtures.TempDir()).join('gantt.conf')
        with open(path, 'w') as f:
            f.write('[scheduler]\ntopic = a\n')
        conf = gantt_conf.build_conf(['--config-file', path])
        with open(path, 'w') as f:
            f.write('[scheduler]\ntopic = b\n'
                    '[filter_scheduler]\nhost_subset_size = 5\n'
                    'enabled_filters = RamFilter\n')
        conf.mutate_config_files()
        self.assertEqual(5, conf.filter_scheduler.host_subset_size)
        self.assertEqual(['RamFilter'], conf.filter_scheduler.enabled_filters)
        self.assertEqual('a', conf.scheduler.topic)

    def test_weights_and_filters_are_mutable(self):
        conf = gantt_conf.build_conf()
        group = conf._groups['filter_scheduler']  # noqa: the only way in
        mutable = {name for name, info in group._opts.items()
                   if info['opt'].mutable}
        for name in ('enabled_filters', 'enabled_weighers',
                     'host_subset_size', 'ram_weight_multiplier',
                     'build_failure_weight_multiplier'):
            self.assertIn(name, mutable)


class TestLimits(testtools.TestCase):

    def test_limits_defaults_are_those_of_the_options(self):
        from gantt import limits
        conf = gantt_conf.build_conf()
        self.assertEqual(limits.DEFAULTS, limits.Limits(
            **{name: getattr(conf.limits, name)
               for name in limits.Limits._fields}))
