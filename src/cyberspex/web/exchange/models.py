"""The receiving side: what was delivered to which organisation, the receipts both sides see,
the messages, answers, produced files and decisions, the organisations' signing keys and the
policy profiles that providers and registrars publish in the directory.

A request issued on this instance is delivered to each recipient its route names
(``exchange/routing.py``) as a :class:`Delivery`: the recipient's package frozen at delivery
and signed with the issuing organisation's key (``exchange/signing.py``). Nothing here is ever
shown to a recipient except through ``exchange/selectors.py``, which applies the forms'
recipient rules.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from cyberspex.web.accounts.models import Organisation
from cyberspex.web.cases.models import Request


class Function(models.TextChoices):
    """What an organisation does in an exchange; the directory lists them (an organisation may
    hold several, e.g. a German authority that is both the Art 7(5) notified authority and the
    enforcing authority under the Regulation)."""

    PROVIDER = "provider", _("Service provider")
    REGISTRAR = "registrar", _("Domain name registrar (CETS 224 Art 6)")
    NOTIFIED_AUTHORITY = "notified_authority", _("Authority notified of Art 7 orders (CETS 224 Art 7(5)(a))")
    ENFORCING_AUTHORITY = "enforcing_authority", _("Enforcing authority (Regulation (EU) 2023/1543 Arts 8 and 12)")
    REQUESTED_PARTY = "requested_party", _("Authority receiving Art 8 orders (CETS 224 Art 8(10), 8(11))")
    CENTRAL_AUTHORITY = "central_authority", _("Central authority (mutual assistance, CETS 224 Art 10)")
    CONTACT_247 = "contact_247", _("24/7 point of contact (ETS 185 Art 35, CETS 224 Art 9)")


class DeliveryRole(models.TextChoices):
    """Why an organisation received a request."""

    ADDRESSEE = "addressee", _("Addressee (provider or registrar)")
    NOTIFIED = "notified", _("Notified authority (CETS 224 Art 7(5)(a))")
    ENFORCING = "enforcing", _("Enforcing authority (Regulation (EU) 2023/1543 Art 8)")
    REQUESTED_PARTY = "requested_party", _("Requested Party (CETS 224 Art 8)")
    SERVED = "served", _("Provider served by the requested Party (CETS 224 Art 8(6))")
    CONTACT_247 = "contact_247", _("24/7 point of contact")
    CENTRAL = "central", _("Central authority")


class DeliveryStatus(models.TextChoices):
    SENT = "sent", _("Sent to the recipient's instance, not yet received")
    DELIVERED = "delivered", _("Delivered")
    OPENED = "opened", pgettext_lazy("exchange", "Opened")
    BLOCKED = "blocked", _("Disclosure blocked by the notified authority")
    ANSWERED = "answered", pgettext_lazy("exchange", "Answered")
    DECIDED = "decided", _("Decided")
    WITHDRAWN = "withdrawn", _("Withdrawn by the issuing authority")


# Delivered (or, to a peer's organisation, sent) and not yet answered, decided or blocked: what
# its recipient may still act on.
OPEN_STATUSES = frozenset({DeliveryStatus.SENT, DeliveryStatus.DELIVERED, DeliveryStatus.OPENED})


class Delivery(models.Model):
    """One recipient's copy of an issued request: the package it may see, frozen and signed."""

    request = models.ForeignKey(Request, on_delete=models.PROTECT, related_name="deliveries")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="deliveries")
    role = models.CharField(max_length=20, choices=DeliveryRole.choices)
    package = models.CharField(max_length=20)  # the form's package: provider, notification, authority
    content = models.JSONField()  # cyberspex.forms.package.package_data(...) at delivery
    # Detached JWS (RFC 7515 Appendix F; EdDSA, Ed25519) over the canonical JSON of ``content``
    # and the SHA-256 of the document rendered from it (exchange/signing.py).
    signature = models.TextField()
    key_id = models.CharField(max_length=64)
    signed_by = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    document = models.BinaryField()  # the PDF rendered from ``content`` at delivery, as signed
    document_sha256 = models.CharField(max_length=64)
    document_language = models.CharField(max_length=8)
    exercise = models.BooleanField(default=False)  # made on an exercise instance: every view says so
    status = models.CharField(max_length=12, choices=DeliveryStatus.choices, default=DeliveryStatus.DELIVERED)
    delivered_at = models.DateTimeField(db_index=True)
    opened_at = models.DateTimeField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    blocked_at = models.DateTimeField(null=True, blank=True)
    blocked_reason = models.TextField(blank=True)  # what the recipient is told (never the authority's reasons)
    # A delivery made by a recipient onwards: the provider served by the requested Party, or the
    # provider a 24/7 point of contact handed an emergency request to.
    parent = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="children")
    # Between instances (exchange/remote.py): the manifest as signed ("manifest", so the signature
    # verifies on both sides whatever the local ids), and on the receiving side the issuing
    # instance ("peer") and its id of the delivery ("delivery"). Null for a delivery on one instance.
    remote = models.JSONField(null=True, blank=True)
    # The time from the delivery to the first response and to the completion (the statistics'
    # definitions; NULL: not yet), kept by the database itself (exchange/statistics_durations.py),
    # never written by the application.
    first_response = models.DurationField(null=True, blank=True, editable=False)
    completion = models.DurationField(null=True, blank=True, editable=False)

    class Meta:
        # The inbox, newest first; the statistics of what an organisation received in a period,
        # read from the index alone (the row holds the signed document).
        indexes = [
            models.Index(fields=["organisation", "-delivered_at"], name="delivery_inbox"),
            models.Index(
                fields=["organisation", "delivered_at", "request", "signed_by", "status", "first_response", "completion"],
                name="delivery_org_statistics",
            ),
        ]
        constraints = [
            models.UniqueConstraint(fields=["request", "organisation", "role"], name="delivery_once_per_recipient_role")
        ]


class ReceiptKind(models.TextChoices):
    DELIVERED = "delivered", _("Delivered")
    OPENED = "opened", pgettext_lazy("exchange", "Opened")
    ANSWERED = "answered", pgettext_lazy("exchange", "Answered")
    DECIDED = "decided", _("Decision taken")
    MESSAGE = "message", _("Message sent")
    SERVED = "served", _("Served on the provider")


class Receipt(models.Model):
    """A timestamped record that both sides see. ``nonce`` is unique: a receipt sent twice (a
    replay) is refused."""

    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="receipts")
    kind = models.CharField(max_length=12, choices=ReceiptKind.choices)
    at = models.DateTimeField()
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    nonce = models.CharField(max_length=64, unique=True)


class Channel(models.TextChoices):
    CLARIFICATION = "clarification", _("Clarification (issuing authority and recipient)")
    # CETS 224 Art 7(5)(d)(i): the notified authority may ask the issuing authority for more
    # information, which it may not pass to the provider without that authority's consent; never
    # shown to the provider. (The "consultation" of Art 7(5)(b) is the provider's, with its own authorities.)
    CONSULTATION = "consultation", _("Request for more information (issuing authority and notified or enforcing authority)")


class Message(models.Model):
    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="messages")
    channel = models.CharField(max_length=16, choices=Channel.choices)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")  # the sender's
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField()
    at = models.DateTimeField()


class Outcome(models.TextChoices):
    DATA = "data", _("Data produced")
    PARTIAL = "partial", _("Part of the data produced")
    NO_DATA = "no_data", _("No data")
    REFUSED = "refused", pgettext_lazy("exchange", "Refused")
    # A preservation order (EPOC-PR, Budapest Art 29) is answered by preserving the data, not by producing it.
    PRESERVED = "preserved", _("Data preserved")


class Answer(models.Model):
    """A provider's or registrar's answer to what was delivered to it: one per delivery."""

    delivery = models.OneToOneField(Delivery, on_delete=models.PROTECT, related_name="answer")
    outcome = models.CharField(max_length=10, choices=Outcome.choices)
    reason_code = models.CharField(max_length=32, blank=True)  # exchange/answers.py REASONS
    reason = models.TextField(blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()


class ProducedFile(models.Model):
    """A file produced with an answer. Stored encrypted through Django's storage API (so a
    deployment may use object storage); its SHA-256 is of the plain content, taken at upload and
    checked again at every download.

    A file of an answer given on a peer (docs/federation.md "Files") is listed here when the
    answer is recorded, with the name, size and SHA-256 the peer's answer states and no
    ``stored_name``: it is "arriving" until its chunks are all in and their SHA-256 checked, when
    ``received`` links it to the file as this instance keeps it (federation ReceivedFile)."""

    answer = models.ForeignKey(Answer, on_delete=models.PROTECT, related_name="files")
    name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    stored_name = models.CharField(max_length=300, blank=True)  # the storage's name of the encrypted content
    uploaded_at = models.DateTimeField()
    received = models.ForeignKey(
        "federation.ReceivedFile", on_delete=models.PROTECT, null=True, blank=True, related_name="produced"
    )

    @property
    def arriving(self) -> bool:
        """Listed in a peer's answer, its content not all received yet."""
        return not self.stored_name and self.received_id is None


class DecisionKind(models.TextChoices):
    # CETS 224 Art 7(5): the notified authority
    NO_OBJECTION = "no_objection", _("No objection")
    CONSULT = "consult", _("Request for more information from the issuing authority")
    NON_DISCLOSURE = "non_disclosure", _("Instruction not to disclose (CETS 224 Art 7(5)(c))")
    # Regulation (EU) 2023/1543 Art 12: the enforcing authority
    GROUND_FOR_REFUSAL = "ground_for_refusal", _("Ground for refusal raised (Regulation (EU) 2023/1543 Art 12)")
    # (workstream "notified") the enforcing authority confirms it raises no ground (Art 10(2), 12(1))
    NO_GROUND = "no_ground", _("No ground for refusal raised (Regulation (EU) 2023/1543 Arts 10(2), 12(1))")
    # CETS 224 Art 8: the requested Party
    COMPLETE = "complete", _("All the Art 8(3) and 8(4) information received")
    INCOMPLETE = "incomplete", _("Information missing (CETS 224 Art 8(3), 8(4))")
    SERVED = "served", _("Order served on the provider (CETS 224 Art 8(6)(a))")
    CONDITIONS = "conditions", _("Conditions (CETS 224 Art 8(8))")
    POSTPONED = "postponed", _("Execution postponed (CETS 224 Art 8(8))")
    REFUSED = "refused", _("Execution refused (CETS 224 Art 8(8))")
    DATA_PASSED_BACK = "data_passed_back", _("Produced data passed to the requesting Party (CETS 224 Art 8(6)(b))")
    # 24/7 points of contact and central authorities
    EMERGENCY_ACCEPTED = "emergency_accepted", _("Emergency accepted")
    EMERGENCY_NOT_ACCEPTED = "emergency_not_accepted", _("Emergency not accepted")
    HANDED_OFF = "handed_off", _("Handed off")


class Decision(models.Model):
    """A decision by an authority that received the request; who may see it is decided in
    exchange/selectors.py (the provider never sees a notified authority's reasons)."""

    delivery = models.ForeignKey(Delivery, on_delete=models.PROTECT, related_name="decisions")
    kind = models.CharField(max_length=24, choices=DecisionKind.choices)
    grounds = models.JSONField(default=list, blank=True)  # e.g. ["7.5.c.i"] or missing Art 8(3) items
    reasons = models.TextField(blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()

    class Meta:
        # The statistics' decisions by kind, read from the index alone.
        indexes = [models.Index(fields=["delivery", "kind"], name="decision_statistics")]


class SigningKey(models.Model):
    """An organisation's Ed25519 key, held by the instance. The private key is stored sealed
    (exchange/sealing.py); the public key is published in the directory. A rotation retires the
    current key (``retired_at``): it still verifies what it signed, and signs nothing new."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="signing_keys")
    key_id = models.CharField(max_length=64, unique=True)
    public_key = models.CharField(max_length=64)  # raw 32 bytes, base64url without padding (JWK "x")
    private_key_sealed = models.BinaryField()
    created_at = models.DateTimeField()
    retired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation"], condition=models.Q(retired_at__isnull=True), name="one_current_key_per_organisation"
            )
        ]


class PolicyProfile(models.Model):
    """What a provider or registrar publishes about how it handles requests (the directory shows
    it; the route advisor's voluntary route and the forms' language check read it)."""

    organisation = models.OneToOneField(Organisation, on_delete=models.CASCADE, related_name="policy")
    languages = models.JSONField(default=list, blank=True)  # ISO 639-1 codes accepted
    electronic_submission = models.BooleanField(default=True)
    user_notification = models.TextField(blank=True)  # its practice of telling users about requests
    confidentiality = models.TextField(blank=True)
    emergency_disclosure = models.TextField(blank=True)
    rdap_access = models.TextField(blank=True)  # registrars: WHOIS/RDAP access to registration data
    # Regulation (EU) 2023/1543 Art 3 / Directive (EU) 2023/1544: its designated establishment or
    # legal representative in the Union, and the Member State where it is.
    eu_establishment_state = models.CharField(max_length=2, blank=True)
    eu_establishment_kind = models.CharField(max_length=24, blank=True)  # designated_establishment, legal_representative
    eu_establishment_name = models.CharField(max_length=200, blank=True)
    source = models.CharField(max_length=300, blank=True)  # where the provider states it (its policy page)
    updated_at = models.DateTimeField()


# -- workstream "urgent": 24/7 points of contact ---------------------------------------------------


class OralRequest(models.Model):
    """An emergency request a 24/7 point of contact received by telephone from a foreign 24/7
    point of contact that is not on this platform (CETS 224 Art 9(4): the requested Party may
    accept an oral request and require it to be confirmed electronically). It is recorded as it
    was taken, then confirmed: by the written request delivered on the platform, or by a note of
    the written confirmation received by other means, with its date."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="oral_requests")
    caller_name = models.CharField(max_length=200)
    caller_authority = models.CharField(max_length=200)  # the foreign 24/7 point of contact
    caller_state = models.CharField(max_length=2)  # ISO 3166-1 alpha-2
    caller_phone = models.CharField(max_length=50, blank=True)
    called_at = models.DateTimeField()
    asked = models.TextField()  # what was asked: the provider, the data sought
    emergency_facts = models.TextField()  # as the caller gave them (Art 9(3)(e) in the written request)
    # Forged requests: whether the member called the caller back on a number known independently.
    callback_verified = models.BooleanField(default=False)
    taken_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()
    confirmed_at = models.DateTimeField(null=True, blank=True)  # when the confirmation was recorded here
    confirmation_delivery = models.ForeignKey(
        Delivery, on_delete=models.PROTECT, null=True, blank=True, related_name="confirms_oral_requests"
    )
    confirmation_note = models.TextField(blank=True)  # a written confirmation received outside the platform
    confirmation_date = models.DateField(null=True, blank=True)  # the date of that written confirmation
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        indexes = [models.Index(fields=["organisation", "-called_at"], name="oral_request_inbox")]
