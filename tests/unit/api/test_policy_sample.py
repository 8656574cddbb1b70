"""etc/gantt/policy.yaml.sample is what oslopolicy-sample-generator writes
from gantt.api.policies now, and setup.cfg names the entry points the
oslo.policy commands load."""

import configparser
import importlib
import os

import fixtures
from oslo_policy import generator
import testtools

from gantt.api import policies

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))))
SAMPLE = os.path.join(ROOT, 'etc', 'gantt', 'policy.yaml.sample')


def _entry_points(group):
    cfg = configparser.ConfigParser()
    cfg.read(os.path.join(ROOT, 'setup.cfg'))
    lines = cfg['entry_points'][group].strip().splitlines()
    return dict((part.strip() for part in line.split('=', 1))
                for line in lines)


def _load(target):
    module, _sep, attr = target.partition(':')
    return getattr(importlib.import_module(module), attr)


class PolicySampleTest(testtools.TestCase):

    def test_committed_sample_matches_the_rules(self):
        out = self.useFixture(fixtures.TempDir()).join('policy.yaml.sample')
        # The generator's own code, given the rules the gantt entry point
        # names (installed or not).
        self.useFixture(fixtures.MonkeyPatch(
            'oslo_policy.generator.get_policies_dict',
            lambda namespaces: {'gantt': policies.list_rules()}))
        generator._generate_sample(['gantt'], out)
        with open(out) as fresh, open(SAMPLE) as committed:
            self.assertEqual(
                fresh.read(), committed.read(),
                'etc/gantt/policy.yaml.sample is stale; regenerate it with '
                'oslopolicy-sample-generator --config-file '
                'etc/gantt/gantt-policy-generator.conf')

    def test_setup_cfg_names_the_rules_and_the_enforcer(self):
        rules = _load(_entry_points('oslo.policy.policies')['gantt'])
        self.assertIs(policies.list_rules, rules)
        enforcer = _load(_entry_points('oslo.policy.enforcer')['gantt'])
        self.useFixture(fixtures.MonkeyPatch(
            'oslo_config.cfg.find_config_files', lambda project: []))
        self.assertIn('placement:reshaper:reshape', enforcer().rules)
