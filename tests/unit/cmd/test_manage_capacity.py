"""gantt-manage capacity: its arguments and its tables."""

import testtools

from gantt.cmd import manage_capacity as cap


def _answer(total, fitting, passed, by_az=(), limited=None, exact=True,
            hosts=()):
    return {'total': total, 'fitting': fitting, 'passed': passed,
            'exact': exact, 'limited_by': limited or {}, 'by_cell': [],
            'by_az': list(by_az), 'by_aggregate': [], 'hosts': list(hosts)}


class TestArguments(testtools.TestCase):

    def test_flavor_is_name_vcpus_ram_disk(self):
        self.assertEqual(('m1.small', 1, 2048, 20),
                         cap.parse_flavor('m1.small:1:2048:20'))

    def test_bad_flavors_say_what_is_expected(self):
        for text, words in (('m1.small', 'NAME:VCPUS:RAM_MB:DISK_GB'),
                            ('m1:x:2048:20', 'whole numbers'),
                            ('m1:1:-5:20', 'negative'),
                            (':1:2:3', 'NAME:VCPUS')):
            error = self.assertRaises(cap.BadArgument, cap.parse_flavor,
                                      text)
            self.assertIn(words, str(error))

    def test_extra_specs_and_groupings(self):
        self.assertEqual({'trait:CUSTOM_SSD': 'required', 'a': 'b=c'},
                         cap.parse_extra_specs(['trait:CUSTOM_SSD=required',
                                                'a=b=c']))
        self.assertRaises(cap.BadArgument, cap.parse_extra_specs, ['novalue'])
        self.assertEqual(['az', 'cell'], cap.parse_groupings('az, cell'))
        error = self.assertRaises(cap.BadArgument, cap.parse_groupings,
                                  'rack')
        self.assertIn('choose among cell, az, aggregate', str(error))

    def test_spec_carries_the_flavor_and_extra_specs(self):
        spec = cap.build_spec(('m1', 2, 4096, 40), {'trait:CUSTOM_X':
                                                    'required'}, az='az1')
        self.assertEqual((2, 4096, 40), (spec.flavor.vcpus,
                                         spec.flavor.memory_mb,
                                         spec.flavor.root_gb))
        self.assertEqual({'trait:CUSTOM_X': 'required'},
                         spec.flavor.extra_specs)
        self.assertEqual('az1', spec.availability_zone)


class TestTables(testtools.TestCase):

    def test_one_line_per_flavor_then_a_column_per_flavor(self):
        answers = [
            (('small', 1, 2048, 20), _answer(
                24, 2, 3, by_az=[{'name': 'az1', 'instances': 16,
                                  'hosts': 1},
                                 {'name': 'nova', 'instances': 8,
                                  'hosts': 1}],
                limited={'MEMORY_MB': 2, 'VCPU': 1})),
            (('large', 4, 8192, 80), _answer(
                0, 0, 3, by_az=[{'name': 'az1', 'instances': 0,
                                 'hosts': 0}], exact=False))]
        out = cap.format_answers(answers, ['az']).splitlines()
        self.assertEqual(['flavor', 'vcpus', 'ram_mb', 'disk_gb', 'fits',
                          'hosts', 'limited', 'by', '(hosts)'],
                         out[0].split())
        self.assertEqual(['small', '1', '2048', '20', '24', '2/3',
                          'MEMORY_MB', 'on', '2,', 'VCPU', 'on', '1'],
                         out[1].split())
        self.assertIn('at least (tree count capped)', out[2])
        self.assertEqual(['zone', 'small', 'large'], out[4].split())
        self.assertEqual(['az1', '16', '0'], out[5].split())
        self.assertEqual(['nova', '8', '0'], out[6].split())

    def test_refusal_and_host_lists(self):
        refused = dict(_answer(0, 0, 0), refused='no aggregate for p1')
        out = cap.format_answers([(('s', 1, 1, 1), refused)])
        self.assertIn('refused: no aggregate for p1', out)
        out = cap.format_answers([(('s', 1, 1, 1), _answer(
            3, 1, 1, hosts=[{'host': 'h1', 'nodename': 'n1',
                             'instances': 3}]))], hosts=5)
        self.assertEqual(['h1', 'n1', '3'], out.splitlines()[-1].split())
