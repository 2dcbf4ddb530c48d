"""End to end on ../shared/realdev: 85 real documents nobody on the team wrote, scored by the shared scorer.

Skipped when ../shared is not beside the repository. The thresholds are floors measured on the
rules of the extractor, not on these files; raise them as the extractor improves.
"""
import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
REALDEV = SHARED / "realdev"
HAVE_SHARED = (REALDEV / "gold.json").exists() and (SHARED / "eval" / "score.py").exists()
pytestmark = pytest.mark.skipif(not HAVE_SHARED, reason="../shared/realdev is not beside the repo")

#: issue 10 asks for 0.93; the header stage reaches 0.938 (638 of 680)
METADATA_FLOOR = 0.93


@pytest.fixture(scope="module")
def scored():
    texts = sorted(str(p) for p in (REALDEV / "texts").glob("*.txt"))
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    r = subprocess.run([sys.executable, "-m", "cascade", "extract", *texts, "--format", "jsonl"],
                       capture_output=True, text=True, cwd=ROOT, env=env, timeout=600)
    assert r.returncode == 0, r.stderr
    records = [json.loads(line) for line in r.stdout.splitlines() if line.strip()]
    spec = importlib.util.spec_from_file_location("score", SHARED / "eval" / "score.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    gold = json.loads((REALDEV / "gold.json").read_text(encoding="utf-8"))
    return mod.score(gold, records, None)


def test_metadata_of_real_documents(scored):
    assert scored["metadata"]["accuracy"] >= METADATA_FLOOR, scored["metadata"]["wrong"][:20]


#: issue 10 asks for mentions 0.95, edges 0.90, relation types 0.90; the references stage reaches
#: 0.96 / 0.93 / 0.95 (two replaces and one amends can never count: the scorer reads them as cites)
MENTIONS_FLOOR = 0.95
EDGES_FLOOR = 0.90
RELATION_TYPES_FLOOR = 0.90


def test_mentions_of_real_documents(scored):
    m = scored["mentions"]
    assert m["f1"] >= MENTIONS_FLOOR, (m["missed"][:20], m["extra"][:20])


def test_implementation_edges_of_real_documents(scored):
    e = scored["edges"]
    assert e["f1"] >= EDGES_FLOOR, (e["missed"][:20], e["extra"][:20])


def test_relation_types_of_real_documents(scored):
    r = scored["relation_types"]
    assert r["accuracy"] >= RELATION_TYPES_FLOOR, r["wrong"][:20]
