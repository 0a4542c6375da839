"""Plain-language help for the fields most forms share, by field name: what to write, in a line.
They describe the element as its label and citation do (forms/i18n, data/forms): no legal rule
is stated here. A field without an entry gets the help of its type (editor.py)."""

from __future__ import annotations

from django.utils.translation import gettext as _


def field_help(name: str) -> str:
    texts = {
        "recipient_state": _("The State of the provider or authority that receives the order."),
        "language": _("The language you write the free-text fields in."),
        "recipient_languages": _(
            "The languages the recipient has said it accepts; the documents are made in the first one available."
        ),
        "emergency": _("Only if this is an emergency, and of which kind."),
        "issuing_authority": _("Your authority, as it signs the order: name, address and a contact for questions."),
        "requesting_authority": _("Only if another authority asked you for the data: that authority."),
        "validating_authority": _("The authority that validated the order, where one had to."),
        "contact_authority": _("Who receives the data and answers the recipient's questions."),
        "date_of_issue": _("The date on which the order is signed."),
        "provider": _("The service provider that holds the data: its name, the legal entity and the address."),
        "addressee": _("Where the order is sent: the provider's designated establishment or legal representative."),
        "offences": _("Each offence investigated: what happened, the legal provisions and the penalty."),
        "data_sought": _("Which data you need, for which identifiers and, where it matters, for which period."),
        "identifiers": _("Each e-mail address, telephone number, IP address, account, domain name or URL concerned."),
        "time_range": _("The period the data cover, from and to."),
        "legal_grounds": _("The provisions of your domestic law under which you issue the order."),
        "return_time_frame": _("By when and how the data are to be returned."),
        "preservation": _("Whether you already asked for the data to be preserved, when, and its reference."),
        "instructions": _("Special procedural instructions, for example about confidentiality."),
        "special_instructions": _("Special procedural instructions, for example about confidentiality."),
        "other_information": _("Anything else that helps the recipient find the data."),
        "additional_information": _("Anything else that helps the recipient find the data."),
        "summary_of_facts": _("A short account of the facts of the case."),
        "emergency_facts": _("The facts that show the emergency and how the data relate to it."),
    }
    return texts.get(name, "")
