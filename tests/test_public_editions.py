"""`rxleaflet serve` answers GET /01/{gtin} and /ndc/{ndc} with the library's HTML edition: no
token needed (no patient data in them), ETag and Cache-Control, the language asked, 404 pages
in the asked language.  The real server in a subprocess, a real HTTP client."""
import shutil

import httpx
import pytest
from conftest import ROOT
from page_text import parse
from serving import Server

import rxleaflet
from rxleaflet.editions.html import html_edition

LIBRARY = ROOT / "content" / "library"
GTIN, NDC = "09506000134352", "00999-0002-01"
TOKEN = "a-token-of-twenty-characters"


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    folder = tmp_path_factory.mktemp("library")
    shutil.copytree(LIBRARY, folder, dirs_exist_ok=True)
    return folder


@pytest.fixture(scope="module")
def client(folder, tmp_path_factory):
    scratch = tmp_path_factory.mktemp("serve")
    (scratch / "token").write_text(TOKEN, encoding="utf-8")
    pharmacy = scratch / "pharmacy.yaml"
    pharmacy.write_text((ROOT / "content" / "pharmacy.yaml").read_text(encoding="utf-8")
                        + f'edition_url: "https://leaflets.example-pharmacy.com/01/{{gtin}}?lang={{lang}}"\n',
                        encoding="utf-8")
    with Server("--library", folder, "--workers", "1", "--token-file", scratch / "token", "--pharmacy", pharmacy,
                log=scratch / "server.log") as running:
        running.wait_ready()
        with httpx.Client(base_url=running.url, timeout=60) as client:
            client.pharmacy = rxleaflet.load_pharmacy(pharmacy)
            yield client


def test_the_gtin_and_ndc_pages_are_the_librarys_html_edition_without_a_token(client, folder):
    english = rxleaflet.load(folder / "diazepam-2mg.yaml")
    for path in (f"/01/{GTIN}", f"/ndc/{NDC}", "/ndc/0999-0002-01", "/01/9506000134352"):
        answer = client.get(path)
        assert answer.status_code == 200, (path, answer.text)
        assert answer.headers["content-type"] == "text/html; charset=utf-8"
        assert answer.content == html_edition(english, None, client.pharmacy)
        assert answer.headers["content-language"] == "en-GB"
        assert "max-age" in answer.headers["cache-control"] and answer.headers["etag"].startswith('"')
    assert client.post("/v1/leaflets", json={"gtin": GTIN}).status_code == 401  # everything else keeps its token
    assert client.get("/v1/medicines").status_code == 401


def test_the_language_asked_by_query_or_accept_language(client, folder):
    spanish = rxleaflet.load(folder / "es" / "diazepam-2mg.yaml")
    by_query = client.get(f"/01/{GTIN}", params={"lang": "es"})
    by_header = client.get(f"/01/{GTIN}", headers={"Accept-Language": "fr;q=0.9, es-MX;q=0.8, en;q=0.1"})
    for answer in (by_query, by_header):
        assert answer.status_code == 200 and answer.headers["content-language"] == "es"
        assert answer.content == html_edition(spanish, None, client.pharmacy)
        assert parse(answer.content).find_all("html")[0].attrs["lang"] == "es"
    # a language the library has no edition in: the default edition
    assert client.get(f"/01/{GTIN}", params={"lang": "pl"}).headers["content-language"] == "en-GB"


def test_an_etag_answers_not_modified(client):
    first = client.get(f"/ndc/{NDC}")
    again = client.get(f"/ndc/{NDC}", headers={"If-None-Match": first.headers["etag"]})
    assert again.status_code == 304 and again.content == b""
    other = client.get(f"/ndc/{NDC}", params={"lang": "es"}, headers={"If-None-Match": first.headers["etag"]})
    assert other.status_code == 200 and other.headers["etag"] != first.headers["etag"]


@pytest.mark.parametrize("path, lang, title", [
    ("/01/00000000000000", "es", "No hay prospecto para este código de producto"),
    ("/01/12345", "fr", "Aucune notice pour ce code produit"),
    ("/ndc/11111-2222-33", None, "No leaflet for this product code"),
    ("/ndc/not-a-code", "he", "אין עלון לקוד המוצר הזה"),
    ("/01/12345", "zh-TW", "沒有此產品編碼的須知"),  # every language of the catalogues, by its tag
])
def test_an_unknown_code_is_a_404_page_in_the_asked_language(client, path, lang, title):
    answer = client.get(path, headers={"Accept-Language": lang} if lang else {})
    assert answer.status_code == 404
    page = parse(answer.content)
    assert page.find_all("html")[0].attrs["lang"] == (lang or "en")
    assert " ".join(page.find_all("h1")[0].text.split()) == title


def test_a_public_page_has_the_qr_codes_address_only_in_the_pdf(client):
    """The HTML edition has no QR code of its own and nothing a request could put in it."""
    answer = client.get(f"/01/{GTIN}", params={"lang": "en", "patient": "Zebedee Quillfeather"})
    assert b"Zebedee" not in answer.content and b"<img" not in answer.content
