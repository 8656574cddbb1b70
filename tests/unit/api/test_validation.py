"""gantt.api.validation and gantt.api.query: the schema a microversion
picks, and refusals in placement's words."""

import testtools
import webob

from gantt.api import errors
from gantt.api import query
from gantt.api.schemas import allocation
from gantt.api.schemas import resource_provider
from gantt.api import validation


def _req(path='/', version=(1, 39), body=None, content_type=None):
    req = webob.Request.blank(path)
    req.environ['gantt.version'] = version
    if body is not None:
        req.body = body
    if content_type:
        req.content_type = content_type
    return req


class ValidationTest(testtools.TestCase):

    def test_picks_the_newest_schema_the_version_reaches(self):
        self.assertIs(allocation.ONE[2][1],
                      validation.pick(_req(version=(1, 27)), allocation.ONE))
        self.assertIs(allocation.ONE[3][1],
                      validation.pick(_req(version=(1, 28)), allocation.ONE))

    def test_refuses_a_body_that_is_not_json_as_415(self):
        e = self.assertRaises(errors.Error, validation.body, _req(
            body=b'{}', content_type='text/plain'), resource_provider.CREATE)
        self.assertEqual(415, e.status)
        self.assertIn('The media type text/plain is not supported', e.detail)

    def test_refuses_malformed_json(self):
        e = self.assertRaises(errors.Error, validation.body, _req(
            body=b'{', content_type='application/json'),
            resource_provider.CREATE)
        self.assertEqual(400, e.status)
        self.assertIn('Malformed JSON', e.detail)

    def test_schema_refusal_names_the_failed_rule(self):
        e = self.assertRaises(errors.Error, validation.body, _req(
            body=b'{"name": "a", "uuid": "nope"}',
            content_type='application/json'), resource_provider.CREATE)
        self.assertIn("JSON does not validate: 'nope' is not a 'uuid'",
                      e.detail)
        self.assertIn("Failed validating 'format'", e.detail)

    def test_query_refuses_a_parameter_its_version_lacks(self):
        e = self.assertRaises(errors.Error, validation.query, _req(
            '/resource_providers?in_tree=%s' % ('a' * 8), (1, 13)),
            resource_provider.LIST)
        self.assertIn('Invalid query string parameters: Additional '
                      'properties are not allowed', e.detail)


class QueryTest(testtools.TestCase):
    AGG = '83a3d69d-8920-48e2-8914-cadfd8fa2f91'

    def test_member_of_groups_and_forbidden(self):
        req = _req('/?member_of=in:%s&member_of=!%s' % (self.AGG, self.AGG))
        self.assertEqual(([{self.AGG}], {self.AGG}), query.member_of(req))

    def test_member_of_refused_before_their_microversions(self):
        for path, version, words in (
                ('/?member_of=%s&member_of=%s' % (self.AGG, self.AGG),
                 (1, 23), 'Multiple member_of parameters'),
                ('/?member_of=!%s' % self.AGG, (1, 31),
                 'Forbidden member_of parameters'),
                ('/?member_of=in:nope', (1, 39),
                 "Expected 'member_of' parameter to contain valid UUID(s)")):
            e = self.assertRaises(errors.Error, query.member_of,
                                  _req(path, version))
            self.assertIn(words, e.detail)

    def test_required_splits_forbidden_traits_from_1_22(self):
        self.assertEqual(({'A'}, {'B'}), query.required(
            _req('/?required=A,!B', (1, 22))))
        e = self.assertRaises(errors.Error, query.required,
                              _req('/?required=A,', (1, 22)))
        self.assertIn('Got an empty trait in: A,', e.detail)
