"""tools/numa_examples.py, whose output doc/numa.md shows, still runs and
still shows a pinned guest claiming PCPU and its pCPUs."""

import contextlib
import importlib.util
import io
import os

import testtools

_TOOL = os.path.join(os.path.dirname(__file__), '..', '..', 'tools',
                     'numa_examples.py')


def _tool():
    spec = importlib.util.spec_from_file_location('numa_examples', _TOOL)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class TestNumaExamples(testtools.TestCase):

    def run_example(self, name):
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            _tool().main([name])
        return out.getvalue()

    def test_pinned_pages_and_device_are_claimed_together(self):
        out = self.run_example('pinned-pages-pci')
        self.assertIn('"PCPU": 4', out)
        self.assertNotIn('"VCPU"', out)
        self.assertIn('"pcpu (cell 0)": ["2", "3", "4", "5"]', out)
        self.assertIn('"pages (cell 0)": ["2048 KiB x 2048"]', out)
        self.assertIn('"pci": ["0000:81:00.1"]', out)

    def test_contradiction_is_refused_naming_the_keys(self):
        out = self.run_example('refused-contradiction')
        self.assertIn('refused: InvalidRequest', out)
        self.assertIn('hw_cpu_policy=dedicated', out)
