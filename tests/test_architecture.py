"""The shape of the house, read from the import graph: no module of kisum imports itself back,
and no package imports a sibling package that imports it.

import-linter (``pyproject.toml``) checks which layer may import which; this checks what a layers
contract cannot see: a circle among modules or packages of one layer. Imports inside functions and
under ``TYPE_CHECKING`` count too: a circle that only a lazy import keeps from failing is still one.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Mapping

import grimp
import pytest

ROOT = "kisum"

Graph = Mapping[str, frozenset[str]]


@pytest.fixture(scope="module")
def imports() -> Graph:
    graph = grimp.build_graph(ROOT, cache_dir=None)
    return {
        module: frozenset(t for t in graph.find_modules_directly_imported_by(module) if _inside(t))
        for module in graph.modules
        if _inside(module)
    }


def _inside(module: str) -> bool:
    return module == ROOT or module.startswith(ROOT + ".")


def strongly_connected(graph: Graph) -> list[list[str]]:
    """Tarjan's components of more than one node (iterative: the graph is deep enough to matter)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for root in sorted(graph):
        if root in index:
            continue
        work: list[tuple[str, Iterable[str]]] = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, successors = work[-1]
            for successor in successors:
                if successor not in graph:
                    continue
                if successor not in index:
                    index[successor] = low[successor] = len(index)
                    stack.append(successor)
                    on_stack.add(successor)
                    work.append((successor, iter(sorted(graph[successor]))))
                    break
                if successor in on_stack:
                    low[node] = min(low[node], index[successor])
            else:
                work.pop()
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    if len(component) > 1:
                        found.append(sorted(component))
    return found


def shortest_cycle(graph: Graph, component: list[str]) -> list[str]:
    """A shortest circle through the component's first module, to name in the failure."""
    start, members = component[0], set(component)
    previous: dict[str, str] = {}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        for successor in sorted(graph[node] & members):
            if successor == start:
                path = [node]
                while path[-1] != start:
                    path.append(previous[path[-1]])
                return [*reversed(path), start]
            if successor not in previous:
                previous[successor] = node
                queue.append(successor)
    return component


def describe(graph: Graph, components: list[list[str]]) -> str:
    return "\n".join(" -> ".join(shortest_cycle(graph, component)) for component in components)


def test_no_module_imports_itself_back(imports: Graph) -> None:
    cycles = strongly_connected(imports)
    assert not cycles, "import circles among kisum modules:\n" + describe(imports, cycles)


def collapsed(graph: Graph, package: str) -> Graph:
    """``package``'s import graph with each child package (or module) taken as one node."""

    def child(module: str) -> str | None:
        if not module.startswith(package + "."):
            return None
        return package + "." + module[len(package) + 1 :].split(".", 1)[0]

    edges: dict[str, set[str]] = {}
    for module, imported in graph.items():
        source = child(module)
        if source is None:
            continue
        targets = edges.setdefault(source, set())
        targets.update(t for t in map(child, imported) if t is not None and t != source)
    return {node: frozenset(targets) for node, targets in edges.items()}


def test_no_package_imports_a_sibling_that_imports_it_back(imports: Graph) -> None:
    packages = sorted({module.rsplit(".", 1)[0] for module in imports if "." in module})
    circles = [
        describe(siblings, cycles)
        for package in packages
        if (cycles := strongly_connected(siblings := collapsed(imports, package)))
    ]
    assert not circles, "import circles among sibling packages:\n" + "\n".join(circles)


def test_the_check_names_a_circle() -> None:
    graph: Graph = {
        "kisum.a": frozenset({"kisum.b"}),
        "kisum.b": frozenset({"kisum.c"}),
        "kisum.c": frozenset({"kisum.a"}),
        "kisum.d": frozenset({"kisum.a"}),
    }
    cycles = strongly_connected(graph)
    assert cycles == [["kisum.a", "kisum.b", "kisum.c"]]
    assert describe(graph, cycles) == "kisum.a -> kisum.b -> kisum.c -> kisum.a"
    siblings = collapsed(
        {"kisum.p.x.one": frozenset({"kisum.p.y"}), "kisum.p.y": frozenset({"kisum.p.x.two"})}, "kisum.p"
    )
    assert describe(siblings, strongly_connected(siblings)) == "kisum.p.x -> kisum.p.y -> kisum.p.x"
