"""Give each page every script once.

Sphinx 7.4 adds extensions' inline scripts to a page twice (once named None,
once ""), so the second ``const THEBE_JS_URL = ...`` is a SyntaxError on
every page; the browser tests, which fail on any console error, caught it.
"""


def unique_scripts(app, pagename, templatename, context, doctree):
    scripts = context.get("script_files")
    if not scripts:
        return
    seen, unique = set(), []
    for script in scripts:
        key = (
            str(getattr(script, "filename", script) or ""),
            tuple(sorted(getattr(script, "attributes", {}).items())),
        )
        if key not in seen:
            seen.add(key)
            unique.append(script)
    context["script_files"] = unique


def setup(app):
    app.connect("html-page-context", unique_scripts)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
