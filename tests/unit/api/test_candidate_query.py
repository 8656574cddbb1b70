"""GET /allocation_candidates' query read as placement reads it, per
microversion (gantt.api.candidate_query)."""

import urllib.parse

import testtools
import webob

from gantt.api import candidate_query
from gantt.api import errors


def _parse(query, version=(1, 39), unknown_classes=(), unknown_traits=()):
    req = webob.Request.blank('/allocation_candidates?' + query)
    req.environ['gantt.version'] = version
    return candidate_query.parse(
        req, lambda names: sorted(n for n in names if n in unknown_classes),
        lambda names: sorted(n for n in names if n in unknown_traits))


class TestCandidateQuery(testtools.TestCase):

    def refused(self, query, version=(1, 39), **kw):
        e = self.assertRaises(errors.Error, _parse, query, version, **kw)
        self.assertEqual(400, e.status)
        return e.detail

    def test_groups_by_suffix_with_any_of_and_forbidden_traits(self):
        query = _parse(urllib.parse.urlencode([
            ('resources', 'VCPU:2'), ('required', 'in:CUSTOM_A,CUSTOM_B'),
            ('required', '!CUSTOM_C'), ('resources_NIC', 'SRIOV_NET_VF:1'),
            ('member_of_NIC', 'in:%s,%s' % ('a' * 32, 'b' * 32)),
            ('group_policy', 'isolate'), ('limit', '3'), ('limit', '9')]))
        groups = query.groups
        self.assertEqual({'VCPU': 2}, groups.unnumbered.resources)
        self.assertEqual([frozenset({'CUSTOM_A', 'CUSTOM_B'})],
                         groups.unnumbered.required_any)
        self.assertEqual({'CUSTOM_C'}, groups.unnumbered.forbidden)
        [nic] = groups.numbered
        self.assertEqual('_NIC', nic.suffix)
        self.assertEqual([frozenset({'a' * 32, 'b' * 32})], nic.member_of)
        self.assertEqual('isolate', groups.group_policy)
        self.assertEqual(3, query.limit)

    def test_before_1_39_the_last_required_counts(self):
        query = _parse('resources=VCPU:1&required=CUSTOM_A&required=CUSTOM_B',
                       version=(1, 38))
        self.assertEqual({'CUSTOM_B'}, query.groups.unnumbered.required)

    def test_refusals_name_what_is_wrong(self):
        for query, version, words in (
                ('resources=VCPU:0', (1, 10), 'requires amount >= 1'),
                ('resources=VCPU', (1, 10), 'Badly formed resources'),
                ('resources=VCPU:1&required=!CUSTOM_A', (1, 21),
                 'HW_CPU_X86_VMX,CUSTOM_MAGIC. Got: !CUSTOM_A'),
                ('resources=VCPU:1&required=in:CUSTOM_A', (1, 38),
                 'only supported since microversion 1.39'),
                ('resources=VCPU:1&member_of=x', (1, 21),
                 "'member_of' parameter to contain valid UUID(s)"),
                ('resources=VCPU:1&in_tree=x', (1, 31),
                 "'in_tree' parameter to be a format of uuid"),
                ('resources=VCPU:1&required=CUSTOM_A,!CUSTOM_A', (1, 22),
                 'Conflicting required and forbidden traits'),
                ('resources=VCPU:1&root_required=CUSTOM_A&'
                 'root_required=CUSTOM_B', (1, 35),
                 "'root_required' may be specified only once"),
                ('resources1=VCPU:1&same_subtree=1,', (1, 36),
                 'Empty string (unsuffixed group) can not be specified'),
                ('resources1=VCPU:1&same_subtree=_X', (1, 36),
                 'Real suffixes should be specified in `same_subtree`'),
                ('required=CUSTOM_A', (1, 36),
                 'There must be at least one resources'),
                ('required1=CUSTOM_A&resources=VCPU:1', (1, 25),
                 'orphaned traits keys: required1')):
            self.assertIn(words, self.refused(query, version), query)

    def test_unknown_names_are_refused_after_the_form(self):
        self.assertIn('No such resource class CUSTOM_X',
                      self.refused('resources=CUSTOM_X:1',
                                   unknown_classes={'CUSTOM_X'}))
        self.assertIn('No such trait(s): CUSTOM_T',
                      self.refused('resources=VCPU:1&required=CUSTOM_T',
                                   unknown_traits={'CUSTOM_T'}))
