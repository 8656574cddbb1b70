"""Print, as JSON, how nova describes the objects Gantt speaks nova's wire with.

Run with nova's interpreter from the repository root:
    .venv-nova/bin/python tools/nova_object_fields.py > \
        tests/unit/nova/nova_objects.json
The table records each object's version and every field's type, as
gantt.nova.schema describes them; tests/unit/nova/test_objects.py checks
Gantt's nova objects against it.
"""

import json
import os
import sys
import warnings

warnings.simplefilter('ignore')
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(
    __file__))))

from gantt.nova import schema  # noqa: E402


def main(names):
    from nova import objects
    from nova.objects import base
    objects.register_all()
    registered = base.NovaObjectRegistry.obj_classes()
    table = {name: schema.describe(registered[name][0]) for name in names}
    json.dump(table, sys.stdout, indent=1, sort_keys=True)
    sys.stdout.write('\n')


if __name__ == '__main__':
    main(sys.argv[1:] or json.load(sys.stdin))
