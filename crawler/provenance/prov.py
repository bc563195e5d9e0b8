"""Stored provenance as a W3C PROV document (PROV-DM, written as PROV-JSON).

The input is what ``Store.provenance()`` yields: one record per article with its latest
``chain``, ``basis``, ``cited``, ``media`` and ``evidence``. The model, per article:

* ``wt:article/<key>`` — the article at its URL (``key``: the first 20 hex digits of the
  URL's SHA-256, so the same URL has the same id in every export), attributed to its outlet.
* ``wt:version/<key>/<digest>`` — the stored text (``digest``: its normalised text SHA-256,
  else ``v<version id>``), ``specializationOf`` the article; earlier versions, when a record
  lists them under ``versions``, are chained with ``wasRevisionOf``.
* The copy chain ``[[origin], ..., [publisher]]``: for each upstream hop and agency an entity
  ``wt:copy/<key>/<hop>/<agency>`` ("the copy as VNA had it") ``wasAttributedTo`` that
  agency and ``wasDerivedFrom`` the copies of the hop before it; the version
  ``wasDerivedFrom`` the last upstream hop's copies, ``hadPrimarySource`` the origin's copies,
  and ``wasAttributedTo`` the publisher. The derivations carry ``wt:basis`` and
  ``wt:evidence`` (the raw text the chain rests on).
* Each cited id: an entity ``wt:cited/<key>/<agency>`` attributed to that agency, which the
  version ``wasQuotedFrom``.
* Each image credit: ``wt:image/<key>/<n>`` (the image as published, ``wt:credit`` the raw
  credit) with its own chain of copies like the text's; the version ``wasInfluencedBy`` it
  (typed ``wt:EmbeddedImage``: an embedded picture is not what the text derives from).
* Agencies and outlets are ``prov:Organization`` agents ``reg:<id>`` with the registry's
  name, kind, country, state ownership and Wikidata item where known; ids the registry does
  not hold (a generic site's domain, ``unknown:...``) keep just their id.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

from prov.identifier import Identifier, Namespace, QualifiedName
from prov.model import PROV, ProvDocument

from crawler.registry import Registry, load_registry

__all__ = ["REG", "WT", "article_key", "prov_json", "to_prov"]

#: wiretrace's own terms and the ids of articles, versions and copies.
WT = Namespace("wt", "urn:wiretrace:")
#: Agents: registry ids (agencies, outlets) and the ids of sites outside the registry.
REG = Namespace("reg", "urn:wiretrace:registry:")
WD = Namespace("wd", "http://www.wikidata.org/entity/")
DCT = Namespace("dct", "http://purl.org/dc/terms/")

#: Characters kept as they are in the local part of an id; PROV-N writes them unescaped.
_UNSAFE = re.compile(r"[^A-Za-z0-9._:-]")


def article_key(url: str) -> str:
    """A stable, URL-derived id: the same article has the same id in every export."""
    return hashlib.sha256(url.encode("utf-8")).hexdigest()[:20]


def to_prov(records: Iterable[Mapping[str, Any]], registry: Registry | None = None) -> ProvDocument:
    """One PROV document for the given provenance records (see the module docstring)."""
    document = ProvDocument()
    for namespace in (WT, REG, WD, DCT):
        document.add_namespace(namespace)
    builder = _Builder(document, registry if registry is not None else load_registry())
    for record in records:
        builder.add_article(record)
    return document


def prov_json(records: Iterable[Mapping[str, Any]], registry: Registry | None = None) -> str:
    """The records as PROV-JSON text (``ProvDocument.serialize(format="json")``)."""
    text = to_prov(records, registry).serialize(format="json", indent=2, ensure_ascii=False)
    assert text is not None  # no destination: serialize returns the text
    return text


class _Builder:
    """Adds articles to one document, declaring each agent once."""

    def __init__(self, document: ProvDocument, registry: Registry) -> None:
        self.document = document
        self.registry = registry
        self.agents: dict[str, QualifiedName] = {}

    # -- agents ------------------------------------------------------------------------

    def agent(self, agency_id: str) -> QualifiedName:
        """The agent for a registry id (or a site id), declared on first use."""
        known = self.agents.get(agency_id)
        if known is not None:
            return known
        identifier = REG[_local(agency_id)]
        attributes: dict[Any, Any] = {
            PROV["type"]: PROV["Organization"],
            WT["id"]: agency_id,
            PROV["label"]: agency_id,
        }
        if agency_id in self.registry:
            agency = self.registry.get(agency_id)
            attributes[PROV["label"]] = agency.name
            attributes[WT["name"]] = agency.name
            attributes[WT["kind"]] = agency.kind
            if agency.country:
                attributes[WT["country"]] = agency.country
            if agency.state_owned is not None:
                attributes[WT["state_owned"]] = bool(agency.state_owned)
            if agency.wikidata:
                attributes[WT["wikidata"]] = WD[agency.wikidata]
        self.document.agent(identifier, attributes)
        self.agents[agency_id] = identifier
        return identifier

    def name(self, agency_id: str) -> str:
        return self.registry.get(agency_id).name if agency_id in self.registry else agency_id

    # -- one article -------------------------------------------------------------------

    def add_article(self, record: Mapping[str, Any]) -> None:
        url = str(record["url"])
        outlet = str(record["outlet"])
        key = article_key(url)
        title = record.get("title")

        article = WT[f"article/{key}"]
        self.document.entity(
            article,
            _attributes(
                {
                    PROV["type"]: WT["Article"],
                    PROV["label"]: title,
                    WT["url"]: Identifier(url),
                    WT["outlet"]: outlet,
                    DCT["title"]: title,
                    DCT["issued"]: _time(record.get("published")),
                    WT["first_seen"]: _time(record.get("first_seen")),
                    WT["last_seen"]: _time(record.get("last_seen")),
                }
            ),
        )
        self.document.wasAttributedTo(article, self.agent(outlet))

        version = self.add_versions(record, key, article)
        basis = record.get("basis")
        evidence = [e for e in record.get("evidence") or () if isinstance(e, Mapping)]
        rests_on = next(
            (str(e["text"]) for e in evidence if e.get("kind") == basis and e.get("text")),
            None,
        )
        why = _attributes({WT["basis"]: basis, WT["evidence"]: rests_on})
        chain = _with_publisher(record.get("chain") or (), outlet)
        self.add_chain(version, chain, f"copy/{key}", why)

        for agency_id in dict.fromkeys(record.get("cited") or ()):
            self.add_citation(version, key, str(agency_id), evidence)

        for index, media in enumerate(record.get("media") or ()):
            if isinstance(media, Mapping):
                self.add_image(version, key, index, media, outlet)

    def add_versions(
        self, record: Mapping[str, Any], key: str, article: QualifiedName
    ) -> QualifiedName:
        """Every version the record lists (oldest first) and the latest; returns the latest.

        Each is ``specializationOf`` the article and ``wasRevisionOf`` the one before it; the
        latest, which the provenance describes, is added last if the list leaves it out.
        """
        latest = {"id": record.get("version_id"), "text_sha256": record.get("text_sha256")}
        latest_id = _version_id(key, latest)
        versions: dict[QualifiedName, Mapping[str, Any]] = {}
        for entry in record.get("versions") or ():
            if isinstance(entry, Mapping):
                versions.setdefault(_version_id(key, entry), entry)
        versions.setdefault(latest_id, latest)
        previous: QualifiedName | None = None
        for identifier, entry in versions.items():
            attributes = {
                PROV["type"]: WT["ArticleVersion"],
                WT["text_sha256"]: entry.get("text_sha256"),
                WT["version_id"]: entry.get("id"),
                WT["first_seen"]: _time(entry.get("first_seen")),
            }
            if identifier == latest_id:
                attributes[WT["basis"]] = record.get("basis")
            self.document.entity(identifier, _attributes(attributes))
            self.document.specializationOf(identifier, article)
            if previous is not None:
                self.document.wasRevisionOf(identifier, previous)
            previous = identifier
        return latest_id

    def add_chain(
        self,
        published: QualifiedName,
        chain: list[list[str]],
        prefix: str,
        why: dict[Any, Any],
        kind: QualifiedName | None = None,
    ) -> None:
        """The upstream copies of ``published``, each derived from the hop before it."""
        kind = kind if kind is not None else WT["Copy"]
        *upstream, publishers = chain
        for agency_id in publishers:
            self.document.wasAttributedTo(published, self.agent(agency_id))
        hops: list[list[QualifiedName]] = []
        for hop, agencies in enumerate(upstream):
            copies = []
            for agency_id in agencies:
                copy = WT[f"{prefix}/{hop}/{_local(agency_id)}"]
                self.document.entity(
                    copy,
                    {
                        PROV["type"]: kind,
                        PROV["label"]: f"the copy as {self.name(agency_id)} had it",
                        WT["hop"]: hop,
                    },
                )
                self.document.wasAttributedTo(copy, self.agent(agency_id))
                for source in hops[-1] if hops else ():
                    self.document.wasDerivedFrom(copy, source, other_attributes=why or None)
                copies.append(copy)
            hops.append(copies)
        if not hops:
            return  # own reporting: nothing upstream, no primary source
        for source in hops[-1]:
            self.document.wasDerivedFrom(published, source, other_attributes=why or None)
        for origin in hops[0]:
            self.document.hadPrimarySource(published, origin, other_attributes=why or None)

    def add_citation(
        self,
        version: QualifiedName,
        key: str,
        agency_id: str,
        evidence: Sequence[Mapping[str, Any]],
    ) -> None:
        quoted = WT[f"cited/{key}/{_local(agency_id)}"]
        self.document.entity(
            quoted,
            {
                PROV["type"]: WT["Statement"],
                PROV["label"]: f"what {self.name(agency_id)} said, as quoted",
            },
        )
        self.document.wasAttributedTo(quoted, self.agent(agency_id))
        said = next(
            (
                str(e["text"])
                for e in evidence
                if e.get("kind") == "in_text" and e.get("agency") == agency_id and e.get("text")
            ),
            None,
        )
        attributes = _attributes({WT["basis"]: "in_text" if said else None, WT["evidence"]: said})
        self.document.wasQuotedFrom(version, quoted, other_attributes=attributes or None)

    def add_image(
        self,
        version: QualifiedName,
        key: str,
        index: int,
        media: Mapping[str, Any],
        outlet: str,
    ) -> None:
        credit = media.get("credit")
        image = WT[f"image/{key}/{index}"]
        self.document.entity(
            image,
            _attributes({PROV["type"]: WT["Image"], PROV["label"]: credit, WT["credit"]: credit}),
        )
        self.document.wasInfluencedBy(
            version, image, other_attributes={PROV["type"]: WT["EmbeddedImage"]}
        )
        chain = [[str(a) for a in hop] for hop in media.get("chain") or ()]
        if not any(chain):
            return  # a credit nobody could be identified in: the image alone
        why = _attributes({WT["basis"]: "photo_credit", WT["evidence"]: credit})
        self.add_chain(
            image,
            _with_publisher(chain, outlet),
            f"image/{key}/{index}/copy",
            why,
            WT["ImageCopy"],
        )


# -- helpers ---------------------------------------------------------------------------------


def _with_publisher(chain: Iterable[Iterable[Any]], outlet: str) -> list[list[str]]:
    """The chain's hops, ending with the publisher's: added if the chain leaves it out."""
    hops = [list(dict.fromkeys(str(a) for a in hop)) for hop in chain]
    hops = [hop for hop in hops if hop]
    if not hops or outlet not in hops[-1]:
        hops.append([outlet])
    return hops


def _version_id(key: str, version: Mapping[str, Any]) -> QualifiedName:
    """By text digest where known (stable across databases), else by stored row id."""
    if version.get("text_sha256"):
        return WT[f"version/{key}/{str(version['text_sha256'])[:16]}"]
    if version.get("id") is not None:
        return WT[f"version/{key}/v{_local(str(version['id']))}"]
    return WT[f"version/{key}/latest"]


def _attributes(values: Mapping[Any, Any]) -> dict[Any, Any]:
    """Drop what is unknown: PROV has no null, an absent attribute says it best."""
    return {name: value for name, value in values.items() if value is not None and value != ""}


def _time(value: Any) -> datetime | str | None:
    """An ISO 8601 time as a datetime (written as xsd:dateTime); anything else as given."""
    if not isinstance(value, str) or not value:
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return value


def _local(identifier: str) -> str:
    """An id as the local part of a qualified name: unusual characters as ``_xx`` codes."""
    return _UNSAFE.sub(lambda m: "".join(f"_{b:02x}" for b in m.group().encode()), identifier)
