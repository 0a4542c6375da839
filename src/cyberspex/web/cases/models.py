"""Cases, the requests made in them, their transitions and their deadlines."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from cyberspex.web.accounts.models import Organisation


class Classification(models.TextChoices):
    RESTRICTED = "restricted", "Restricted"
    CONFIDENTIAL = "confidential", "Confidential"
    SECRET = "secret", "Secret"


class Case(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="cases")
    reference = models.CharField(max_length=64)
    title = models.CharField(max_length=200)
    offences = models.JSONField(default=list, blank=True)  # [{description, provisions, max_penalty_years}]
    summary_of_facts = models.TextField(blank=True)
    identifiers = models.JSONField(default=list, blank=True)  # [{kind, value, port, time}]
    persons = models.JSONField(default=list, blank=True)  # [{name, role}]
    classification = models.CharField(max_length=16, choices=Classification.choices, default=Classification.RESTRICTED)
    retention_review_date = models.DateField()  # 2AP Art 14(5): periodic review
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()
    erased_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "reference"], name="case_reference_unique_per_organisation")
        ]
        # The lists read one organisation's cases, newest first (dashboard, search, API), and those
        # due for their retention review: each an index range, not a scan of every case.
        indexes = [
            models.Index(fields=["organisation", "-created_at", "-id"], name="case_org_newest"),
            models.Index(fields=["organisation", "retention_review_date"], name="case_org_review"),
        ]

    def __str__(self) -> str:
        return f"{self.reference}: {self.title}"


class State(models.TextChoices):
    DRAFT = "draft", "Draft"
    AWAITING_APPROVAL = "awaiting_approval", "Awaiting approval"
    VALIDATED = "validated", "Validated, ready to issue"
    ISSUED = "issued", "Issued"
    ACKNOWLEDGED = "acknowledged", "Acknowledged"
    ANSWERED = "answered", "Answered"
    REFUSED = "refused", "Refused"
    PARTIALLY_ANSWERED = "partially_answered", "Partially answered"
    LAPSED = "lapsed", "Lapsed"
    CLOSED = "closed", "Closed"
    WITHDRAWN = "withdrawn", "Withdrawn"


class Request(models.Model):
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="requests")
    # The case's organisation, kept on the request (a case stays with its organisation) so that
    # the organisation's requests, newest first (the search) or in a state by age (the approval
    # queue), are one index range, not every request of every one of its cases gathered and sorted.
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="requests")
    form_id = models.CharField(max_length=32)
    route_id = models.CharField(max_length=16)
    recipient_state = models.CharField(max_length=2)
    # The organisation on this instance the request is addressed to (the directory), or None with
    # ``sent_outside`` when it is sent by other means; the other recipients (a notified or
    # enforcing authority) follow from the route (cyberspex/web/exchange/routing.py).
    recipient_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="addressed_requests"
    )
    sent_outside = models.BooleanField(default=False)
    data = models.JSONField(default=dict)  # the form data (cyberspex.forms)
    route_advice = models.JSONField(default=dict)  # the advisor's answer when the route was chosen
    state = models.CharField(max_length=20, choices=State.choices, default=State.DRAFT)
    requires_approval = models.BooleanField(default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    # Who validated the order (Reg 2023/1543 Art 4(1)(b), 4(2)(b), 4(3); cases/approval.py): the
    # person, the capacity they acted in (cyberspex/forms/authority.py) and their authority.
    validated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    validated_at = models.DateTimeField(null=True, blank=True)
    validated_capacity = models.CharField(max_length=32, blank=True)
    validated_authority = models.CharField(max_length=200, blank=True)
    issued_at = models.DateTimeField(null=True, blank=True)
    # CETS 224 Art 8(6)(a): when the requested Party served its order on the provider; the
    # provider's 20 or 45 days to return the data run from then.
    served_at = models.DateTimeField(null=True, blank=True)
    idempotency_key = models.CharField(max_length=100, blank=True)
    # The time from the issue to the first response from a recipient and to the first final
    # state (the statistics' definitions; NULL: not yet), kept by the database itself (exchange/statistics_durations.py).
    first_response = models.DurationField(null=True, blank=True, editable=False)
    completion = models.DurationField(null=True, blank=True, editable=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["case", "idempotency_key"], condition=~models.Q(idempotency_key=""), name="request_idempotency_key_unique"
            )
        ]
        # A case's requests newest first, and those in a state (the approval queue, the search by
        # state). Always within the organisation's cases: an index on the state alone would lead
        # the planner to read every organisation's requests in that state.
        # The organisation's requests newest first also hold the columns the search compares
        # (cases/search.py): the search reads this index alone, never the rows with their form data
        # (at 100,000 requests, reading the rows made it 30 times slower).
        indexes = [
            models.Index(fields=["case", "-created_at", "-id"], name="request_case_newest"),
            models.Index(fields=["case", "state", "created_at"], name="request_case_state"),
            models.Index(
                fields=["organisation", "-created_at", "-id", "state", "form_id", "route_id", "recipient_state", "case"],
                name="request_org_newest",
            ),
            models.Index(fields=["organisation", "state", "created_at", "id"], name="request_org_state"),
            # The statistics of what an organisation issued in a period, read from the index alone.
            models.Index(
                fields=[
                    "organisation",
                    "issued_at",
                    "route_id",
                    "recipient_state",
                    "recipient_organisation",
                    "state",
                    "first_response",
                    "completion",
                ],
                name="request_org_statistics",
            ),
        ]


class Transition(models.Model):
    request = models.ForeignKey(Request, on_delete=models.CASCADE, related_name="transitions")
    from_state = models.CharField(max_length=20)
    to_state = models.CharField(max_length=20)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()
    note = models.TextField(blank=True)


class Deadline(models.Model):
    request = models.ForeignKey(Request, on_delete=models.CASCADE, related_name="deadlines")
    # The request's case's organisation, kept on the deadline (it never changes: a case stays
    # with its organisation) so that the organisation's open deadlines are one index range,
    # soonest first, without joining every request and case of the organisation.
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="deadlines")
    event = models.CharField(max_length=300)
    due_at = models.DateTimeField(db_index=True)
    citation = models.CharField(max_length=100)
    rule = models.CharField(max_length=100)
    reminded_at = models.DateTimeField(null=True, blank=True)  # when the reminder was sent (confirmed)
    done_at = models.DateTimeField(null=True, blank=True)
    # Why the deadline is done: marked done by a person (with their reason), or closed with the
    # request when it reached a final state, or superseded by a later clock (Art 8 service).
    done_reason = models.CharField(max_length=300, blank=True)
    done_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    # The advisor said the deadline applies only if a fact it does not know holds (route JSON
    # ``applies: "conditional"``), e.g. whether the enforcing authority must be notified.
    conditional = models.BooleanField(default=False)
    # Claim–send–confirm (reminders.py): a worker claims the reminder until ``reminder_claimed_until``;
    # a failed send leaves it due again from ``reminder_next_attempt_at`` (back-off).
    reminder_claimed_until = models.DateTimeField(null=True, blank=True)
    reminder_attempts = models.PositiveIntegerField(default=0)
    reminder_next_attempt_at = models.DateTimeField(null=True, blank=True)
    reminder_last_error = models.CharField(max_length=200, blank=True)

    class Meta:
        # A request's open deadlines by due date (the next deadline of each request in a list):
        # read from the index, not from the table. The organisation's open deadlines, soonest
        # first (dashboard, deadline API, calendar feed): a partial index of the open ones only.
        indexes = [
            models.Index(fields=["request", "done_at", "due_at"], name="deadline_request_open_due"),
            models.Index(
                fields=["organisation", "due_at", "id"], condition=models.Q(done_at__isnull=True), name="deadline_org_open_due"
            ),
        ]


class Attachment(models.Model):
    """A file added to a case (a warrant, a screenshot, a provider's answer). Kept in the database,
    so that a backup holds it with the case, and erased with the case's personal data."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="attachments")
    name = models.CharField(max_length=200)  # the file name as uploaded, made safe
    content_type = models.CharField(max_length=100)  # from the sniffed content, not the browser's claim
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    content = models.BinaryField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField()
