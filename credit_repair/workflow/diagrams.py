"""Machine diagrams as Mermaid text, optionally with a case's path marked."""

from statemachine.contrib.diagram import formatter

from credit_repair.workflow.machines import machine_class


def mermaid(name: str, visited: list[str] | None = None) -> str:
    """The machine ``name`` as a Mermaid state diagram; states in ``visited`` (a
    case's path, oldest first) are highlighted and the last one marked current."""
    text = formatter.render(machine_class(name), "mermaid").rstrip()
    if not visited:
        return text + "\n"
    lines = [text, "", "    classDef visited fill:#d6eaff,stroke:#336"]
    lines.append("    classDef current fill:#40E0D0,stroke:#333,stroke-width:3px")
    for state in dict.fromkeys(visited[:-1]):
        if state != visited[-1]:
            lines.append(f"    {state}:::visited")
    lines.append(f"    {visited[-1]}:::current")
    return "\n".join(lines) + "\n"


def svg(name: str) -> bytes:
    """The machine as SVG; needs Graphviz's ``dot`` on the PATH."""
    return formatter.render(machine_class(name), "svg").encode("utf-8")
