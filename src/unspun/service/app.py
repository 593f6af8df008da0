"""The web service: an HTTP API over the library, and the page that shows a report.

``create_app`` builds a FastAPI app. The API takes text or HTML in the request and nothing
else: the server never fetches a URL. Everything the page and the API docs need is served by
the app itself, so it works with no outside network.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from contextlib import asynccontextmanager
from functools import partial
from importlib import resources
from typing import Any

from fastapi import FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import FileResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator
from pydantic_core import PydanticCustomError

from unspun.errors import InputError
from unspun.pipeline import Pipeline
from unspun.report import SCHEMA
from unspun.schema import report_schema
from unspun.service.limits import BodySizeLimit
from unspun.service.runner import Busy, Runner, TimedOut
from unspun.source import MAX_INPUT_BYTES, Source, from_bytes, from_string, looks_like_html

#: The largest request body accepted: the largest input the library takes, plus room for the
#: JSON quoting or the multipart envelope around it.
MAX_REQUEST_BYTES = MAX_INPUT_BYTES + 1_000_000
#: Seconds an analysis may take, waiting for its turn included.
TIME_LIMIT = 30.0

log = logging.getLogger("unspun.service")

STATIC = resources.files("unspun.service") / "static"

# The page runs only its own script and style, and talks only to this server.
_PAGE_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'none'; base-uri 'none'; frame-ancestors 'none'"
)


class CheckRequest(BaseModel):
    """One article, as plain text or as an HTML page: exactly one of ``text`` and ``html``."""

    model_config = ConfigDict(extra="forbid")

    text: str | None = Field(None, description="the article as plain text", examples=["Headline\n\nFirst paragraph."])
    html: str | None = Field(None, description="the article as an HTML page (or fragment)")
    name: str | None = Field(None, max_length=300, description="a name for the input, shown in the report")

    @model_validator(mode="before")
    @classmethod
    def _no_urls(cls, data: Any) -> Any:
        if isinstance(data, dict) and "url" in data:
            raise PydanticCustomError(
                "url_not_fetched", "the server never fetches URLs: send the page itself in 'html', or its text in 'text'"
            )
        return data

    @model_validator(mode="after")
    def _exactly_one(self) -> CheckRequest:
        if (self.text is None) == (self.html is None):
            which = "both were given" if self.text is not None else "neither was given"
            raise PydanticCustomError("exactly_one", "give exactly one of 'text' and 'html': {which}", {"which": which})
        return self

    def name_or_default(self) -> str:
        return self.name or ("<text>" if self.text is not None else "<html>")

    def reader(self) -> Callable[[], Source]:
        """What turns this request into a Source; HTML extraction is real work, so it runs
        later in the analysis thread, under the time limit, not on the event loop."""
        name = self.name_or_default()
        given = self.text if self.text is not None else self.html or ""
        _check_size(len(given.encode("utf-8", "surrogatepass")), name)
        if self.text is not None:
            return partial(from_string, self.text, name)
        # A fragment ("<p>..</p><p>..</p>") is still HTML when the client says so.
        if not looks_like_html(given.encode("utf-8", "surrogatepass")) and given.strip():
            given = f"<html><body>{given}</body></html>"
        return partial(from_string, given, name)


def _check_size(size: int, name: str) -> None:
    if size > MAX_INPUT_BYTES:
        raise HTTPException(413, f"{name}: input is {size:,} bytes, over the limit of {MAX_INPUT_BYTES:,}")


_CHECK_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {"schema": {"$ref": "#/components/schemas/CheckRequest"}},  # added below
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "properties": {"file": {"type": "string", "format": "binary",
                                            "description": "a .txt or .html file"}},
                    "required": ["file"],
                }
            },
        },
    },
    "responses": {
        "200": {"description": "the report, schema unspun.report/1",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Report"}}}},
        "400": {"description": "the input cannot be analysed (empty, binary, ...)"},
        "413": {"description": "the request body is over the size limit"},
        "415": {"description": "neither JSON nor a multipart upload"},
        "422": {"description": "malformed JSON, or wrong or missing fields (named in detail)"},
        "503": {"description": "busy: the analysis could not start within the time limit"},
        "504": {"description": "the analysis ran over the time limit"},
    },
}  # fmt: skip


def create_app(
    pipeline: Pipeline | None = None,
    sources: Any = None,
    *,
    max_request_bytes: int = MAX_REQUEST_BYTES,
    time_limit: float = TIME_LIMIT,
) -> FastAPI:
    """The app. ``pipeline`` defaults to the library's shared one; ``sources`` is an open
    ``SourceIndex`` to trace sentences against, or None."""
    from unspun import __version__, default_pipeline

    runner = Runner(pipeline or default_pipeline(), sources, time_limit=time_limit)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        yield
        runner.close()

    app = FastAPI(
        lifespan=lifespan,
        title="unspun",
        version=__version__,
        description="Find what is wrong with scraped web news. Send the text or the HTML of an "
        "article; the server never fetches URLs.",
        docs_url=None,  # served below from local assets instead of a CDN
        redoc_url=None,
    )
    app.state.runner = runner
    app.add_middleware(BodySizeLimit, max_bytes=max_request_bytes)

    @app.get("/api/health", tags=["api"], summary="Is the service up")
    async def health() -> dict[str, Any]:
        return {"status": "ok", "version": __version__, "schema": SCHEMA, "sources": sources is not None}

    @app.post("/api/check", tags=["api"], summary="Analyse one article", openapi_extra=_CHECK_BODY)
    async def check(request: Request) -> JSONResponse:
        name, read = await _read_request(request)
        try:
            report = await runner.check(read)
        except InputError as e:
            return JSONResponse({"detail": str(e)}, status_code=400)
        except Busy as e:
            return JSONResponse({"detail": f"busy: {e}"}, status_code=503, headers={"Retry-After": "5"})
        except TimedOut as e:
            return JSONResponse({"detail": str(e)}, status_code=504)
        except Exception:
            # A bug, not bad input: logged with its traceback, answered without internals.
            log.exception("analysis of %s failed", name)
            return JSONResponse({"detail": f"{name}: internal error while analysing the input"}, status_code=500)
        return JSONResponse(report.to_dict())

    @app.exception_handler(InputError)
    async def _input_error(request: Request, e: InputError) -> JSONResponse:
        return JSONResponse({"detail": str(e)}, status_code=400)

    @app.get("/api/schema", tags=["api"], summary="The report's JSON schema (unspun.report/1)")
    async def schema() -> dict[str, Any]:
        return report_schema()

    @app.get("/static/palette.css", include_in_schema=False)
    def palette() -> Response:
        # One file of colours for the page and the standalone HTML report.
        css = resources.files("unspun.render").joinpath("palette.css").read_text(encoding="utf-8")
        return Response(css, media_type="text/css; charset=utf-8")

    app.mount("/static", StaticFiles(directory=str(STATIC)), name="static")
    _docs(app)
    _describe(app)

    @app.get("/", include_in_schema=False)
    def page() -> FileResponse:
        return FileResponse(
            str(STATIC / "index.html"),
            media_type="text/html; charset=utf-8",
            headers={"Content-Security-Policy": _PAGE_CSP, "X-Content-Type-Options": "nosniff",
                     "Referrer-Policy": "no-referrer"},
        )  # fmt: skip

    return app


async def _read_request(request: Request) -> tuple[str, Callable[[], Source]]:
    """The input's name, and what makes its Source. Wrong requests fail here, at once (413,
    415, 422); what the input holds is judged later, in the analysis thread (400)."""
    ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if ctype == "multipart/form-data":
        return await _read_upload(request)
    if ctype not in ("application/json", ""):
        raise _unsupported(ctype)
    body = await request.body()
    try:
        req = CheckRequest.model_validate_json(body)
    except ValidationError as e:
        # The same 422 shape FastAPI gives for declared bodies, each error's loc under "body".
        raise RequestValidationError([_error(err) for err in e.errors(include_url=False)]) from None
    return req.name_or_default(), req.reader()


def _error(err: dict[str, Any]) -> dict[str, Any]:
    """A validation error with its location under "body", as FastAPI reports a declared body,
    and without the input echoed back when it is long (it may be a whole article)."""
    out = {k: v for k, v in err.items() if k not in ("input", "ctx")}
    out["loc"] = ("body", *err["loc"])
    value = err.get("input")
    if isinstance(value, (str, int, float, bool)) and len(str(value)) <= 200:
        out["input"] = value
    return out


async def _read_upload(request: Request) -> tuple[str, Callable[[], Source]]:
    form = await request.form(max_files=1, max_fields=4)
    upload = form.get("file")
    if upload is None or isinstance(upload, str):
        raise RequestValidationError(
            [{"type": "missing", "loc": ("body", "file"), "msg": "a multipart upload needs a 'file' field",
              "input": None}]
        )  # fmt: skip
    name = upload.filename or "<upload>"
    _check_size(upload.size if upload.size is not None else 0, name)
    data = await upload.read()
    _check_size(len(data), name)
    return name, partial(from_bytes, data, name)


def _unsupported(ctype: str) -> Exception:
    return HTTPException(
        415, f"content type {ctype!r} is not accepted: send application/json or a multipart/form-data upload"
    )


def _describe(app: FastAPI) -> None:
    """Add to the OpenAPI description the two bodies the check route reads and answers by hand:
    the request model, and the report's own JSON schema (its $defs moved under components)."""
    from fastapi.openapi.utils import get_openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            spec = get_openapi(title=app.title, version=app.version, description=app.description, routes=app.routes)
            schemas = spec.setdefault("components", {}).setdefault("schemas", {})
            schemas["CheckRequest"] = CheckRequest.model_json_schema()
            report = {k: v for k, v in report_schema().items() if k not in ("$schema", "$id")}
            text = json.dumps(report).replace('"#/$defs/', '"#/components/schemas/Report_')
            report = json.loads(text)
            for name, definition in report.pop("$defs", {}).items():
                schemas[f"Report_{name}"] = definition
            schemas["Report"] = report
            app.openapi_schema = spec
        return app.openapi_schema

    app.openapi = openapi


def _docs(app: FastAPI) -> None:
    """Swagger UI from the swagger-ui-bundle package, served by the app."""
    import swagger_ui_bundle

    app.mount("/docs/assets", StaticFiles(directory=swagger_ui_bundle.swagger_ui_path), name="swagger-assets")

    @app.get("/docs", include_in_schema=False)
    def docs():
        return get_swagger_ui_html(
            openapi_url=app.openapi_url or "/openapi.json",
            title="unspun API",
            swagger_js_url="/docs/assets/swagger-ui-bundle.js",
            swagger_css_url="/docs/assets/swagger-ui.css",
            swagger_favicon_url="/docs/assets/favicon-32x32.png",
        )
