"""Each face handles a refused verb in one place: no view, viewset or admin page catches refusals itself."""

import ast
from pathlib import Path

from django.conf import settings

from policies.workflow import WorkflowError

# The one helper of each face (issue 9): the API's exception handler, the portal's refusals, the admin's attempt().
HANDLERS = {"policies/api/base.py", "policies/portal/refusals.py", "policies/admin/base.py"}
# The faces: every module of the policy lifecycle's three, and the pages, API and admin of the apps.
FACES = ("policies/api/**/*.py", "policies/portal/**/*.py", "policies/admin/**/*.py")
FACES += tuple(f"committee/*/{face}.py" for face in ("views", "api", "admin"))


def refusal_names() -> set[str]:
    return {"WorkflowError", "REFUSALS", "GrantRefused", *(kind.__name__ for kind in WorkflowError.kinds.values())}


def catches(path: Path, names: set[str]) -> list[str]:
    """`file:line` of each except clause in the file that names one of `names`."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ExceptHandler) and node.type is not None:
            named = {n.id for n in ast.walk(node.type) if isinstance(n, ast.Name)}
            named |= {n.attr for n in ast.walk(node.type) if isinstance(n, ast.Attribute)}
            if named & names:
                found.append(f"{path}:{node.lineno}")
    return found


def stray_catches(root: Path) -> list[str]:
    names = refusal_names()
    return [
        catch
        for face in FACES
        for path in sorted(root.glob(face))
        if str(path.relative_to(root)) not in HANDLERS
        for catch in catches(path, names)
    ]


def test_refusals_are_caught_only_by_each_faces_one_helper():
    root = Path(settings.BASE_DIR)
    assert stray_catches(root) == []
    assert len([path for face in FACES for path in root.glob(face)]) > 25  # the walk does see the faces
    assert catches(root / "policies/portal/refusals.py", refusal_names())  # and would see a catch


def test_a_view_catching_a_refusal_itself_is_found(tmp_path):
    view = tmp_path / "policies" / "portal" / "stray.py"
    view.parent.mkdir(parents=True)
    view.write_text("try:\n    pass\nexcept services.AttachmentTooLarge:\n    pass\n", encoding="utf-8")
    assert stray_catches(tmp_path) == [f"{view}:3"]
