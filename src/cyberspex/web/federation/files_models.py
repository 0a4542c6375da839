"""The records of produced files travelling between instances in chunks (federation/files.py):
on the sending side a transfer per (message, file); on the receiving side the file being received,
its chunks in staging, and, once every chunk is in and the whole SHA-256 checked, the file itself.
Imported by federation/models.py (the app's models)."""

from __future__ import annotations

from django.db import models

from cyberspex.web.federation.models import InboxMessage, OutboxMessage


class TransferState(models.TextChoices):
    PENDING = "pending", "pending"  # chunks to send once the message's receipt is recorded
    SENT = "sent", "sent"  # the peer holds every chunk and checked the whole file's SHA-256
    FAILED = "failed", "failed"  # refused by the peer for a reason retrying does not change


class FileTransfer(models.Model):
    """A produced file to send with an outbox message, in chunks of ``chunk_size`` read from its
    sealed copy in ``storages["exchange"]`` (opened on the fly, never held whole)."""

    message = models.ForeignKey(OutboxMessage, on_delete=models.PROTECT, related_name="files")
    name = models.CharField(max_length=200)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    source_name = models.CharField(max_length=300)  # the storage's name of the sealed content
    source_purpose = models.CharField(max_length=400)  # what the seal is bound to (exchange/sealing.py)
    chunk_size = models.PositiveIntegerField()
    chunks = models.PositiveIntegerField()  # how many chunks the file makes
    chunks_sent = models.PositiveIntegerField(default=0)  # those the peer holds, at the last count
    state = models.CharField(max_length=16, choices=TransferState.choices, default=TransferState.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    claimed_until = models.DateTimeField(null=True, blank=True)  # a worker's lease while it sends
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField()
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [  # noqa: RUF012  # Django's Meta idiom
            models.UniqueConstraint(fields=["message", "sha256"], name="one_transfer_per_message_and_file")
        ]


class ReceivedFile(models.Model):
    """A file a peer sends with a message it delivered (listed in the envelope's ``files``). Its
    chunks wait in staging until all are in; then the whole SHA-256 is checked and the file is
    sealed under ``stored_name``: it is available once ``completed_at`` is set."""

    message = models.ForeignKey(InboxMessage, on_delete=models.PROTECT, related_name="files")
    name = models.CharField(max_length=200)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    chunk_size = models.PositiveIntegerField()
    chunks = models.PositiveIntegerField()
    stored_name = models.CharField(max_length=300, blank=True)  # the storage's name once complete
    started_at = models.DateTimeField()
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [  # noqa: RUF012  # Django's Meta idiom
            models.UniqueConstraint(fields=["message", "sha256"], name="one_received_file_per_message_and_file")
        ]


class ReceivedChunk(models.Model):
    """A chunk in staging, verified (signature, size, SHA-256) and sealed; removed once the file is complete."""

    file = models.ForeignKey(ReceivedFile, on_delete=models.CASCADE, related_name="staged")
    index = models.PositiveIntegerField()
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    stored_name = models.CharField(max_length=300)
    received_at = models.DateTimeField()

    class Meta:
        constraints = [  # noqa: RUF012  # Django's Meta idiom
            models.UniqueConstraint(fields=["file", "index"], name="one_chunk_per_file_and_index")
        ]
