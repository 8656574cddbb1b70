"""gantt-api's policy enforcer: oslo.policy's Enforcer over the defaults
of gantt.api.policies, read with [oslo_policy] (policy_file,
enforce_new_defaults), and the check every guarded call goes through."""

import copy

from oslo_log import log as logging
from oslo_policy import opts as policy_opts
from oslo_policy import policy

from gantt.api import errors
from gantt.api import policies

LOG = logging.getLogger(__name__)


class Refused(errors.Error):
    """403: the caller's roles or scope do not satisfy the rule."""

    def __init__(self, action, **_kwargs):
        # placement's words: its clients and tests read the rule from them.
        super().__init__(403, 'Policy does not allow %s to be performed.'
                         % action)
        self.action = action


def register_opts(conf):
    """[oslo_policy]'s options on ``conf`` (policy_file policy.yaml)."""
    policy_opts.set_defaults(conf, policy_file='policy.yaml')


def enforcer(conf):
    """An Enforcer over gantt-api's rules and ``conf``'s [oslo_policy]."""
    register_opts(conf)
    enforcer = policy.Enforcer(conf)
    # The defaults are placement's; saying at every start that they moved
    # from its old ones would only fill the log.
    enforcer.suppress_default_change_warnings = True
    # oslo.policy rewrites the defaults it is given when it folds in the
    # deprecated ones: each enforcer gets its own copy.
    enforcer.register_defaults(copy.deepcopy(policies.list_rules()))
    enforcer.load_rules()
    return enforcer


def authorize(enforcer, context, action, target):
    """Pass, or raise Refused naming ``action`` (also when the caller's
    token has a scope the rule does not accept)."""
    try:
        enforcer.authorize(action, target, context, do_raise=True,
                           exc=Refused, action=action)
    except policy.InvalidScope:
        LOG.debug('%s refused: token scope %s', action,
                  'system' if context.system_scope else 'project')
        raise Refused(action)


def get_enforcer():
    """The enforcer oslopolicy-policy-generator and oslopolicy-checker
    load (entry point oslo.policy.enforcer): Gantt's options read from its
    usual configuration files (/etc/gantt/gantt.conf, ~/.gantt/...), where
    [oslo_policy] names the policy file to merge with the defaults."""
    from oslo_config import cfg

    from gantt import conf as gantt_conf
    return enforcer(gantt_conf.build_conf(
        [], default_config_files=cfg.find_config_files('gantt')))
