"""nova's Aggregate and Instance (with their lists) as the API and computes
cast them to the scheduler: aggregate membership and metadata, and which
instances a host runs (uuid, host and node are all Gantt reads of them).
"""

from oslo_versionedobjects import fields

from gantt.nova import base


@base.register
class Aggregate(base.NovaObject):
    VERSION = '1.3'

    fields = {
        'id': fields.IntegerField(),
        'uuid': fields.UUIDField(),
        'name': fields.StringField(),
        'hosts': fields.ListOfStringsField(nullable=True),
        'metadata': fields.DictOfStringsField(nullable=True),
    }


@base.register
class AggregateList(base.NovaObjectList, base.NovaObject):
    VERSION = '1.3'

    fields = {
        'objects': fields.ListOfObjectsField('Aggregate'),
    }


@base.register
class Instance(base.NovaObject):
    VERSION = '2.8'

    fields = {
        'id': fields.IntegerField(),
        'uuid': fields.UUIDField(),
        'host': fields.StringField(nullable=True),
        'node': fields.StringField(nullable=True),
    }


@base.register
class InstanceList(base.NovaObjectList, base.NovaObject):
    VERSION = '2.6'

    fields = {
        'objects': fields.ListOfObjectsField('Instance'),
    }
