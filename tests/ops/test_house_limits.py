"""The house stays readable (issue 9): no file of application code over 500 lines, no function over 60.

Migrations are generated and the demo's story is data (policies/demo/story.py), so both are left out.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
APPLICATION = ("committee", "policies")
DATA_NOT_CODE = {Path("policies/demo/story.py")}
MAX_FILE_LINES = 500
MAX_FUNCTION_LINES = 60


def application_files():
    for package in APPLICATION:
        for path in sorted((ROOT / package).rglob("*.py")):
            relative = path.relative_to(ROOT)
            if "migrations" not in relative.parts and relative not in DATA_NOT_CODE:
                yield relative


def long_files(limit=MAX_FILE_LINES):
    return {
        str(path): lines
        for path in application_files()
        if (lines := len((ROOT / path).read_text().splitlines())) > limit
    }


def long_functions(limit=MAX_FUNCTION_LINES):
    found = {}
    for path in application_files():
        for node in ast.walk(ast.parse((ROOT / path).read_text())):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = node.end_lineno - node.lineno + 1
                if length > limit:
                    found[f"{path}:{node.lineno} {node.name}"] = length
    return found


def test_no_application_file_is_over_500_lines():
    assert long_files() == {}


def test_no_function_is_over_60_lines():
    assert long_functions() == {}


def test_the_limits_would_see_a_long_file_and_a_long_function():
    # The checks look at the real tree: a tighter limit finds what the real one lets pass.
    assert long_files(limit=300) and long_functions(limit=30)
