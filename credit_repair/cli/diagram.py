"""``credit-repair diagram``: a machine as Mermaid, optionally a case's path."""

import typer

from credit_repair.bootstrap import open_engine
from credit_repair.cli.context import reported_errors
from credit_repair.persistence.views import case_history, case_owner
from credit_repair.workflow.diagrams import mermaid


def diagram(
    machine: str = typer.Argument("commitment"),
    case: int = typer.Option(None, "--case", help="Mark this case's path."),
) -> None:
    """Print the machine as a Mermaid state diagram."""
    with reported_errors():
        visited = None
        if case is not None:
            with open_engine().connect() as conn:
                procedure = case_owner(conn, case)[0]
                if procedure != machine:
                    raise typer.BadParameter(
                        f"case {case} is a {procedure} case; "
                        f"use: credit-repair diagram {procedure} --case {case}",
                        param_hint="--case",
                    )
                visited = [r["target"] for r in case_history(conn, case) if r["target"]]
        typer.echo(mermaid(machine, visited), nl=False)
