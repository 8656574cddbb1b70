"""gantt-api's policy rules: one named rule per route and method (placement
16's names, defaults and deprecated legacy rules), the table that says
which rule guards which call, and ``list_rules`` for oslo.policy's
sample and policy generators."""

from oslo_log import versionutils
from oslo_policy import policy

_WHY_DEPRECATED = (
    'placement\'s API moved to role-based defaults with scope types (admin, '
    'service, project reader); the single admin rule they replace is read '
    'only while [oslo_policy] enforce_new_defaults = false.')

# The one rule every deprecated default falls back to.
_LEGACY_ADMIN = policy.DeprecatedRule(
    name='rule:admin_api', check_str='role:admin',
    deprecated_reason=_WHY_DEPRECATED,
    deprecated_since=versionutils.deprecated.WALLABY)

SERVICE = 'rule:service_api'
ADMIN_OR_SERVICE = 'rule:admin_or_service_api'
ADMIN_OR_PROJECT_READER_OR_SERVICE = (
    'rule:admin_or_project_reader_or_service_api')
_PROJECT = ['project']

BASE_RULES = [
    policy.RuleDefault(
        'admin_api', 'role:admin',
        description='An administrator of the cloud.',
        scope_types=_PROJECT),
    policy.RuleDefault(
        'service_api', 'role:service',
        description='Another service of the cloud (nova-compute, the '
                    'conductor, neutron...) calling on its own behalf.',
        scope_types=_PROJECT, deprecated_rule=_LEGACY_ADMIN),
    policy.RuleDefault(
        'admin_or_service_api', 'role:admin or role:service',
        description='What most of the API needs: an administrator or a '
                    'service.',
        scope_types=_PROJECT, deprecated_rule=_LEGACY_ADMIN),
    policy.RuleDefault(
        'project_reader_api', 'role:reader and project_id:%(project_id)s',
        description='A reader of the project the call is about.',
        deprecated_rule=_LEGACY_ADMIN),
    policy.RuleDefault(
        'admin_or_project_reader_or_service_api',
        'role:admin or rule:project_reader_api or role:service',
        description='An administrator, a service, or a reader of the '
                    'project the call is about.',
        scope_types=_PROJECT, deprecated_rule=_LEGACY_ADMIN),
]

_RP = '/resource_providers/{uuid}'


def _route_rule(name, description, operations,
                check_str=ADMIN_OR_SERVICE):
    """The rule ``name`` guarding ``operations``: [(method, path)] with the
    paths as gantt.api.app.ROUTES spells them."""
    return policy.DocumentedRuleDefault(
        name=name, check_str=check_str, description=description,
        operations=[{'method': m, 'path': p} for m, p in operations],
        scope_types=_PROJECT)


ROUTE_RULES = [
    _route_rule('placement:resource_providers:list',
                'List resource providers.',
                [('GET', '/resource_providers')]),
    _route_rule('placement:resource_providers:create',
                'Create a resource provider.',
                [('POST', '/resource_providers')]),
    _route_rule('placement:resource_providers:show',
                'Show a resource provider.', [('GET', _RP)]),
    _route_rule('placement:resource_providers:update',
                'Update a resource provider.', [('PUT', _RP)]),
    _route_rule('placement:resource_providers:delete',
                'Delete a resource provider.', [('DELETE', _RP)]),
    _route_rule('placement:resource_classes:list',
                'List resource classes.', [('GET', '/resource_classes')]),
    _route_rule('placement:resource_classes:create',
                'Create a custom resource class.',
                [('POST', '/resource_classes')]),
    _route_rule('placement:resource_classes:show',
                'Show a resource class.',
                [('GET', '/resource_classes/{name}')]),
    _route_rule('placement:resource_classes:update',
                'Create or confirm a custom resource class.',
                [('PUT', '/resource_classes/{name}')]),
    _route_rule('placement:resource_classes:delete',
                'Delete a custom resource class.',
                [('DELETE', '/resource_classes/{name}')]),
    _route_rule('placement:resource_providers:inventories:list',
                'List the inventories of a resource provider.',
                [('GET', _RP + '/inventories')]),
    _route_rule('placement:resource_providers:inventories:create',
                'Add one inventory to a resource provider.',
                [('POST', _RP + '/inventories')]),
    _route_rule('placement:resource_providers:inventories:show',
                'Show one inventory of a resource provider.',
                [('GET', _RP + '/inventories/{resource_class}')]),
    _route_rule('placement:resource_providers:inventories:update',
                'Replace the inventories of a resource provider, or '
                'update one.',
                [('PUT', _RP + '/inventories'),
                 ('PUT', _RP + '/inventories/{resource_class}')]),
    _route_rule('placement:resource_providers:inventories:delete',
                'Delete the inventories of a resource provider, or one.',
                [('DELETE', _RP + '/inventories'),
                 ('DELETE', _RP + '/inventories/{resource_class}')]),
    _route_rule('placement:resource_providers:aggregates:list',
                'List the aggregates of a resource provider.',
                [('GET', _RP + '/aggregates')]),
    _route_rule('placement:resource_providers:aggregates:update',
                'Replace the aggregates of a resource provider.',
                [('PUT', _RP + '/aggregates')]),
    _route_rule('placement:resource_providers:usages',
                'Show what is allocated against a resource provider.',
                [('GET', _RP + '/usages')]),
    _route_rule('placement:usages',
                'Show what a project (and a user of it) is allocated.',
                [('GET', '/usages')],
                check_str=ADMIN_OR_PROJECT_READER_OR_SERVICE),
    _route_rule('placement:traits:list', 'List traits.',
                [('GET', '/traits')]),
    _route_rule('placement:traits:show', 'Show a trait.',
                [('GET', '/traits/{name}')]),
    _route_rule('placement:traits:update', 'Create a custom trait.',
                [('PUT', '/traits/{name}')]),
    _route_rule('placement:traits:delete', 'Delete a custom trait.',
                [('DELETE', '/traits/{name}')]),
    _route_rule('placement:resource_providers:traits:list',
                'List the traits of a resource provider.',
                [('GET', _RP + '/traits')]),
    _route_rule('placement:resource_providers:traits:update',
                'Replace the traits of a resource provider.',
                [('PUT', _RP + '/traits')]),
    _route_rule('placement:resource_providers:traits:delete',
                'Remove every trait of a resource provider.',
                [('DELETE', _RP + '/traits')]),
    _route_rule('placement:allocations:manage',
                'Write the allocations of several consumers at once.',
                [('POST', '/allocations')]),
    _route_rule('placement:allocations:list',
                'Show the allocations of a consumer.',
                [('GET', '/allocations/{consumer}')]),
    _route_rule('placement:allocations:update',
                'Replace the allocations of a consumer.',
                [('PUT', '/allocations/{consumer}')]),
    _route_rule('placement:allocations:delete',
                'Delete the allocations of a consumer.',
                [('DELETE', '/allocations/{consumer}')]),
    _route_rule('placement:resource_providers:allocations:list',
                'List the allocations against a resource provider.',
                [('GET', _RP + '/allocations')]),
    _route_rule('placement:allocation_candidates:list',
                'List the allocation candidates for a request.',
                [('GET', '/allocation_candidates')]),
    _route_rule('placement:reshaper:reshape',
                'Move inventories and allocations between the providers of '
                'a tree in one step (what a compute does when it splits its '
                'resources into a nested tree).',
                [('POST', '/reshaper')], check_str=SERVICE),
]

# Calls answered to anyone, as placement answers them: the version
# document is how a client finds the API before it has a token.
PUBLIC = frozenset({('/', 'GET')})

# (route, method) -> the name of the rule that guards it.
BY_ROUTE = {(op['path'], op['method']): rule.name
            for rule in ROUTE_RULES for op in rule.operations}


def rule_for(route, method):
    """The rule guarding ``method`` on ``route`` (a key of ROUTES), or None
    for a public call; a call with neither is a programming error."""
    if (route, method) in PUBLIC:
        return None
    try:
        return BY_ROUTE[(route, method)]
    except KeyError:
        raise LookupError('no policy rule guards %s %s: add one to '
                          'gantt.api.policies.ROUTE_RULES' % (method, route))


# Routes about the project their ``project_id`` query names, not the
# caller's own.
PROJECT_FROM_QUERY = frozenset({'/usages'})


def target(route, req, context):
    """What the rule for ``route`` is checked against: the project the
    call names, else the caller's own project and user."""
    if route in PROJECT_FROM_QUERY:
        return {'project_id': req.GET.get('project_id')}
    return {'project_id': context.project_id, 'user_id': context.user_id}


def list_rules():
    """Every rule, for the enforcer and the oslo.policy.policies entry
    point."""
    return BASE_RULES + ROUTE_RULES
