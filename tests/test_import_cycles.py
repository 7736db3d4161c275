"""The package's internal imports form no cycle: scripts/import_cycles.py, which prints every
strongly connected component of the import graph (imports inside functions count too), finds
none. A cycle makes a module's meaning depend on which one was imported first."""
from __future__ import annotations

import runpy

from conftest import ROOT


def test_the_package_has_no_import_cycle(monkeypatch, capsys):
    monkeypatch.chdir(ROOT)  # the script reads src/communique from the checkout's root
    found = runpy.run_path(str(ROOT / "scripts" / "import_cycles.py"))
    assert "communique.pipeline" in found["graph"]  # it did read the package
    assert found["sccs"] == [], capsys.readouterr().out
