"""Trusted hosts: absolute links never take their host from a forged Host header."""

from __future__ import annotations

import http.client
import re
import xml.etree.ElementTree as ET

import pytest

from .conftest import Auth, LiveServer
from .public_support import claim_in

SITE = "https://factcheck.example.org"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.mark.parametrize("path", ["/", "/sitemap.xml", "/api/v1/claims", "/login", "/admin/"])
def test_unknown_host_is_refused_with_400(client, path):
    resp = client.get(path, headers={"Host": "evil.example"})

    assert resp.status_code == 400
    assert "does not answer to the host name 'evil.example'" in resp.get_data(as_text=True)
    assert "evil.example/" not in resp.get_data(as_text=True)


@pytest.mark.parametrize("host", ["localhost", "127.0.0.1:5000", "[::1]:5000", "LOCALHOST"])
def test_loopback_names_work_without_configuration(client, host):
    assert client.get("/", headers={"Host": host}).status_code == 200


def test_configured_site_url_is_used_for_every_absolute_link(another_app, make_claim, users):
    app = another_app(SITE_URL=SITE + "/", ALLOWED_HOSTS="localhost")
    claim = claim_in(make_claim, text="The harbour moved 3 million containers in 2023.")
    client = app.test_client()
    # The site's own name, and the request's host ignored for links even when allowed.
    for host in ("factcheck.example.org", "localhost"):
        sitemap = ET.fromstring(client.get("/sitemap.xml", headers={"Host": host}).data)  # noqa: S314
        locs = [loc.text or "" for loc in sitemap.iter(SITEMAP + "loc")]
        assert locs and all(loc.startswith(SITE + "/") for loc in locs)

        feed = ET.fromstring(client.get("/feed.atom", headers={"Host": host}).data)  # noqa: S314
        hrefs = [link.get("href") or "" for link in feed.iter(ATOM + "link")]
        assert hrefs and all(href.startswith(SITE + "/") for href in hrefs)

        datafeed = client.get("/claimreview.json", headers={"Host": host}).get_json()
        review = datafeed["dataFeedElement"][0]["item"][0]
        assert review["url"].startswith(SITE + "/claims/")
        assert review["author"]["url"] == SITE + "/"  # the organisation URL was left unset

        page = client.get(f"/claims/{claim.id}-{claim.slug}", headers={"Host": host})
        html = page.get_data(as_text=True)
        assert f'"url": "{SITE}/claims/{claim.id}-{claim.slug}"' in html
        assert "localhost/" not in html

        api = client.get("/api/v1/claims?per_page=1", headers={"Host": host}).get_json()
        assert api["items"][0]["api_url"] == f"{SITE}/api/v1/claims/{claim.id}"
        assert api["items"][0]["url"].startswith(SITE + "/claims/")

    assert client.get("/", headers={"Host": "evil.example"}).status_code == 400


def test_password_link_an_admin_copies_uses_the_site_url(another_app, users):
    # The admin reaches the site by an internal name; the link still names the public site.
    app = another_app(SITE_URL=SITE, ALLOWED_HOSTS="localhost")
    admin = app.test_client()
    Auth(admin).login(users["admin"])

    resp = admin.post(f"/admin/users/{users['editor'].id}/password-link")

    assert resp.status_code == 200
    links = re.findall(r"https?://[^\s\"<]+/set-password/[\w-]+", resp.get_data(as_text=True))
    assert links and all(link.startswith(SITE + "/set-password/") for link in links)


def test_site_url_host_and_allow_list_are_the_only_names_answered(another_app):
    app = another_app(SITE_URL=SITE, ALLOWED_HOSTS="desk.example.net, .mirror.example.net")
    client = app.test_client()

    assert client.get("/", headers={"Host": "factcheck.example.org"}).status_code == 200
    assert client.get("/", headers={"Host": "desk.example.net:8443"}).status_code == 200
    assert client.get("/", headers={"Host": "eu.mirror.example.net"}).status_code == 200
    # Configured names replace the loopback default; look-alikes are not subdomains.
    assert client.get("/", headers={"Host": "localhost"}).status_code == 400
    assert client.get("/", headers={"Host": "evilmirror.example.net"}).status_code == 400
    assert (
        client.get("/", headers={"Host": "factcheck.example.org.evil.example"}).status_code == 400
    )


def test_a_forwarded_host_from_a_trusted_proxy_is_checked_too(another_app):
    app = another_app(TRUSTED_PROXIES=1)
    client = app.test_client()

    forged = client.get("/", headers={"X-Forwarded-Host": "evil.example"})
    fine = client.get("/", headers={"X-Forwarded-Host": "localhost"})

    assert forged.status_code == 400
    assert fine.status_code == 200


def test_a_bad_site_url_stops_the_app_with_a_clear_message(another_app):
    with pytest.raises(RuntimeError, match="SITE_URL must be an address"):
        another_app(SITE_URL="factcheck.example.org")


def test_forged_host_against_a_running_server_gets_400(app, make_claim):
    claim_in(make_claim, text="The ferry carried 900 passengers a day in 2022.")
    server = LiveServer(app)
    try:
        port = server.server.server_port
        answers = {}
        for host in ("evil.example", f"127.0.0.1:{port}"):
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            conn.putrequest("GET", "/sitemap.xml", skip_host=True)
            conn.putheader("Host", host)
            conn.endheaders()
            resp = conn.getresponse()
            answers[host] = (resp.status, resp.read().decode())
            conn.close()
    finally:
        server.stop()

    status, body = answers["evil.example"]
    assert status == 400 and "evil.example/" not in body
    status, body = answers[f"127.0.0.1:{port}"]
    assert status == 200 and f"http://127.0.0.1:{port}/claims/" in body
