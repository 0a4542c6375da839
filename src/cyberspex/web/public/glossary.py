"""The glossary of the public pages: each term in plain words with the provision it comes from.

Every entry restates a row of the project's legal reference (the reference files on the
EU e-Evidence package and on CETS 224, named in ``source``); none adds law of its own.
``verified`` is true only where that row was confirmed against the legal text itself (V1 in
the EU reference); a row checked only against a secondary source, unverified, or tagged as
still to be checked line by line against the official text (the CETS 224 rows) is shown as
unverified.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Term:
    slug: str
    term: Promise
    meaning: Promise
    citation: str
    verified: bool
    source: str  # the reference row restated


REG = "Regulation (EU) 2023/1543"
TERMS: tuple[Term, ...] = (
    Term(
        "epoc",
        _("EPOC (European Production Order Certificate)"),
        _(
            "The certificate by which a European Production Order reaches its addressee: the order makes a "
            "provider's designated establishment or legal representative in another Member State bound by the "
            "Regulation produce electronic evidence."
        ),
        f"{REG} Art 3(1); Annex I",
        True,
        "eu-e-evidence DEF-EPO; Annex I",
    ),
    Term(
        "epoc-pr",
        _("EPOC-PR (European Preservation Order Certificate)"),
        _(
            "The certificate of a European Preservation Order: the addressee keeps the data so that a later "
            "request for production can obtain them."
        ),
        f"{REG} Art 3(2); Annex II",
        True,
        "eu-e-evidence DEF-EPresO; Annex II",
    ),
    Term(
        "issuing-state",
        _("Issuing State and issuing authority"),
        _("The Member State where the order is issued, and its competent authority that issues it (see Art 4)."),
        f"{REG} Art 3(14) and (15)",
        False,
        "eu-e-evidence DEF-ISS-ST, DEF-ISS-AU",
    ),
    Term(
        "enforcing-state",
        _("Enforcing State and enforcing authority"),
        _(
            "The Member State where the designated establishment is established or the legal representative "
            "resides; its authority receives the order either for notification (Art 8) or for enforcement (Art 16)."
        ),
        f"{REG} Art 3(16) and (17)",
        False,
        "eu-e-evidence DEF-ENF-ST, DEF-ENF-AU",
    ),
    Term(
        "validation",
        _("Issuing and validating authority"),
        _(
            "Who may issue a European Production Order: for subscriber data and data requested only to identify "
            "the user, a judge, court, investigating judge or public prosecutor (another authority's order must be "
            "validated by one of them); for traffic and content data, only a judge, court or investigating judge, "
            "who also validates the orders of other authorities."
        ),
        f"{REG} Art 4(1) and (2)",
        True,
        "eu-e-evidence ISS-1, ISS-2",
    ),
    Term(
        "service-provider",
        _("Service provider"),
        _(
            "Anyone providing electronic communications services, domain name and IP numbering services, or "
            "other information society services that let users communicate or that store data for them; "
            "financial services are excluded."
        ),
        f"{REG} Art 3(3)",
        True,
        "eu-e-evidence DEF-SP",
    ),
    Term(
        "designated-establishment",
        _("Designated establishment"),
        _(
            "An establishment with legal personality that a provider established in a Member State designates in "
            "writing to receive and comply with orders."
        ),
        f"{REG} Art 3(6); Directive (EU) 2023/1544 Art 3(1)(a)",
        True,
        "eu-e-evidence DEF-DE, DIR-3",
    ),
    Term(
        "legal-representative",
        _("Legal representative"),
        _(
            "A person that a provider not established in a participating Member State appoints in writing to "
            "receive and comply with orders in the Union."
        ),
        f"{REG} Art 3(7); Directive (EU) 2023/1544 Art 3(1)(b) and (c)",
        True,
        "eu-e-evidence DEF-LR, DIR-3",
    ),
    Term(
        "subscriber-data",
        _("Subscriber data"),
        _(
            "What the provider holds about the subscription: who the customer is (such as name, address, "
            "billing data, telephone, e-mail) and the type and duration of the service; passwords are excluded."
        ),
        f"{REG} Art 3(9)",
        False,
        "eu-e-evidence DEF-SUB",
    ),
    Term(
        "identification-data",
        _("Data requested only to identify the user"),
        _(
            "IP addresses and, where necessary, source ports and time stamps, requested only to identify the user "
            "in a specific investigation: traffic data that the Regulation treats like subscriber data."
        ),
        f"{REG} Art 3(10)",
        False,
        "eu-e-evidence DEF-ID",
    ),
    Term(
        "traffic-data",
        _("Traffic data"),
        _(
            "Data about providing the service, other than subscriber data: such as the source and destination of "
            "a message, the location of the device, date, time, duration, size and protocol, and log-in and "
            "log-off data."
        ),
        f"{REG} Art 3(11)",
        False,
        "eu-e-evidence DEF-TRAF",
    ),
    Term(
        "content-data",
        _("Content data"),
        _("Any data in digital form, such as text, voice, videos, images and sound, other than subscriber or traffic data."),
        f"{REG} Art 3(12)",
        False,
        "eu-e-evidence DEF-CONT",
    ),
    Term(
        "notification-reg",
        _("Notification of the enforcing authority"),
        _(
            "For a European Production Order for traffic data (other than data to identify the user) or content "
            "data, the issuing authority sends the EPOC to the enforcing authority at the same time as to the "
            "addressee."
        ),
        f"{REG} Art 8(1)",
        True,
        "eu-e-evidence NOTIF-1",
    ),
    Term(
        "notification-7-5",
        _("Article 7(5) notification"),
        _(
            "A Party to the Second Additional Protocol may require that, when an Article 7 order goes directly to "
            "a provider in its territory, the order, the supplemental information and a summary of the facts are "
            "sent to its designated authority at the same time, in every case or in identified circumstances."
        ),
        "CETS 224 Art 7(5)(a) and (e)",
        False,
        "2ap 2AP-A7-5-a, 2AP-A7-5-e",
    ),
    Term(
        "24-7-network",
        _("24/7 network"),
        _(
            "The points of contact available 24 hours a day, 7 days a week that each Party to the Budapest "
            "Convention designates; in an emergency one of them may ask another for the expedited disclosure of "
            "stored data without a mutual assistance request."
        ),
        "ETS 185 Art 35; CETS 224 Art 9",
        False,
        "2ap (ETS 185) 24/7; 2ap §1.5",
    ),
    Term(
        "expedited-disclosure",
        _("Expedited disclosure and production"),
        _(
            "Under the Second Additional Protocol the requested Party gets a provider in its territory to produce "
            "subscriber information and traffic data (Art 8), and in an emergency to disclose stored data "
            "expeditiously (Art 9)."
        ),
        "CETS 224 Arts 8 and 9",
        False,
        "2ap §1.4, §1.5",
    ),
    Term(
        "preservation",
        _("Expedited preservation (Budapest Convention)"),
        _("The requested Party preserves the stored data for at least 60 days while a request for the data is prepared."),
        "ETS 185 Art 29(7)",
        False,
        "2ap DL-BC-29-7",
    ),
    Term(
        "mla",
        _("Mutual legal assistance (MLA)"),
        _(
            "A request from the authorities of one State to those of another, through the central authorities "
            "designated under the treaty or arrangement in force between them; where there is none, under the "
            "Budapest Convention's own procedure."
        ),
        "CETS 224 Art 3(2); ETS 185 Art 27",
        False,
        "2ap 2AP-A3-2-central, 2AP-A10-7",
    ),
    Term(
        "eio",
        _("European Investigation Order (EIO)"),
        _(
            "An order between Member States, binding between them, to have evidence gathered in another Member "
            "State: the executing authority decides on recognition within 30 days of receipt and carries the "
            "measure out within 90 days of that decision."
        ),
        "Directive 2014/41/EU Art 12(3) and (4)",
        True,
        "eu-e-evidence EIO-3, EIO-4",
    ),
    Term(
        "emergency",
        _("Emergency case"),
        _(
            "An imminent threat to the life, physical integrity or safety of a person, or to a critical "
            "infrastructure whose disruption would create such a threat. Articles 9 and 10 of CETS 224 serve only "
            "the first."
        ),
        f"{REG} Art 3(18); CETS 224 Art 3(2)(c)",
        False,
        "eu-e-evidence DEF-EMERG; 2ap Art 3",
    ),
)
