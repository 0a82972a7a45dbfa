"""Pages: upload a batch of reports, watch it being processed, read the results table."""
from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from . import csrf
from .auth import User, reviewer, viewer
from .jobs import Batch
from .rendering import render
from .uploads import Limits, UploadRefused, check_request_size, read_upload

router = APIRouter()


def limits_of(request: Request) -> Limits:
    return request.app.state.limits


async def size_guard(request: Request) -> None:
    """Runs before the CSRF check (which parses the body): a body announced too large is never read."""
    check_request_size(request, limits_of(request))


def batch_for(request: Request, batch_id: str, user: User) -> Batch | None:
    """A batch is visible to whoever uploaded it and to admins; ids are random and unguessable too."""
    batch = request.app.state.batches.get(batch_id)
    if batch is None or (batch.user != user.username and not user.can("admin")):
        return None
    return batch


@router.get("/upload", response_class=HTMLResponse, summary="上传页面")
def upload_page(request: Request, user: User = Depends(reviewer)) -> Response:
    return render(request, "upload.html", limits=limits_of(request))


@router.post("/upload", summary="上传一批报告（表单）",
             dependencies=[Depends(size_guard), Depends(reviewer), Depends(csrf.verify)])
async def upload_submit(request: Request, user: User = Depends(reviewer)) -> Response:
    """Accept the files, queue them, and send the browser to the batch's progress page."""
    try:
        items = await read_upload(request, limits_of(request))
    except UploadRefused as exc:
        if request.headers.get("accept", "").startswith("application/json"):
            return JSONResponse({"detail": exc.reason}, status_code=exc.status_code)
        return render(request, "upload.html", status_code=exc.status_code, limits=limits_of(request),
                      error=exc.reason)
    batch = request.app.state.batches.submit(user.username, items)
    url = str(request.url_for("batch_page", batch_id=batch.id))
    if request.headers.get("accept", "").startswith("application/json"):
        return JSONResponse({"batch": batch.id, "url": url, "status": str(request.url_for("batch_status",
                                                                                              batch_id=batch.id))})
    return RedirectResponse(url, status_code=303)


@router.get("/batches/{batch_id}", response_class=HTMLResponse, name="batch_page", summary="一批上传的进度与结果")
def batch_page(request: Request, batch_id: str, user: User = Depends(viewer)) -> Response:
    batch = batch_for(request, batch_id, user)
    if batch is None:
        return render(request, "error.html", status_code=404, message="找不到这批上传（可能已过期或不属于您）。")
    return render(request, "batch.html", batch=batch)


@router.get("/batches/{batch_id}/status", name="batch_status", summary="一批上传的进度（JSON，供页面轮询）")
def batch_status(request: Request, batch_id: str, user: User = Depends(viewer)) -> Response:
    batch = batch_for(request, batch_id, user)
    if batch is None:
        return JSONResponse({"detail": "找不到这批上传"}, status_code=404)
    return JSONResponse(batch.to_dict())
