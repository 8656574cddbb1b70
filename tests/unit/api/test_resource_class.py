from tests.unit.api import base


class ResourceClassTest(base.APITestCase):

    def test_put_creates_a_custom_class_once_from_1_7(self):
        self.ok('PUT', '/resource_classes/CUSTOM_FPGA', status=201)
        self.ok('PUT', '/resource_classes/CUSTOM_FPGA', status=204)
        self.assertEqual('CUSTOM_FPGA', self.ok(
            'GET', '/resource_classes/CUSTOM_FPGA')['name'])

    def test_put_before_1_7_renames_an_unused_custom_class(self):
        self.ok('PUT', '/resource_classes/CUSTOM_OLD', status=201)
        renamed = self.ok('PUT', '/resource_classes/CUSTOM_OLD',
                          {'name': 'CUSTOM_NEW'}, version='1.6')
        self.assertEqual('CUSTOM_NEW', renamed['name'])
        self.error('GET', '/resource_classes/CUSTOM_OLD', status=404)
        self.ok('GET', '/resource_classes/CUSTOM_NEW')
        error = self.error('PUT', '/resource_classes/VCPU',
                           {'name': 'CUSTOM_CPU'}, version='1.6',
                           status=400)
        self.assertIn('Cannot update standard resource class VCPU',
                      error['detail'])

    def test_post_refuses_a_duplicate_and_a_standard_name(self):
        self.ok('POST', '/resource_classes', {'name': 'CUSTOM_A'},
                status=201)
        self.error('POST', '/resource_classes', {'name': 'CUSTOM_A'})
        self.error('POST', '/resource_classes', {'name': 'VCPU'},
                   status=400)

    def test_refuses_to_delete_a_class_an_inventory_offers(self):
        self.provider('rp', inventories={'CUSTOM_FPGA': 2})
        self.error('DELETE', '/resource_classes/CUSTOM_FPGA')
        self.ok('PUT', '/resource_classes/CUSTOM_SPARE', status=201)
        self.ok('DELETE', '/resource_classes/CUSTOM_SPARE', status=204)
        self.error('GET', '/resource_classes/CUSTOM_SPARE', status=404)
