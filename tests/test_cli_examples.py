"""Every example the command line and the README show is run, so none can silently stop working.

The examples are read out of the ``--help`` texts of every command and out of the README's
``sh`` code blocks, never copied here. Each runs in a shell (quoting as a user types it) in a
scratch folder holding ``data/``, against a build of the sample plans ($CASCADE_OUT).
"""
from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from cascade import cli

ROOT = Path(__file__).resolve().parents[1]
#: examples that talk to a triple store (tests/test_virtuoso.py runs them against a private one)
NEEDS_SERVER = re.compile(r"--endpoint\b")


def _help_examples() -> list[tuple[str, str]]:
    found = []
    for command in cli.app.registered_commands:
        doc = (command.callback.__doc__ or "") if command.callback else ""
        text = " ".join(doc.split()).partition("Example:")[2]
        for m in re.finditer(r"\[bold\]((?:[A-Z_]+=\S+ )*cascade .+?)\[/bold\]|\(or: (cascade .+?)\)", text):
            found.append((f"help of {command.name or command.callback.__name__}", m.group(1) or m.group(2)))
    return found


def _readme_examples() -> list[tuple[str, str]]:
    found = []
    for block in re.findall(r"```sh\n(.*?)```", (ROOT / "README.md").read_text(encoding="utf-8"), re.S):
        for line in block.splitlines():
            line = line.split("  #")[0].strip()
            if line.startswith("cascade "):
                found.append(("README", line))
    return found


EXAMPLES = _help_examples() + _readme_examples()


def test_there_are_examples_in_every_help_and_in_the_readme():
    helped = {where for where, _ in EXAMPLES}
    commands = {f"help of {c.name or c.callback.__name__}" for c in cli.app.registered_commands}
    assert commands <= helped, sorted(commands - helped)
    assert any(where == "README" for where, _ in EXAMPLES)


@pytest.fixture(scope="module")
def scratch(tmp_path_factory):
    """A folder with data/, its build (made by the command line) and what examples read: a TriG export
    (validate) and two build folders to compare (diff)."""
    d = tmp_path_factory.mktemp("examples")
    (d / "data").symlink_to(ROOT / "data")
    env = dict(os.environ, CASCADE_OUT=str(d / "build"), PYTHONIOENCODING="utf-8",
               PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    for argv in (["build", "data/", "-q"], ["export", "--format", "trig", "-o", "corpus.trig"]):
        subprocess.run([sys.executable, "-m", "cascade", *argv], cwd=d, env=env, check=True,
                       capture_output=True, timeout=600)
    for name in ("out-may", "out-june"):
        (d / name).symlink_to(d / "build")
    return d, env


@pytest.mark.parametrize("where, example", EXAMPLES, ids=[e for _, e in EXAMPLES])
def test_the_example_runs(scratch, where, example):
    if NEEDS_SERVER.search(example):
        pytest.skip("needs a SPARQL endpoint (tests/test_virtuoso.py)")
    d, env = scratch
    shlex.split(example)                         # fails on unbalanced quotes, as a shell would
    settings, rest = example.split("cascade ", 1)                  # settings: "NAME=value " before it
    command = f"{settings}{shlex.quote(sys.executable)} -m cascade {rest}"
    r = subprocess.run(command, shell=True, cwd=d, env=env, capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, f"{where}: {example}\n{r.stderr[-2000:]}"
    assert "Traceback" not in r.stderr
