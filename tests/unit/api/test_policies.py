"""The policy table: every call gantt-api serves has exactly one rule,
named and defaulted as placement's."""

import testtools

from gantt.api import app
from gantt.api import policies


class PolicyTableTest(testtools.TestCase):

    def test_every_route_and_method_has_a_rule_or_is_public(self):
        for route, methods in app.ROUTES.items():
            for method in methods:
                if (route, method) in policies.PUBLIC:
                    self.assertIsNone(policies.rule_for(route, method))
                else:
                    self.assertTrue(
                        policies.rule_for(route, method).startswith(
                            'placement:'), (method, route))

    def test_every_rule_guards_a_route_that_exists(self):
        for rule in policies.ROUTE_RULES:
            self.assertTrue(rule.operations, rule.name)
            for op in rule.operations:
                self.assertIn(op['method'],
                              app.ROUTES.get(op['path'], {}),
                              '%s names %s %s, which gantt-api does not '
                              'serve' % (rule.name, op['method'],
                                         op['path']))

    def test_an_unguarded_call_is_a_loud_error(self):
        error = self.assertRaises(LookupError, policies.rule_for,
                                  '/resource_providers', 'PATCH')
        self.assertIn('PATCH /resource_providers', str(error))

    def test_rule_names_are_unique_and_all_listed(self):
        names = [r.name for r in policies.list_rules()]
        self.assertEqual(len(names), len(set(names)))
        self.assertLessEqual(set(policies.BY_ROUTE.values()), set(names))

    def test_writes_need_admin_or_service_and_usages_a_project_reader(self):
        defaults = {r.name: r.check_str for r in policies.list_rules()}
        self.assertEqual(policies.ADMIN_OR_SERVICE,
                         defaults['placement:resource_providers:create'])
        self.assertEqual(policies.ADMIN_OR_PROJECT_READER_OR_SERVICE,
                         defaults['placement:usages'])
        self.assertEqual(policies.SERVICE,
                         defaults['placement:reshaper:reshape'])
        self.assertEqual('role:reader and project_id:%(project_id)s',
                         defaults['project_reader_api'])

    def test_legacy_admin_rule_backs_every_new_base_rule(self):
        deprecated = {r.name: r.deprecated_rule.check_str
                      for r in policies.BASE_RULES if r.deprecated_rule}
        self.assertEqual(
            {'service_api': 'role:admin',
             'admin_or_service_api': 'role:admin',
             'project_reader_api': 'role:admin',
             'admin_or_project_reader_or_service_api': 'role:admin'},
            deprecated)
