"""Research analyses of a built corpus: lateness, event-history panels, survival, diffs, reuse.

Each module is a set of pure functions of the corpus graph (or of two builds) that return
plain values, built on :mod:`cascade.query` (coverage, lag, tree) and the gazetteer
(:mod:`cascade.vn.places`):

* :mod:`~cascade.analysis.geography`: regions and neighbouring units (spatial exposure);
* :mod:`~cascade.analysis.lateness`: deadlines the parent set, and who was late;
* :mod:`~cascade.analysis.panel`: the discrete-time event-history panel;
* :mod:`~cascade.analysis.survival`: Kaplan-Meier, log-rank and Cox models (lifelines);
* :mod:`~cascade.analysis.diff`: what changed between two builds;
* :mod:`~cascade.analysis.reuse`: how much of a plan is copied from its parent.
"""
