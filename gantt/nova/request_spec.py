"""nova's RequestSpec and the objects inside it, as far as Gantt reads them.

Each class declares the fields Gantt maps onto its own RequestSpec (see
gantt.nova.translate), with nova 34's versions and field types; the fields
it leaves out (security groups, requested networks, timestamps...) are
skipped when a spec is read. PCI requests (its ports' and its flavor's
resolved aliases) become Gantt's; network metadata goes back in the
Selection's NUMA limits; the NUMA topology is read so a spec carrying it
is taken, though Gantt derives the guest topology from the flavor and
image with the same rules.
"""

from oslo_versionedobjects import fields

from gantt.nova import base


@base.register
class Flavor(base.NovaObject):
    VERSION = '1.2'

    fields = {
        'id': fields.IntegerField(),
        'name': fields.StringField(nullable=True),
        'memory_mb': fields.IntegerField(),
        'vcpus': fields.IntegerField(),
        'root_gb': fields.IntegerField(),
        'ephemeral_gb': fields.IntegerField(),
        'flavorid': fields.StringField(),
        'swap': fields.IntegerField(),
        'rxtx_factor': fields.FloatField(nullable=True, default=1.0),
        'vcpu_weight': fields.IntegerField(nullable=True),
        'disabled': fields.BooleanField(),
        'is_public': fields.BooleanField(),
        'extra_specs': fields.DictOfStringsField(),
        'description': fields.StringField(nullable=True),
    }


@base.register
class ImageMetaProps(base.NovaObject):
    """An image's properties: the typed ones Gantt's filters know by name
    are declared (nova's enums read as strings, so a value a newer nova
    adds is not refused); every property received is kept in ``received``
    so the rest reach Gantt as its image's extra properties.
    """

    VERSION = '1.44'

    fields = {
        'hw_architecture': fields.StringField(),
        'img_hv_type': fields.StringField(),
        'hw_vm_mode': fields.StringField(),
        'img_hv_requested_version': fields.VersionPredicateField(),
        'os_type': fields.StringField(),
        'os_distro': fields.StringField(),
        'hw_machine_type': fields.StringField(),
        'hw_cpu_policy': fields.StringField(),
        'hw_mem_page_size': fields.StringField(),
        'hw_numa_nodes': fields.IntegerField(),
        'traits_required': fields.ListOfStringsField(),
    }

    @classmethod
    def _obj_from_primitive(cls, context, objver, primitive):
        obj = super()._obj_from_primitive(context, objver, primitive)
        obj.received = dict(primitive[cls._obj_primitive_key('data')])
        return obj


@base.register
class ImageMeta(base.NovaObject):
    VERSION = '1.8'

    fields = {
        'id': fields.UUIDField(),
        'name': fields.StringField(),
        'checksum': fields.StringField(),
        'container_format': fields.StringField(),
        'disk_format': fields.StringField(),
        'min_disk': fields.IntegerField(),
        'min_ram': fields.IntegerField(),
        'owner': fields.StringField(),
        'size': fields.IntegerField(),
        'properties': fields.ObjectField('ImageMetaProps'),
    }


@base.register
class InstanceGroup(base.NovaObject):
    VERSION = '1.11'

    fields = {
        'id': fields.IntegerField(),
        'user_id': fields.StringField(nullable=True),
        'project_id': fields.StringField(nullable=True),
        'uuid': fields.UUIDField(),
        'name': fields.StringField(nullable=True),
        'policy': fields.StringField(nullable=True),
        '_rules': fields.DictOfStringsField(),
        'members': fields.ListOfStringsField(nullable=True),
        'hosts': fields.ListOfStringsField(nullable=True),
    }


@base.register
class CellMapping(base.NovaObject):
    VERSION = '1.1'

    fields = {
        'id': fields.IntegerField(),
        'uuid': fields.UUIDField(),
        'name': fields.StringField(nullable=True),
    }


@base.register
class Destination(base.NovaObject):
    VERSION = '1.4'

    fields = {
        'host': fields.StringField(),
        'node': fields.StringField(nullable=True),
        'cell': fields.ObjectField('CellMapping', nullable=True),
        'aggregates': fields.ListOfStringsField(nullable=True, default=None),
        'allow_cross_cell_move': fields.BooleanField(default=False),
        'forbidden_aggregates': fields.SetOfStringsField(nullable=True,
                                                         default=None),
    }


@base.register
class ComputeNode(base.NovaObject):
    """A host tried before, in SchedulerRetries: its names only."""

    VERSION = '1.19'

    fields = {
        'id': fields.IntegerField(),
        'uuid': fields.UUIDField(),
        'host': fields.StringField(nullable=True),
        'hypervisor_hostname': fields.StringField(nullable=True),
    }


@base.register
class ComputeNodeList(base.NovaObjectList, base.NovaObject):
    VERSION = '1.17'

    fields = {
        'objects': fields.ListOfObjectsField('ComputeNode'),
    }


@base.register
class SchedulerRetries(base.NovaObject):
    VERSION = '1.1'

    fields = {
        'num_attempts': fields.IntegerField(),
        'hosts': fields.ObjectField('ComputeNodeList'),
    }


@base.register
class RequestGroup(base.NovaObject):
    VERSION = '1.3'

    fields = {
        'use_same_provider': fields.BooleanField(default=True),
        'resources': fields.DictOfIntegersField(default={}),
        'required_traits': fields.SetOfStringsField(default=set()),
        'forbidden_traits': fields.SetOfStringsField(default=set()),
        'aggregates': fields.ListOfListsOfStringsField(default=[]),
        'forbidden_aggregates': fields.SetOfStringsField(default=set()),
        'requester_id': fields.StringField(nullable=True, default=None),
        'provider_uuids': fields.ListOfUUIDField(default=[]),
        'in_tree': fields.UUIDField(nullable=True, default=None),
    }


@base.register
class RequestLevelParams(base.NovaObject):
    VERSION = '1.1'

    fields = {
        'root_required': fields.SetOfStringsField(default=set()),
        'root_forbidden': fields.SetOfStringsField(default=set()),
        'same_subtree': fields.ListOfListsOfStringsField(default=[]),
    }


@base.register
class NetworkMetadata(base.NovaObject):
    VERSION = '1.0'

    fields = {
        'physnets': fields.SetOfStringsField(),
        'tunneled': fields.BooleanField(),
    }


@base.register
class InstanceNUMACell(base.NovaObject):
    VERSION = '1.6'

    fields = {
        'id': fields.IntegerField(),
        'cpuset': fields.SetOfIntegersField(),
        'pcpuset': fields.SetOfIntegersField(),
        'memory': fields.IntegerField(),
        'pagesize': fields.IntegerField(nullable=True),
        'cpu_policy': fields.StringField(nullable=True),
        'cpu_thread_policy': fields.StringField(nullable=True),
    }


@base.register
class InstanceNUMATopology(base.NovaObject):
    VERSION = '1.3'

    fields = {
        'id': fields.IntegerField(),
        'instance_uuid': fields.UUIDField(),
        'cells': fields.ListOfObjectsField('InstanceNUMACell'),
        'emulator_threads_policy': fields.StringField(nullable=True),
    }


@base.register
class InstancePCIRequest(base.NovaObject):
    VERSION = '1.4'

    fields = {
        'count': fields.IntegerField(),
        'spec': fields.ListOfDictOfNullableStringsField(),
        'alias_name': fields.StringField(nullable=True),
        'is_new': fields.BooleanField(default=False),
        'numa_policy': fields.StringField(nullable=True),
        'request_id': fields.UUIDField(nullable=True),
        'requester_id': fields.StringField(nullable=True),
    }


@base.register
class InstancePCIRequests(base.NovaObject):
    VERSION = '1.1'

    fields = {
        'instance_uuid': fields.UUIDField(),
        'requests': fields.ListOfObjectsField('InstancePCIRequest'),
    }


@base.register
class RequestSpec(base.NovaObject):
    VERSION = '1.15'

    fields = {
        'id': fields.IntegerField(),
        'image': fields.ObjectField('ImageMeta', nullable=True),
        'numa_topology': fields.ObjectField('InstanceNUMATopology',
                                            nullable=True),
        'pci_requests': fields.ObjectField('InstancePCIRequests',
                                           nullable=True),
        'project_id': fields.StringField(nullable=True),
        'user_id': fields.StringField(nullable=True),
        'availability_zone': fields.StringField(nullable=True),
        'flavor': fields.ObjectField('Flavor', nullable=False),
        'num_instances': fields.IntegerField(default=1),
        'ignore_hosts': fields.ListOfStringsField(nullable=True),
        'force_hosts': fields.ListOfStringsField(nullable=True),
        'force_nodes': fields.ListOfStringsField(nullable=True),
        'requested_destination': fields.ObjectField(
            'Destination', nullable=True, default=None),
        'retry': fields.ObjectField('SchedulerRetries', nullable=True),
        'limits': fields.ObjectField('SchedulerLimits', nullable=True),
        'instance_group': fields.ObjectField('InstanceGroup',
                                             nullable=True),
        'scheduler_hints': fields.DictOfListOfStringsField(nullable=True),
        'instance_uuid': fields.UUIDField(),
        'network_metadata': fields.ObjectField('NetworkMetadata'),
        'is_bfv': fields.BooleanField(),
        'requested_resources': fields.ListOfObjectsField(
            'RequestGroup', nullable=True, default=None),
        'request_level_params': fields.ObjectField('RequestLevelParams'),
    }
