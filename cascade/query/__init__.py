"""The research questions, as pure functions of the corpus graph.

Every function takes the graph of :func:`cascade.graph.build_graph` first, leaves it
alone, and returns plain values (dicts, lists, numbers, strings) that ``json.dumps``
accepts. A document argument is a node id (``"93-KL/TW"``, ``"07-KH/TU@Đắk Lắk"``,
``"file:<path>"``) or anything :func:`find` understands ("Kết luận 93", a file name).

* :func:`find`, :func:`find_one`: a user's phrase -> document ids;
* :func:`show`: one document with what it implements and what implements it, with evidence;
* :func:`tree`: everything that implements a document, transitively;
* :func:`chain`: the paths from a document up to the directives it ultimately carries out;
* :func:`coverage`: which provinces or districts have (not) issued a Party and a state plan;
* :func:`lag`: how long each level took, and the share of jurisdictions that had acted;
* :func:`orphans`: documents cited but not collected, most cited first;
* :func:`conflicts`: claims the sources disagree on;
* :func:`tasks`, :func:`agencies`, :func:`find_agencies`: who must do what by when.

The functions live in modules named for what they hold: ``lookup`` (find), ``links``
(show), ``cascades`` (tree, chain), ``units`` (the jurisdictions a figure counts),
``uptake`` (coverage, lag), ``missing`` (orphans, conflicts), ``workload`` (tasks,
agencies), with ``nodes`` and ``dates`` beneath them.

``implements`` and ``continues`` edges point from the implementing document to the
implemented one, so "what implements X" walks edges backwards.

>>> import networkx as nx
>>> G = nx.MultiDiGraph()
>>> G.add_node("93-KL/TW", kind="document", level="central", date="2020-11-20", number="93-KL/TW")
>>> G.add_node("07-KH/TU@Đắk Lắk", kind="document", level="province", province="Đắk Lắk",
...            branch="party", date="2020-12-23", number="07-KH/TU")
>>> _ = G.add_edge("07-KH/TU@Đắk Lắk", "93-KL/TW", key="implements", relation="implements")
>>> [n["id"] for n in tree(G, "93-KL/TW")["nodes"]]
['93-KL/TW', '07-KH/TU@Đắk Lắk']
>>> find(G, "07-KH/TU@Dak Lak"), find(G, "kết luận số 93")
(['07-KH/TU@Đắk Lắk'], ['93-KL/TW'])
>>> lag(G, "93-KL/TW")["transitions"]["central->province"]["median"]
33
"""
from __future__ import annotations

from cascade.errors import CascadeError
from cascade.vn.places import REFORM_DATE

from .cascades import chain, tree
from .links import show
from .lookup import AmbiguousDocument, UnknownDocument, find, find_one
from .missing import conflicts, orphans
from .units import Denominator, UnknownPlace, denominator
from .uptake import coverage, lag
from .workload import UnknownAgency, agencies, find_agencies, task_due, tasks

__all__ = [
    "AmbiguousDocument", "UnknownDocument", "find", "find_one", "show", "tree", "chain", "coverage", "lag",
    "orphans", "conflicts", "REFORM_DATE", "UnknownAgency", "find_agencies", "tasks", "agencies",
    "task_due", "CascadeError", "UnknownPlace", "Denominator", "denominator",
]
