from oslo_serialization import jsonutils
import webob

from tests.unit.api import base


class MicroversionTest(base.APITestCase):

    def test_answers_the_version_it_was_asked_for(self):
        _code, _data, resp = self.call('GET', '/', version='1.28')
        self.assertEqual('placement 1.28', resp.headers[
            'OpenStack-API-Version'])

    def test_latest_is_the_newest_version(self):
        _code, data, resp = self.call('GET', '/', version='latest')
        self.assertEqual('placement 1.39', resp.headers[
            'OpenStack-API-Version'])
        self.assertEqual('1.39', data['versions'][0]['max_version'])

    def test_refuses_a_version_out_of_range_with_406(self):
        error = self.error('GET', '/', version='1.99', status=406)
        self.assertIn('1.99', error['detail'])

    def test_refuses_a_malformed_version_with_400(self):
        self.error('GET', '/', version='one', status=400)


class RoutingTest(base.APITestCase):

    def test_unknown_path_is_404_in_placement_format(self):
        error = self.error('GET', '/nothing/here', status=404)
        self.assertEqual('placement.undefined_code', error['code'])

    def test_wrong_method_is_405_naming_the_allowed_ones(self):
        code, _data, resp = self.call('PATCH', '/traits')
        self.assertEqual(405, code)
        self.assertEqual('GET', resp.headers['Allow'])

    def test_refuses_a_body_that_is_not_json(self):
        code, data, _resp = self.call('POST', '/resource_providers',
                                      raw=b'{not json')
        self.assertEqual(400, code)
        self.assertIn('JSON', data['errors'][0]['detail'])


class PlacementContractTest(base.APITestCase):

    def test_path_before_its_microversion_is_404(self):
        self.error('GET', '/traits', version='1.5', status=404)
        self.error('POST', '/allocations', {}, version='1.12', status=404)
        self.ok('GET', '/traits', version='1.6')

    def _raw(self, method, path, headers, body=None):
        req = webob.Request.blank(path, method=method, headers=headers)
        if body is not None:
            req.body = body
        resp = req.get_response(self.app)
        return resp.status_int, jsonutils.loads(resp.body)

    def test_refuses_a_request_that_accepts_no_json_with_406(self):
        code, _data = self._raw('GET', '/resource_providers',
                                {'Accept': 'text/plain'})
        self.assertEqual(406, code)

    def test_body_without_content_type_is_400(self):
        code, data = self._raw('POST', '/resource_providers', {}, b'{}')
        self.assertEqual(400, code)
        self.assertIn('content-type', data['errors'][0]['detail'])

    def test_error_for_a_browser_is_an_html_page(self):
        req = webob.Request.blank('/', headers={
            'Accept': 'text/html',
            'OpenStack-API-Version': 'placement 0.5'})
        resp = req.get_response(self.app)
        self.assertEqual(406, resp.status_int)
        self.assertTrue(resp.content_type.startswith('text/html'))
        self.assertIn(b'Unacceptable version header: 0.5',
                      resp.body)
