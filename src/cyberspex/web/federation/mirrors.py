"""The organisations of trusted peers, mirrored as local ``Organisation`` rows (``peer`` set,
``remote_id`` their id at the peer): the directory lists them beside this instance's own, and a
request is addressed to one as to a local organisation (exchange/remote.py sends it). A mirror
never has members; a removed peer's mirrors are kept (requests refer to them) but nothing is
delivered to them any more."""

from __future__ import annotations

from typing import Any

from cyberspex.web.accounts.models import Organisation
from cyberspex.web.federation.models import Peer

NAME_MAX = 200  # Organisation.name


def _name(wanted: str, peer: Peer, mirror: Organisation | None) -> str:
    """``wanted``, or "wanted (peer id)" when another organisation of this instance has the name."""
    others = Organisation.objects.filter(name=wanted)
    taken = (others.exclude(pk=mirror.pk) if mirror is not None else others).exists()
    if not taken:
        return wanted
    suffix = f" ({peer.instance_id})"
    return wanted[: NAME_MAX - len(suffix)] + suffix


def sync(peer: Peer) -> list[Organisation]:
    """Create or update the mirrors of the organisations ``peer``'s identity document lists (in the
    caller's transaction: ``peers add``); those it no longer lists are kept unchanged."""
    synced = []
    for listed in peer.organisations:
        mirror = Organisation.objects.filter(peer=peer, remote_id=listed["id"]).first()
        fields: dict[str, Any] = {
            "name": _name(str(listed["name"]), peer, mirror),
            "kind": listed["kind"],
            "country": listed["state"],
            "functions": list(listed.get("functions", [])),
        }
        if mirror is None:
            mirror = Organisation.objects.create(peer=peer, remote_id=listed["id"], **fields)
        else:
            for name, value in fields.items():
                setattr(mirror, name, value)
            mirror.save(update_fields=list(fields))
        synced.append(mirror)
    return synced


def mirror_of(peer: Peer, remote_id: str) -> Organisation | None:
    return Organisation.objects.filter(peer=peer, remote_id=remote_id).first()
