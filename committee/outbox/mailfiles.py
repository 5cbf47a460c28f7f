"""The demo's mailbox: each email written to its own file in EMAIL_FILE_PATH (var/mail/), ready to open.

Django's file backend writes every message of one connection into one file, and the worker sends a batch
over one connection; here each message gets a file of its own, `<time>-<n>.eml`, which mail programs open.
"""

import datetime
import itertools
import os

from django.core.mail.backends.filebased import EmailBackend as DjangoFileBackend

_numbers = itertools.count(1)


class EmailBackend(DjangoFileBackend):
    def write_message(self, message):
        self.stream.write(message.message().as_bytes())

    def send_messages(self, email_messages):
        sent = 0
        for message in email_messages:
            self.close()  # a new file for each message
            self._fname = None
            sent += super().send_messages([message])
        self.close()
        return sent

    def _get_filename(self):
        if self._fname is None:
            moment = datetime.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
            self._fname = os.path.join(self.file_path, f"{moment}-{os.getpid()}-{next(_numbers)}.eml")
        return self._fname
