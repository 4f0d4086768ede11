"""The auditor shares no logic with the solver: it imports neither the rebuild package nor OR-Tools, nor the
rebuild's policy resolver (planner.scenario.policy): it derives the legal limits itself."""

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FORBIDDEN = ("planner.rebuild", "ortools", "planner.scenario.policy")


def _imports(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            yield node.module


def test_audit_modules_import_nothing_from_the_solver():
    files = sorted((ROOT / "planner" / "audit").rglob("*.py"))
    assert len(files) > 5
    for f in files:
        for name in _imports(f):
            assert not name.startswith(FORBIDDEN), f"{f.relative_to(ROOT)} imports {name}"


def test_what_the_audit_imports_transitively_excludes_the_solver():
    code = ("import sys, planner.audit, planner.cli; "
            "bad = [m for m in sys.modules if m.startswith(('planner.rebuild', 'ortools'))]; print(bad)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert out.stdout.strip() == "[]"


def test_import_linter_contract_holds():
    exe = Path(sys.executable).with_name("lint-imports")
    out = subprocess.run([str(exe)], capture_output=True, text=True, cwd=ROOT)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "KEPT" in out.stdout
    config = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert '"planner.scenario.policy"' in config  # the contract names the resolver
