"""The extra-spec operator matcher, one scenario per operator edge."""

import numpy as np
import testscenarios
import testtools

from gantt.filters import extra_specs_ops


def _case(value, req, expected):
    return {'value': value, 'req': req, 'expected': expected}


class MatchTestCase(testscenarios.WithScenarios, testtools.TestCase):

    scenarios = [
        # A plain value is string equality.
        ('plain_equal', _case('kvm', 'kvm', True)),
        ('plain_differs', _case('kvm', 'xen', False)),
        ('plain_case_sensitive', _case('KVM', 'kvm', False)),
        ('plain_number_as_text', _case('1', '1.0', False)),
        ('plain_with_spaces', _case('a b', 'a b', True)),
        ('empty_req_empty_value', _case('', '', True)),
        ('empty_req', _case('x', '', False)),
        ('unknown_op_is_text', _case('>>> 1', '>>> 1', True)),
        ('unknown_op_differs', _case('2', '>>> 1', False)),
        ('none_value_plain', _case(None, 'kvm', False)),
        # `=` is "at least", as numbers.
        ('eq_greater', _case('2048', '= 1024', True)),
        ('eq_equal', _case('1024', '= 1024', True)),
        ('eq_float', _case('1024.5', '= 1024', True)),
        ('eq_less', _case('512', '= 1024', False)),
        ('eq_not_numeric_value', _case('abc', '= 1024', False)),
        ('eq_not_numeric_operand', _case('1024', '= abc', False)),
        ('eq_no_operand', _case('1024', '=', False)),
        ('eq_none_value', _case(None, '= 1', False)),
        # Numeric comparisons.
        ('eqeq_equal', _case('12', '== 12', True)),
        ('eqeq_float_equal', _case('12.0', '== 12', True)),
        ('eqeq_differs', _case('13', '== 12', False)),
        ('eqeq_text', _case('twelve', '== 12', False)),
        ('ne_differs', _case('13', '!= 12', True)),
        ('ne_equal', _case('12.0', '!= 12', False)),
        ('ne_text', _case('x', '!= 12', False)),
        ('ge_greater', _case('13', '>= 12', True)),
        ('ge_equal', _case('12', '>= 12', True)),
        ('ge_less', _case('11', '>= 12', False)),
        ('ge_numeric_not_lexical', _case('100', '>= 20', True)),
        ('le_less', _case('11', '<= 12', True)),
        ('le_equal', _case('12', '<= 12', True)),
        ('le_greater', _case('13', '<= 12', False)),
        ('le_negative', _case('-5', '<= -1', True)),
        ('le_text', _case('abc', '<= 1', False)),
        # String comparisons.
        ('s_eq_equal', _case('kvm', 's== kvm', True)),
        ('s_eq_differs', _case('kvm', 's== xen', False)),
        ('s_eq_numbers_as_text', _case('12.0', 's== 12', False)),
        ('s_ne_differs', _case('kvm', 's!= xen', True)),
        ('s_ne_equal', _case('kvm', 's!= kvm', False)),
        ('s_lt_lexical', _case('100', 's< 20', True)),
        ('s_lt_equal', _case('abc', 's< abc', False)),
        ('s_le_equal', _case('abc', 's<= abc', True)),
        ('s_le_greater', _case('abd', 's<= abc', False)),
        ('s_gt_lexical', _case('20', 's> 100', True)),
        ('s_gt_equal', _case('abc', 's> abc', False)),
        ('s_ge_equal', _case('abc', 's>= abc', True)),
        ('s_ge_less', _case('abb', 's>= abc', False)),
        ('s_no_operand', _case('abc', 's==', False)),
        # Substring and containment.
        ('in_substring', _case('aes mmx sse', '<in> mmx', True)),
        ('in_partial_word', _case('sse4_2', '<in> sse4', True)),
        ('in_missing', _case('aes mmx', '<in> avx', False)),
        ('in_first_operand_only', _case('aes', '<in> avx aes', False)),
        ('in_no_operand', _case('aes', '<in>', False)),
        ('in_none_value', _case(None, '<in> aes', False)),
        ('all_in_all', _case('aes mmx sse', '<all-in> aes sse', True)),
        ('all_in_one_missing', _case('aes mmx', '<all-in> aes avx', False)),
        ('all_in_single', _case('aes mmx', '<all-in> mmx', True)),
        ('all_in_list_text', _case("['aes', 'mmx']", '<all-in> aes mmx',
                                   True)),
        ('all_in_no_operand', _case('aes', '<all-in>', False)),
        # <or>: the operands sit between the <or> words.
        ('or_first', _case('kvm', '<or> kvm <or> xen', True)),
        ('or_second', _case('xen', '<or> kvm <or> xen', True)),
        ('or_none', _case('lxc', '<or> kvm <or> xen', False)),
        ('or_single', _case('kvm', '<or> kvm', True)),
        ('or_three', _case('c', '<or> a <or> b <or> c', True)),
        ('or_extra_spaces', _case('b', '  <or>   a   <or>   b  ', True)),
        ('or_value_with_space_never_matches',
         _case('a b', '<or> a b <or> c', False)),
        ('or_word_after_operand_is_separator',
         _case('b', '<or> a b <or> c', False)),
        ('or_trailing_or', _case('a', '<or> a <or>', True)),
        ('or_no_operand', _case('a', '<or>', False)),
        ('or_none_value', _case(None, '<or> a', False)),
        ('or_numbers_are_text', _case('1.0', '<or> 1 <or> 2', False)),
    ]

    def test_match(self):
        self.assertIs(self.expected,
                      extra_specs_ops.match(self.value, self.req))


class MatchNumbersTestCase(testscenarios.WithScenarios, testtools.TestCase):
    """match_numbers() agrees with match() on the text of each number."""

    values = [0, 1, 2.5, -3, 1024, 1024.0, 4096.5, float('nan'),
              float('inf')]

    scenarios = [(req, {'req': req}) for req in [
        '= 1024', '== 1024', '!= 1024', '>= 2.5', '<= 0', '= -3',
        '= abc', '==', '>= 1e3', '<= inf']]

    def test_agrees_with_match(self):
        for dtype in (np.float64, np.int64):
            values = np.array(self.values if dtype is np.float64 else
                              [0, 1, -3, 1024, 4096], dtype=dtype)
            expected = [extra_specs_ops.match(str(v), self.req)
                        for v in values.tolist()]
            self.assertEqual(
                expected,
                extra_specs_ops.match_numbers(values, self.req).tolist())

    def test_not_numeric_requirement(self):
        self.assertIsNone(extra_specs_ops.match_numbers(
            np.array([1.0]), 's== 1'))
        self.assertIsNone(extra_specs_ops.match_numbers(
            np.array([1.0]), '1'))
        self.assertIsNone(extra_specs_ops.match_numbers(
            np.array([True]), '= 1'))
