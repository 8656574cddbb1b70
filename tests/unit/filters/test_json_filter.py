"""JsonFilter: the `query` hint, its operators and their edge cases."""

import json
import random

import testscenarios

from gantt import exception
from gantt.filters import json_filter
from tests.unit.filters import base
from tests.unit.filters import matchers

ALL = ['bare', 'kvm1', 'kvm2', 'qemu', 'xen']


def _case(query, expected):
    return {'query': query, 'expected': expected}


class JsonFilterTestCase(testscenarios.WithScenarios, base.FilterTestCase):
    """Free RAM: kvm1 7168, kvm2 2048, qemu 512, bare 0, xen 4096."""

    filter_class = json_filter.JsonFilter

    scenarios = [
        ('ge', _case(['>=', '$free_ram_mb', 2048], ['kvm1', 'kvm2', 'xen'])),
        ('lt', _case(['<', '$free_ram_mb', 1024], ['bare', 'qemu'])),
        ('le', _case(['<=', '$free_ram_mb', 512], ['bare', 'qemu'])),
        ('gt', _case(['>', '$free_ram_mb', 4096], ['kvm1'])),
        ('eq_number', _case(['=', '$free_ram_mb', 4096], ['xen'])),
        ('eq_text', _case(['=', '$hypervisor_type', 'kvm'],
                          ['kvm1', 'kvm2'])),
        ('in', _case(['in', '$hypervisor_type', 'kvm', 'qemu'],
                     ['kvm1', 'kvm2', 'qemu'])),
        # A variable that is None is dropped: bare has no hypervisor type.
        ('in_literal_first', _case(['in', 'kvm', '$hypervisor_type'],
                                   ['kvm1', 'kvm2'])),
        ('same_variable_twice',
         _case(['=', '$hypervisor_type', '$hypervisor_type'],
               ['kvm1', 'kvm2', 'qemu', 'xen'])),
        ('unknown_variable', _case(['=', '$no_such', 1], [])),
        ('method_is_not_a_variable', _case(['=', '$free', '$free'], [])),
        ('literals_only', _case(['<', 1, 2], ALL)),
        ('one_argument', _case(['=', '$free_ram_mb'], [])),
        ('first_compared_with_each_later',
         _case(['<', 0, '$free_ram_mb', 5000],
               ['kvm1', 'kvm2', 'qemu', 'xen'])),
        ('empty_string_dropped',
         _case(['=', '', '$hypervisor_type', 'kvm'], ['kvm1', 'kvm2'])),
        ('null_dropped', _case(['=', None, 1, 1], ALL)),
        ('and', _case(['and', ['>', '$vcpus_total', 2],
                       ['<', '$num_instances', 5]], ['kvm1', 'xen'])),
        ('or', _case(['or', ['=', '$hypervisor_type', 'qemu'],
                      ['>=', '$free_disk_mb', 409600]], ['kvm1', 'qemu'])),
        ('not', _case(['not', ['=', '$hypervisor_type', 'kvm']],
                      ['bare', 'qemu', 'xen'])),
        ('not_any_of_several',
         _case(['not', ['=', '$hypervisor_type', 'kvm'],
                ['=', '$hypervisor_type', 'xen']], ALL)),
        ('not_bool_variable', _case(['not', '$disabled'],
                                    ['bare', 'kvm1', 'kvm2', 'qemu'])),
        ('and_of_variable', _case(['and', '$disabled'], ['xen'])),
        ('or_of_number_variable', _case(['or', '$free_ram_mb'],
                                        ['kvm1', 'kvm2', 'qemu', 'xen'])),
        ('empty_or', _case(['or'], [])),
        ('empty_and', _case(['and'], ALL)),
        ('empty_subquery_is_true',
         _case(['and', [], ['>', '$free_ram_mb', 5000]], ['kvm1'])),
        ('bool_literal_vs_subquery',
         _case(['=', True, ['>', '$free_ram_mb', 5000]], ['kvm1'])),
        ('stats_text', _case(['=', '$stats.numa', '2'], ['kvm1'])),
        ('stats_text_is_not_number', _case(['=', '$stats.numa', 2], [])),
        ('stats_text_vs_number_order', _case(['>', '$stats.numa', 1], [])),
        ('stats_in', _case(['in', '$stats.gpu', 'tesla', 'v100'], ['kvm1'])),
        ('metric', _case(['>', '$metrics.load', 1], ['qemu'])),
        ('metric_missing_on_host', _case(['<', '$metrics.load', 1],
                                         ['kvm1'])),
        ('dotted_metric_name_unreachable',
         _case(['=', '$metrics.cpu.freq', 2.4], [])),
        # `not` returns a list: empty where its argument was dropped, and
        # a non-empty list is true for `and`.
        ('not_list_top_level', _case(['not', '$metrics.load'], [])),
        ('not_list_truthy', _case(['and', ['not', '$metrics.load']],
                                  ['kvm1', 'qemu'])),
        ('string_order', _case(['<', '$hypervisor_type', 'l'],
                               ['kvm1', 'kvm2'])),
        ('number_vs_text_order', _case(['>', '$free_ram_mb', 'abc'], [])),
        ('number_vs_text_equal', _case(['=', '$free_ram_mb', 'abc'], [])),
        ('dict_argument', _case(['=', {'a': 1}, '$free_ram_mb'], [])),
        ('service_host', _case(['=', '$host', 'kvm2'], ['kvm2'])),
        ('availability_zone', _case(['=', '$availability_zone', 'nova'],
                                    ALL)),
        ('hypervisor_version', _case(['>=', '$hypervisor_version', 4000000],
                                     ['kvm1', 'kvm2'])),
        ('nested_deep', _case(['or', ['and', ['<', '$free_ram_mb', 5000],
                                      ['>', '$vcpus_total', 3]],
                               ['=', '$host', 'bare']],
                              ['bare', 'kvm2', 'xen'])),
        # As in the compute controller, a nested `not` is a list, and a
        # non-empty list is true whatever it holds.
        ('nested_not_is_always_true',
         _case(['and', ['not', ['=', '$host', 'xen']],
                ['>', '$vcpus_total', 3]], ['kvm1', 'kvm2', 'xen'])),
        ('empty_query', _case([], ALL)),
    ]

    def test_filter(self):
        request = self.request(
            scheduler_hints={'query': [json.dumps(self.query)]})
        self.assert_filter(matchers.varied_state(), request, self.expected)
        matchers.assert_paths_agree(self, self.make_filter(),
                                    matchers.varied_state(), request)


class InvalidQueryTestCase(testscenarios.WithScenarios, base.FilterTestCase):

    filter_class = json_filter.JsonFilter

    scenarios = [
        ('not_json', {'hint': ['>= $free_ram_mb 1']}),
        ('truncated', {'hint': ['["=", 1']}),
        ('object', {'hint': ['{"=": [1, 1]}']}),
        ('string', {'hint': ['"abc"']}),
        ('number', {'hint': ['5']}),
        ('unknown_operator', {'hint': ['["~", "$free_ram_mb", 1]']}),
        ('unknown_nested_operator',
         {'hint': ['["and", ["=", 1, 1], ["foo", 1]]']}),
        ('operator_not_a_string', {'hint': ['[1, 2]']}),
        ('list_as_operator', {'hint': ['[["=", 1, 1]]']}),
        ('too_deep', {'hint': [json.dumps(
            json.loads('["and", ' * 100 + '1' + ']' * 100))]}),
        ('several_values', {'hint': ['["=", 1, 1]', '["=", 2, 2]']}),
    ]

    def test_invalid_hint(self):
        request = self.request(scheduler_hints={'query': self.hint})
        state = matchers.varied_state()
        flt = self.make_filter()
        err = self.assertRaises(exception.InvalidHint, flt.filter_mask,
                                state, request)
        self.assertIn('query', str(err))
        self.assertRaises(exception.InvalidHint, flt.host_passes,
                          state.view(0), request)


class JsonFilterDetailsTestCase(base.FilterTestCase):

    filter_class = json_filter.JsonFilter

    def test_runs_for_every_instance(self):
        self.assertFalse(self.filter_class.run_filter_once_per_request)

    def test_no_hint_passes_all(self):
        self.assert_filter(matchers.varied_state(), self.request(), ALL)

    def test_empty_hint_passes_all(self):
        request = self.request(scheduler_hints={'query': ['']})
        self.assert_filter(matchers.varied_state(), request, ALL)

    def test_removed_host_row(self):
        state = matchers.varied_state()
        state.remove_node('uuid-kvm1')
        request = self.request(scheduler_hints={
            'query': [json.dumps(['>=', '$free_ram_mb', 2048])]})
        self.assert_filter(state, request, ['kvm2', 'xen'])

    def test_random_queries_agree_on_every_row(self):
        rng = random.Random(20261121)
        state = matchers.varied_state()
        flt = self.make_filter()
        for _ in range(300):
            query = _random_query(rng, depth=0)
            request = self.request(
                scheduler_hints={'query': [json.dumps(query)]})
            try:
                matchers.assert_paths_agree(self, flt, state, request)
            except AssertionError as err:
                self.fail('%s: %s' % (json.dumps(query), err))


_LEAVES = ['$free_ram_mb', '$free_disk_mb', '$vcpus_total', '$vcpus_used',
           '$hypervisor_type', '$hypervisor_version', '$num_instances',
           '$stats.numa', '$stats.gpu', '$metrics.load', '$no_such',
           '$disabled', '$host', '$cpu_info', '$stats', '$metrics',
           'kvm', 'xen', '2', '', None, True, False, 0, 1, 2, 512, 2048,
           4096.0, 2.5, -1, {'a': 1}]


def _random_query(rng, depth):
    op = rng.choice(sorted(json_filter.OPERATORS))
    args = []
    for _ in range(rng.randint(0, 4)):
        if depth < 3 and rng.random() < 0.3:
            args.append(_random_query(rng, depth + 1))
        else:
            args.append(rng.choice(_LEAVES))
    return [op] + args
