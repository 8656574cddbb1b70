"""The import graph of gantt/ has no circle, and the store stays below.

Every ``import`` in gantt/ (top-level or inside a function) is an edge from
one module to another; a circle makes the import order matter and the
layers unclear. gantt.db is the bottom layer of the decision path: it
imports neither the engine nor the RPC clients.
"""

import ast
import os

import testtools

import gantt

ROOT = os.path.dirname(os.path.abspath(gantt.__file__))
# What gantt.db must not import (prefixes of module names).
ABOVE_DB = ('gantt.rpcapi', 'gantt.claims', 'gantt.scheduler',
            'gantt.manager', 'gantt.host_manager', 'gantt.service')


def _modules():
    """{module name: path} of every module under gantt/."""
    found = {}
    for folder, _dirs, files in os.walk(ROOT):
        for name in files:
            if not name.endswith('.py'):
                continue
            path = os.path.join(folder, name)
            rel = os.path.relpath(path, os.path.dirname(ROOT))[:-3]
            module = rel.replace(os.sep, '.')
            if module.endswith('.__init__'):
                module = module[:-len('.__init__')]
            found[module] = path
    return found


def _imports(module, path, known):
    """The gantt modules that ``module`` imports."""
    with open(path) as f:
        tree = ast.parse(f.read(), path)
    package = module if path.endswith('__init__.py') else (
        module.rpartition('.')[0])
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ''
            if node.level:
                parts = package.split('.')
                parts = parts[:len(parts) - node.level + 1]
                base = '.'.join(parts + ([base] if base else []))
            names = [base] + ['%s.%s' % (base, a.name) for a in node.names]
        else:
            continue
        for name in names:
            # The longest known module the name refers to.
            while name and name not in known:
                name = name.rpartition('.')[0]
            if name and name != module and name != 'gantt':
                out.add(name)
    return out


def import_graph():
    known = _modules()
    return {m: _imports(m, p, known) for m, p in known.items()}


def cycles(graph):
    """Strongly connected components with more than one module."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []
    counter = [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on_stack.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


class TestImportGraph(testtools.TestCase):

    def test_no_circles(self):
        self.assertEqual([], cycles(import_graph()))

    def test_the_store_imports_nothing_above_it(self):
        wrong = sorted(
            (module, target)
            for module, targets in import_graph().items()
            if module.startswith('gantt.db')
            for target in targets if target.startswith(ABOVE_DB))
        self.assertEqual([], wrong)

    def test_finds_a_circle_when_there_is_one(self):
        self.assertEqual([['a', 'b', 'c']],
                         cycles({'a': {'b'}, 'b': {'c'}, 'c': {'a'},
                                 'd': {'a'}}))
