"""deploy/smoke.sh's look at the running service, as a person behind the TLS proxy sees it:
the proxy passes each request on with the site's host name and X-Forwarded-Proto: https.

Signs in as the first administrator, opens the home page, fetches its hashed stylesheet and
checks that plain HTTP is sent to HTTPS and that cookies are marked Secure. Standard library
only; exits non-zero with the reason."""

from __future__ import annotations

import http.client
import os
import re
import sys
import urllib.parse
from http.cookies import SimpleCookie

BIND = os.environ["OVERSIGHT_BIND"]
HOST = os.environ["OVERSIGHT_HOSTNAME"]
ORIGIN = f"https://{HOST}"
cookies: dict[str, str] = {}


def request(
    method: str, path: str, body: dict[str, str] | None = None, *, https: bool = True
) -> tuple[int, dict[str, str], str, list[str]]:
    host, port = BIND.rsplit(":", 1)
    connection = http.client.HTTPConnection(host, int(port), timeout=60)
    headers = {"Host": HOST}
    if https:
        headers["X-Forwarded-Proto"] = "https"
    if cookies:
        headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
    data = None
    if body is not None:
        data = urllib.parse.urlencode(body)
        headers.update(
            {
                "Content-Type": "application/x-www-form-urlencoded",
                "Origin": ORIGIN,
                "Referer": ORIGIN + path,
            }
        )
    connection.request(method, path, body=data, headers=headers)
    response = connection.getresponse()
    set_cookies = response.headers.get_all("Set-Cookie") or []
    for line in set_cookies:
        for name, morsel in SimpleCookie(line).items():
            cookies[name] = morsel.value
    answer = response.status, dict(response.headers), response.read().decode(), set_cookies
    connection.close()
    return answer


def fail(message: str) -> None:
    sys.exit(f"smoke: {message}")


def main() -> None:
    status, headers, _, _ = request("GET", "/account/sign-in/", https=False)
    if status != 301 or not headers.get("Location", "").startswith(f"https://{HOST}/"):
        fail(f"plain HTTP was not sent to HTTPS: {status} {headers.get('Location')}")

    status, _, page, set_cookies = request("GET", "/account/sign-in/")
    if status != 200:
        fail(f"the sign-in page answered {status}")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    if not token:
        fail("the sign-in page has no CSRF token")
    if not all("Secure" in line for line in set_cookies):
        fail(f"a cookie is not marked Secure: {set_cookies}")
    stylesheet = re.search(r'href="(/static/dist/oversight\.[0-9a-f]{12}\.css)"', page)
    if not stylesheet:
        fail("the page names no hashed stylesheet")
    status, headers, _, _ = request("GET", stylesheet.group(1))
    if status != 200 or "immutable" not in headers.get("Cache-Control", ""):
        fail(f"the stylesheet answered {status} {headers.get('Cache-Control')}")

    status, headers, _, set_cookies = request(
        "POST",
        "/account/sign-in/",
        {
            "csrfmiddlewaretoken": token.group(1) if token else "",
            "username": os.environ["ADMIN_USERNAME"],
            "password": os.environ["ADMIN_PASSWORD"],
        },
    )
    if status != 302 or "sessionid" not in cookies:
        fail(f"signing in answered {status}, cookies {sorted(cookies)}")
    if not all("Secure" in line for line in set_cookies):
        fail(f"the session cookie is not marked Secure: {set_cookies}")
    status, headers, home, _ = request("GET", headers["Location"])
    if status != 200 or "Sign out" not in home:
        fail(f"the home page answered {status} without a sign-out link")
    if not re.fullmatch(r"[0-9a-f]{32}", headers.get("X-Request-ID", "")):
        fail("the home page has no request id")
    status, headers, missing, _ = request("GET", "/no-such-page/")
    if status != 404 or f"Quote this reference: <strong>{headers['X-Request-ID']}" not in missing:
        fail("the missing page does not quote its request id")
    sys.stdout.write(
        f"smoke: signed in as {os.environ['ADMIN_USERNAME']} over the proxy's HTTPS; pages ok\n"
    )


if __name__ == "__main__":
    main()
