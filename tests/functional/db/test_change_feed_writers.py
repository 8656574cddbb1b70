"""The change feed under concurrent writers on PostgreSQL.

Writers stamp from a sequence and commit in any order: a value handed out
first may commit last. A reader following the feed must still see every
change, and the writers must not queue behind one another.
"""

import random
import threading
import time
import uuid as uuid_lib

from gantt.db import instance
from tests.functional.db import base as pg
from tests.unit.db import base

WRITERS = 6
WRITES_EACH = 25


class TestChangeFeedUnderConcurrentWriters(pg.PostgresMixin,
                                           base.StoreTestCase):

    def test_reader_sees_every_change_when_commits_come_out_of_order(self):
        rng = random.Random(19)
        written = set()
        seen = set()
        errors = []
        inside = {'now': 0, 'most': 0}
        lock = threading.Lock()
        done = threading.Event()

        def write(n):
            pauses = [rng.uniform(0, 0.02) for _ in range(WRITES_EACH)]
            try:
                for pause in pauses:
                    uuid = str(uuid_lib.uuid4())
                    with self.db.writer() as session:
                        with lock:
                            inside['now'] += 1
                            inside['most'] = max(inside['most'],
                                                 inside['now'])
                        instance.add(session, 'host%d' % n, 'node%d' % n,
                                     [uuid])
                        # Hold the stamped, uncommitted change a while:
                        # later values commit before this one.
                        time.sleep(pause)
                        with lock:
                            inside['now'] -= 1
                    with lock:
                        written.add(uuid)
            except Exception as exc:  # reported below
                errors.append(exc)

        def follow():
            watermark = 0
            try:
                while True:
                    finished = done.is_set()
                    changes = self.db.get_changes(watermark)
                    self.assertGreaterEqual(changes.seq, watermark)
                    seen.update(i['instance_uuid']
                                for i in changes.instances)
                    watermark = changes.seq
                    if finished:
                        return
            except Exception as exc:  # reported below
                errors.append(exc)

        reader = threading.Thread(target=follow)
        reader.start()
        writers = [threading.Thread(target=write, args=(n,))
                   for n in range(WRITERS)]
        for t in writers:
            t.start()
        for t in writers:
            t.join()
        done.set()
        reader.join()
        self.assertEqual([], errors)
        self.assertEqual(WRITERS * WRITES_EACH, len(written))
        # The reader only ever moved its watermark forward, so a change
        # it had stepped over would be missing here.
        self.assertEqual(set(), written - seen)
        # Writers held their transactions open side by side.
        self.assertGreater(inside['most'], 1)
