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
