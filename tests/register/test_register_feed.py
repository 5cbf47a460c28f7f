"""The register's Atom feed (/register/feed.atom): valid Atom (RFC 4287) read back with xml.etree (feedparser
is not installed), public decisions only, nothing internal, conditional GETs, and public caching."""

import datetime
import xml.etree.ElementTree as ET

import pytest
from django.utils.http import http_date

from .conftest import RESOLUTION

pytestmark = pytest.mark.django_db
FEED = "/register/feed.atom"
ATOM = "{http://www.w3.org/2005/Atom}"
SEOUL = datetime.timezone(datetime.timedelta(hours=9))


def parse(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    assert root.tag == f"{ATOM}feed"
    return root


def text(element, name):
    child = element.find(f"{ATOM}{name}")
    assert child is not None and (child.text or "").strip(), f"<{name}> missing or empty in <{element.tag}>"
    return child.text


def links(element):
    return {link.get("rel", "alternate"): link.get("href") for link in element.findall(f"{ATOM}link")}


def updated(element):
    return datetime.datetime.fromisoformat(text(element, "updated"))


def test_the_feed_is_atom_with_every_required_element(client, decide):
    start = datetime.datetime(2026, 5, 1, 10, 0, tzinfo=SEOUL)
    older = decide("바이오 제조 실증 지원", "실증 시설 두 곳", made_public_at=start)
    newer = decide("Bio pilot plants", "Two plants.", made_public_at=start + datetime.timedelta(days=2))
    root = parse(client.get(FEED))
    # RFC 4287 4.1.1: a feed has id, title, updated, an author (or every entry has one); a self link is advised.
    assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == "en"  # the reader's language
    assert text(root, "id").startswith("http://testserver/register/")
    assert text(root, "title")
    assert updated(root) == start + datetime.timedelta(days=2)
    assert text(root.find(f"{ATOM}author"), "name") == "National Bio Committee"
    assert links(root) == {"alternate": "http://testserver/register/", "self": "http://testserver/register/feed.atom"}
    entries = root.findall(f"{ATOM}entry")
    assert [text(entry, "title") for entry in entries] == [
        f"{newer.number} Bio pilot plants",
        f"{older.number} 바이오 제조 실증 지원",
    ]
    ids = [text(entry, "id") for entry in entries]
    assert len(set(ids)) == 2
    for entry, decision in zip(entries, (newer, older), strict=True):
        # RFC 4287 4.1.2: an entry has id, title, updated, and (without content) an alternate link and a summary.
        assert links(entry)["alternate"] == f"http://testserver/register/{decision.number}/"
        assert updated(entry) == decision.made_public_at
        assert "Adopted" in text(entry, "summary")
    assert "실증 시설 두 곳" in text(entries[1], "summary")
    assert {category.get("term") for category in entries[0].findall(f"{ATOM}category")} >= {"NBC", "Health care"}


def test_the_feed_leaves_out_unpublished_decisions_and_everything_internal(client, decide, secretariat):
    public = decide("Public item", "Public words.")
    hidden = decide("HIDDEN-TITLE", summary=None)
    body = client.get(FEED).content.decode()
    assert public.number in body
    for secret in (hidden.number, "HIDDEN-TITLE", RESOLUTION, "INTERNAL-RESOLUTION-TEXT", secretariat.email):
        assert secret not in body, secret


def test_a_summary_is_text_never_markup(client, decide):
    decide("Item", 'Adopted <script>alert("x")</script> & more')
    root = parse(client.get(FEED))
    summary = root.find(f"{ATOM}entry/{ATOM}summary")
    assert summary.get("type") == "html"
    # Once unescaped by the XML parser, the HTML a reader renders still shows the tags as text.
    assert "&lt;script&gt;" in summary.text and "<script>" not in summary.text


def test_an_empty_register_is_still_a_valid_feed(client):
    root = parse(client.get(FEED))
    assert text(root, "id") and text(root, "title") and updated(root)
    assert root.findall(f"{ATOM}entry") == []


def test_the_feed_answers_conditional_gets_and_may_be_cached_publicly(client, decide):
    decision = decide("Item", "Words.")
    response = client.get(FEED)
    etag, last_modified = response["ETag"], response["Last-Modified"]
    assert last_modified == http_date(decision.made_public_at.timestamp())
    assert {part.strip() for part in response["Cache-Control"].split(",")} == {"public", "max-age=300"}
    assert not response.cookies  # nothing a shared cache could hand to the next reader
    assert client.get(FEED, headers={"if-none-match": etag}).status_code == 304
    assert client.get(FEED, headers={"if-modified-since": last_modified}).status_code == 304
    decide("Another", "More words.", made_public_at=decision.made_public_at + datetime.timedelta(minutes=1))
    assert client.get(FEED, headers={"if-none-match": etag}).status_code == 200
    assert client.get(FEED, headers={"if-modified-since": last_modified}).status_code == 200
