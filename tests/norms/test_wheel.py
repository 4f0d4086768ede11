"""The built wheel, installed outside the checkout, finds its norm data and audits the sample school from another
directory (installed with --no-deps into a folder on top of an environment that has the dependencies)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_wheel_installed_elsewhere_audits_the_sample_school(tmp_path):
    src = tmp_path / "src"
    shutil.copytree(ROOT / "planner", src / "planner", ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, src / name)
    dist = tmp_path / "dist"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(dist),
                    str(src)], check=True, cwd=tmp_path, capture_output=True)
    (wheel,) = dist.glob("planner-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "planner/norms/sets/sp-2.4.3648-20.toml" in names and "planner/norms/sets/sanpin-1.2.3685-21.toml" in names
    site = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "--no-compile", "-q", "--target", str(site),
                    str(wheel)], check=True, capture_output=True)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {**os.environ, "PYTHONPATH": str(site)}
    where = subprocess.run([sys.executable, "-c", "import planner.norms.data as d; print(d.DEFAULT_CONSTRAINTS_DIR)"],
                           cwd=elsewhere, env=env, capture_output=True, text=True, check=True).stdout.strip()
    assert where.startswith(str(site)), where
    run = subprocess.run([sys.executable, "-m", "planner.cli", "audit", str(ROOT / "sample_data" / "school-17"),
                          "--from", "2027-01-11", "--to", "2027-01-16", "--lang", "ru"],
                         cwd=elsewhere, env=env, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert "СП 2.4.3648-20 утратил силу 01.01.2027" in run.stdout
