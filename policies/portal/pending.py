"""Files a liaison chose on the proposal form, kept server-side across a refused save until the draft is saved.

A browser forgets the selected files when the form comes back with an error, so every upload that passes
`services.check_upload` is stored at once under `pending/` and listed in the user's session (per form: a new
proposal, or one proposal's edit page). The next successful save attaches them through the same verb as fresh
uploads, which checks them again; a ticked "do not attach" drops one. Nothing here is an attachment until then.
"""

import secrets
from pathlib import PurePath

from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from policies.uploads import PENDING_FOLDER as FOLDER

SESSION_KEY = "pending_uploads"


class PendingUploads:
    """The pending files of one form (`form_key`) in the request's session."""

    def __init__(self, request, form_key: str):
        self.session = request.session
        self.form_key = form_key

    def all(self) -> list[dict]:
        return list(self.session.get(SESSION_KEY, {}).get(self.form_key, []))

    def _store(self, entries: list[dict]) -> None:
        pending = dict(self.session.get(SESSION_KEY, {}))
        if entries:
            pending[self.form_key] = entries
        else:
            pending.pop(self.form_key, None)
        self.session[SESSION_KEY] = pending

    def keep(self, uploaded) -> None:
        """Store a checked upload until the form is saved."""
        token = secrets.token_hex(16)
        suffix = PurePath(uploaded.name or "").suffix.lower()[:10]
        uploaded.seek(0)
        path = default_storage.save(f"{FOLDER}/{token}{suffix}", uploaded)
        uploaded.seek(0)
        entry = {
            "token": token,
            "name": (uploaded.name or "file")[-255:],
            "content_type": uploaded.content_type,
            "size": uploaded.size,
            "path": path,
        }
        self._store([*self.all(), entry])

    def discard(self, tokens) -> None:
        tokens = set(tokens)
        keep = []
        for entry in self.all():
            if entry["token"] in tokens:
                default_storage.delete(entry["path"])
            else:
                keep.append(entry)
        self._store(keep)

    def files(self) -> list[UploadedFile]:
        """The pending files, opened, in the shape of fresh uploads (a missing one is left out)."""
        opened = []
        for entry in self.all():
            if default_storage.exists(entry["path"]):
                handle = default_storage.open(entry["path"], "rb")
                opened.append(
                    UploadedFile(handle, name=entry["name"], content_type=entry["content_type"], size=entry["size"])
                )
        return opened

    def clear(self) -> None:
        """After a successful save: forget them and delete the stored copies once the save is committed."""
        paths = [entry["path"] for entry in self.all()]
        self._store([])
        transaction.on_commit(lambda: [default_storage.delete(path) for path in paths])
