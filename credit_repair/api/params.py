"""Path and query parameters shared by the routes: ids and pagination; and the
check that a form route got a form."""

from typing import Annotated

from fastapi import Path, Query, Request

from credit_repair.api.types import LARGEST_ID
from credit_repair.workflow.errors import InvalidInput

PathId = Annotated[int, Path(ge=1, le=LARGEST_ID)]
Limit = Annotated[int, Query(ge=1, le=500, description="Items per page")]
Offset = Annotated[int, Query(ge=0, le=10**9, description="Items to skip")]


def multipart(*fields: str):
    """A dependency refusing, as a 422 naming the body, a request to a form route
    that is no multipart/form-data (JSON, say): else each form field would be
    reported missing although it was sent."""

    def require_form(request: Request) -> None:
        sent = request.headers.get("content-type", "").split(";")[0].strip()
        if sent != "multipart/form-data":
            raise InvalidInput(
                {
                    "body": "this route takes multipart/form-data with the fields "
                    f"{', '.join(fields)}, not {sent or 'a body without a type'}"
                }
            )

    return require_form
