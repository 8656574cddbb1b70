"""Which resource class a guest's CPUs are claimed from: VCPU or PCPU.

A shared guest's vCPUs float over the compute's shared CPUs and are asked
as VCPU; a pinned guest's (``hw:cpu_policy=dedicated``, the dedicated
vCPUs of ``mixed``, ``resources:PCPU``) take pCPUs of the compute's
``cpu_dedicated_set`` and are asked as PCPU, one more for isolated
emulator threads, as the scheduler Gantt replaces asks placement. A
compute offers PCPU as many as the dedicated CPUs its NUMA cells report.
"""

from gantt.objects import base as obj_base
from gantt import request_groups

VCPU, PCPU = 'VCPU', 'PCPU'


def named_in(extra_specs):
    """Whether a flavor names VCPU or PCPU in any of its request groups:
    then it alone says what CPUs are asked, and nothing is added."""
    for key in extra_specs:
        match = request_groups._RESOURCES_KEY.match(key)
        if match and match.group(2) in (VCPU, PCPU):
            return True
    return False


def wanted(flavor, topology):
    """{class: amount} for the CPUs of one instance of ``flavor``
    (gantt.request.Flavor) fitted as ``topology``
    (gantt.numa_request.Topology, or None). VCPU is always named (0 for
    a dedicated guest: the store is asked for none)."""
    if topology is None or not topology.pinned:
        return {VCPU: flavor.vcpus}
    pinned = sum(len(cell.pcpuset) for cell in topology.cells)
    return {VCPU: flavor.vcpus - pinned,
            PCPU: pinned + (1 if topology.emulator_threads_isolated else 0)}


def dedicated_count(numa):
    """How many dedicated pCPUs a reported NUMATopology offers (0 when
    there is none): the PCPU inventory's total."""
    if numa is None:
        return 0
    pcpus = set()
    for cell in obj_base.field(numa, 'cells', None) or ():
        pcpus.update(obj_base.field(cell, 'pcpuset', None) or ())
    return len(pcpus)
