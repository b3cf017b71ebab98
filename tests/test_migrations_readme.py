"""migrations/README lists the revision chain in upgrade order: it must stay the chain
the revisions' ``down_revision`` make (a new head added there too)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

VERSIONS = Path(__file__).resolve().parent.parent / "migrations" / "versions"
README = VERSIONS.parent / "README"


def _chain_from_revisions() -> list[str]:
    parent: dict[str, str | None] = {}
    for path in VERSIONS.glob("*.py"):
        values: dict[str, str | None] = {}
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.Assign | ast.AnnAssign):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                for target in targets:
                    if isinstance(target, ast.Name) and target.id in ("revision", "down_revision"):
                        assert node.value is not None
                        values[target.id] = ast.literal_eval(node.value)
        assert isinstance(values["revision"], str), path.name
        parent[values["revision"]] = values["down_revision"]
    children = {down: rev for rev, down in parent.items()}
    chain, current = [], children.get(None)
    while current is not None:
        chain.append(current)
        current = children.get(current)
    assert len(chain) == len(parent), "the revisions do not form one chain"
    return chain


def test_the_readme_lists_the_revision_chain_in_upgrade_order() -> None:
    text = README.read_text(encoding="utf-8")
    block = re.search(r"upgrade order \(head last\):\n\n(.*?)\n\n", text, re.DOTALL)
    assert block, "migrations/README no longer lists the chain"
    listed = re.findall(r"\d{4}", block[1])
    assert listed == _chain_from_revisions()
