"""RequestGroup and RequestLevelParams: what a request asks of providers.

A RequestGroup is one group of resources and traits (the unnumbered group,
or a numbered/suffixed one that must come from a single provider);
RequestLevelParams hold the constraints that apply to the whole request.
"""

from gantt.objects import base
from gantt.objects import fields


@base.GanttObjectRegistry.register
class RequestGroup(base.GanttObject):
    """One group of a request; ``resources`` maps resource class -> amount.

    Each entry of ``aggregates`` is a list of aggregate uuids of which the
    provider must be in at least one; every entry must hold.
    """

    # Version 1.0: Initial version
    VERSION = '1.0'

    fields = {
        'requester_id': fields.StringField(nullable=True, default=None),
        'use_same_provider': fields.BooleanField(nullable=True, default=True),
        'resources': fields.DictOfIntegersField(nullable=True, default={}),
        'required_traits': fields.SetOfStringsField(nullable=True,
                                                    default=set()),
        'forbidden_traits': fields.SetOfStringsField(nullable=True,
                                                     default=set()),
        'aggregates': fields.ListOfListsOfStringsField(nullable=True,
                                                       default=[]),
        'forbidden_aggregates': fields.SetOfStringsField(nullable=True,
                                                         default=set()),
        'in_tree': fields.UUIDField(nullable=True, default=None),
        'provider_uuids': fields.ListOfUUIDField(nullable=True, default=[]),
    }

    def obj_make_compatible(self, primitive, target_version):
        super().obj_make_compatible(primitive, target_version)


@base.GanttObjectRegistry.register
class RequestLevelParams(base.GanttObject):
    """Constraints on the whole request: root provider traits, subtrees.

    Each ``same_subtree`` entry lists group suffixes whose providers must
    share a common ancestor.
    """

    # Version 1.0: Initial version
    VERSION = '1.0'

    fields = {
        'root_required': fields.SetOfStringsField(nullable=True,
                                                  default=set()),
        'root_forbidden': fields.SetOfStringsField(nullable=True,
                                                   default=set()),
        'same_subtree': fields.ListOfListsOfStringsField(nullable=True,
                                                         default=[]),
    }

    def obj_make_compatible(self, primitive, target_version):
        super().obj_make_compatible(primitive, target_version)
