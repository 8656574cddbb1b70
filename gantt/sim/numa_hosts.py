"""NUMA topologies and PCI devices of simulated computes.

Every host of the default scenario reports two cells (one per socket),
most with hyperthread siblings. NFV hosts (15% of the fleet, as an
operator sets a few hosts aside for them) keep half of each cell's cores
as the cpu_dedicated_set and half its memory in 2 MiB huge pages, and most
of them have an SR-IOV NIC per cell whose VFs are on a physical network;
GPU hosts have one GPU per cell; the rest offer shared CPUs and small
pages only. The devices match the aliases of gantt.sim.scenario.
"""

from gantt import objects

# Shares of the fleet.
NFV_SHARE = 0.15          # dedicated cores and huge pages
SRIOV_SHARE = 0.8         # of NFV hosts: one PF per cell with its VFs
GPU_SHARE = 0.06          # of the others: one GPU on each cell
NO_SMT_SHARE = 0.2        # one thread per core (no siblings)

# Of a NFV host's cores, the share kept dedicated; of its memory, the
# share in 2 MiB pages.
DEDICATED_CORES = 0.5
HUGEPAGE_MEMORY = 0.5
VFS_PER_PF = 8

GPU = ('10de', '1eb8')       # vendor, product
SRIOV_PF = ('8086', '1572')
SRIOV_VF = ('8086', '154c')
# The physical network of each cell's NIC.
PHYSNETS = ('physnet1', 'physnet2')

SMALL_PAGE_KB = 4
HUGE_PAGE_KB = 2048


def _cell(cell_id, first_cpu, cores, threads, dedicated_cores, memory_mb,
          huge_mb):
    cpus = list(range(first_cpu, first_cpu + cores * threads))
    siblings = [cpus[i:i + threads] for i in range(0, len(cpus), threads)]
    # The last cores (whole sibling sets) are dedicated.
    cut = (cores - dedicated_cores) * threads
    pages = [objects.NUMAPagesTopology(
        size_kb=SMALL_PAGE_KB, total=(memory_mb - huge_mb) * 1024 //
        SMALL_PAGE_KB, used=0, reserved=0)]
    if huge_mb:
        pages.append(objects.NUMAPagesTopology(
            size_kb=HUGE_PAGE_KB, total=huge_mb * 1024 // HUGE_PAGE_KB,
            used=0, reserved=0))
    return objects.NUMACell(
        id=cell_id, cpuset=cpus[:cut], pcpuset=cpus[cut:],
        siblings=siblings if threads > 1 else [],
        memory=memory_mb, memory_usage=0, cpu_usage=0, pinned_cpus=[],
        mempages=pages, socket=cell_id)


def topology(rng, vcpus, memory_mb, nfv=False):
    """A two-cell NUMATopology for a host of `vcpus` CPUs and `memory_mb`,
    with dedicated cores and huge pages when `nfv`."""
    threads = 1 if rng.random() < NO_SMT_SHARE else 2
    cores = max(1, vcpus // 2 // threads)
    dedicated_cores = int(cores * DEDICATED_CORES) if nfv else 0
    cell_mb = memory_mb // 2
    huge_mb = int(cell_mb * HUGEPAGE_MEMORY) // 2 * 2 if nfv else 0
    cells = [_cell(i, i * cores * threads, cores, threads, dedicated_cores,
                   cell_mb, huge_mb) for i in range(2)]
    return objects.NUMATopology(cells=cells)


def devices(rng, nfv=False):
    """The PciDevices of a host: SR-IOV PFs with their VFs on most NFV
    hosts, GPUs on a few others, one of each per cell; or none."""
    devs = []
    if not nfv and rng.random() < GPU_SHARE:
        for cell in (0, 1):
            devs.append(objects.PciDevice(
                address='0000:%02x:00.0' % (0x3b + cell * 0x80),
                vendor_id=GPU[0], product_id=GPU[1], dev_type='type-PCI',
                numa_node=cell))
    if nfv and rng.random() < SRIOV_SHARE:
        for cell in (0, 1):
            pf = '0000:%02x:00.0' % (0x18 + cell * 0x80)
            # A PF whose VFs are enabled is not handed out whole.
            devs.append(objects.PciDevice(
                address=pf, vendor_id=SRIOV_PF[0], product_id=SRIOV_PF[1],
                dev_type='type-PF', numa_node=cell,
                physical_network=PHYSNETS[cell], status='unavailable'))
            for vf in range(VFS_PER_PF):
                devs.append(objects.PciDevice(
                    address='0000:%02x:%02x.%d' % (0x18 + cell * 0x80,
                                                   1 + vf // 8, vf % 8),
                    vendor_id=SRIOV_VF[0], product_id=SRIOV_VF[1],
                    dev_type='type-VF', parent_addr=pf, numa_node=cell,
                    physical_network=PHYSNETS[cell]))
    return devs


def equip(node, rng):
    """Give ComputeNode `node` a topology and devices drawn from `rng`."""
    res = node.resources
    nfv = rng.random() < NFV_SHARE
    node.numa = topology(rng, res.vcpus, res.memory_mb, nfv)
    node.pci_devices = devices(rng, nfv)
    return node
