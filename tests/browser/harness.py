"""Browser-test harness: a real ``ckan run`` server and Debian's Chromium driven by Selenium.

Registered for the whole suite by ``tests/conftest.py`` (``pytest_plugins``), so every test
folder can use these fixtures. Their names are stable:

``ckan_server`` (session)
    Base URL (``http://127.0.0.1:<port>``) of ``ckan run`` started once per test run with the
    ini pytest was given (``--ckan-ini``), on a free loopback port. It shares the test
    database, Solr core and Redis with the test process: data that a test creates with
    factories or ``call_action`` is what the server shows, and what the browser saves is what
    ``call_action("package_show", …)`` then reads — after ``ckan.model.Session.remove()``:
    the test's own session may still hold rows it read before the server changed them.
    ``clean_db``/``clean_index`` between tests are fine; the server keeps running.
``ckan_server_with`` (session)
    Factory ``ckan_server_with({"ckan.some.option": "value"}) -> base URL``: a second server
    whose ini chains to the test ini and adds these options (started once per distinct set).
``browser_session`` (module)
    One headless Chromium (``/usr/bin/chromium`` through ``/usr/bin/chromedriver``; nothing is
    downloaded) per test module. Host names other than 127.0.0.1 resolve to nothing, so no
    page can reach the internet, but every attempt is still recorded.
``browser`` (function)
    A :class:`Browser` on ``ckan_server`` with no cookies (logged out), a desktop window and an
    empty request log. ``browser.on(base_url)`` points it at another server.
``browser_user`` (function)
    Factory ``browser_user(sysadmin=False, **user_fields) -> dict``: a user created through
    CKAN's factories, with its plain ``"password"`` in the dict, for ``browser.login(user)``.

Screenshots go to ``test-artifacts/`` (git-ignored): ``browser.screenshot("name")``.

Example::

    @pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
    def test_editor_sees_the_form(browser, browser_user):
        editor = browser_user(sysadmin=True)
        browser.login(editor)
        browser.open("/de/dataset/new")
        browser.fill("title", "Straßenbäume")
        browser.submit(name="save", value="continue")
        assert browser.field_errors() == {...}
"""

from __future__ import annotations

import json
import os
import pathlib
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request

import pytest
from ckan.tests import factories

REPO_ROOT = pathlib.Path(__file__).resolve().parents[2]
ARTIFACTS = REPO_ROOT / "test-artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
SERVER_START_SECONDS = 90
PAGE_LOAD_SECONDS = 60
DESKTOP = (1280, 1000)
PHONE = (390, 844)
LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "[::1]", "::1"}
# Schemes that never leave the browser.
LOCAL_SCHEMES = {"data", "blob", "about", "chrome", "chrome-extension", "devtools"}
USER_PASSWORD = "Datenraum-Browser-Test-1"
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--lang=en-US",
    # CKAN's CSS scrolls smoothly unless motion is reduced: a click right after scrollIntoView
    # then lands where the element was ("element click intercepted").
    "--force-prefers-reduced-motion",
    # Nothing but this machine is reachable; requests elsewhere fail fast and stay visible
    # in the request log.
    "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
)


# --- the server -----------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class CkanServer:
    """One ``ckan run`` subprocess; ``stop()`` ends it."""

    def __init__(self, ini: pathlib.Path, log_path: pathlib.Path):
        self.port = _free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.log_path = log_path
        ckan = pathlib.Path(sys.executable).with_name("ckan")
        with log_path.open("wb") as log:
            self.process = subprocess.Popen(
                [
                    str(ckan),
                    "-c",
                    str(ini),
                    "run",
                    "--host",
                    "127.0.0.1",
                    "--port",
                    str(self.port),
                    "--disable-reloader",
                    "--threaded",
                ],
                stdout=log,
                stderr=subprocess.STDOUT,
                # CKAN builds absolute links and its JavaScript its API URLs from the site URL.
                env={**os.environ, "CKAN_SITE_URL": self.base_url},
            )
        self._wait_until_ready()

    def _wait_until_ready(self) -> None:
        deadline = time.monotonic() + SERVER_START_SECONDS
        while True:
            try:
                with urllib.request.urlopen(f"{self.base_url}/api/3/action/status_show", timeout=5):
                    return
            except OSError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    self.stop()
                    pytest.fail(f"ckan run did not start:\n{self.log_tail()}")
                time.sleep(0.3)

    def log_tail(self, characters: int = 4000) -> str:
        return self.log_path.read_text(errors="replace")[-characters:]

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)


def _test_ini(config) -> pathlib.Path:
    return pathlib.Path(config.getoption("ckan_ini") or REPO_ROOT / "test.ini").resolve()


@pytest.fixture(scope="session")
def ckan_server_with(request, tmp_path_factory):
    """Factory: base URL of a server on the test ini plus ``options`` (one per option set)."""
    servers: dict[tuple, CkanServer] = {}
    base_ini = _test_ini(request.config)

    def start(options: dict | None = None) -> str:
        key = tuple(sorted((options or {}).items()))
        if key not in servers:
            folder = tmp_path_factory.mktemp("ckan-server")
            ini = base_ini
            if key:
                ini = folder / "server.ini"
                lines = ["[app:main]", f"use = config:{base_ini}"]
                lines += [f"{name} = {value}" for name, value in key]
                ini.write_text("\n".join(lines) + "\n", encoding="utf-8")
            servers[key] = CkanServer(ini, folder / "ckan-run.log")
        return servers[key].base_url

    yield start
    for server in servers.values():
        server.stop()


@pytest.fixture(scope="session")
def ckan_server(ckan_server_with) -> str:
    """Base URL of ``ckan run`` with the test configuration and services."""
    return ckan_server_with()


# --- the browser ----------------------------------------------------------------------------


def _chromium_options():
    from selenium.webdriver.chrome.options import Options

    options = Options()
    options.binary_location = CHROMIUM
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    options.add_argument("--window-size={},{}".format(*DESKTOP))
    options.set_capability("goog:loggingPrefs", {"performance": "ALL", "browser": "ALL"})
    options.add_experimental_option("prefs", {"intl.accept_languages": "en-US,en"})
    return options


@pytest.fixture(scope="module")
def browser_session():
    """A headless Chromium for one test module (Selenium WebDriver)."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    for binary, package in ((CHROMIUM, "chromium"), (CHROMEDRIVER, "chromium-driver")):
        if not shutil.which(binary):
            pytest.fail(f"Debian package {package} missing: run scripts/system-packages.sh")
    profile = tempfile.mkdtemp(prefix="datenraum-chromium-")
    options = _chromium_options()
    options.add_argument(f"--user-data-dir={profile}")
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(PAGE_LOAD_SECONDS)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture
def browser(browser_session, ckan_server):
    """The module's Chromium on ``ckan_server``: logged out, desktop size, empty request log."""
    page = Browser(browser_session, ckan_server)
    page.reset()
    return page


@pytest.fixture
def browser_user():
    """Factory: a CKAN user (``sysadmin=True`` for a sysadmin) whose dict holds its password."""

    def create(sysadmin: bool = False, **fields) -> dict:
        factory = factories.Sysadmin if sysadmin else factories.User
        # The factories' random picture URLs would be requests to other hosts.
        fields.setdefault("image_url", "")
        user = factory(password=USER_PASSWORD, **fields)
        return {**user, "password": USER_PASSWORD}

    return create


class Browser:
    """What a person does in the browser, in a few words: open, log in, fill, submit, look."""

    def __init__(self, driver, base_url: str):
        self.driver = driver
        self.base_url = base_url.rstrip("/")
        self._requests: list[str] = []
        self._console: list[dict] = []

    # navigation

    def on(self, base_url: str) -> Browser:
        """The same browser, pointed at another server."""
        return Browser(self.driver, base_url)

    def reset(self) -> None:
        """Logged out, desktop window, empty logs."""
        self.driver.delete_all_cookies()
        self.set_size(*DESKTOP)
        self._drain_logs()
        self._requests.clear()
        self._console.clear()

    def open(self, path: str) -> Browser:
        """Load ``path`` (``/de/dataset/``) of the server, or an absolute URL."""
        url = path if "://" in path else self.base_url + path
        self.driver.get(url)
        self._wait_for_document()
        return self

    @property
    def path(self) -> str:
        """Path (with query) of the current page."""
        parts = urllib.parse.urlsplit(self.driver.current_url)
        return parts.path + (f"?{parts.query}" if parts.query else "")

    @property
    def html(self) -> str:
        return self.driver.page_source

    def text(self, css: str = "body") -> str:
        """Visible text of the first element matching ``css``."""
        return self.find(css).text

    def find(self, css: str):
        from selenium.webdriver.common.by import By

        return self.driver.find_element(By.CSS_SELECTOR, css)

    def find_all(self, css: str) -> list:
        from selenium.webdriver.common.by import By

        return self.driver.find_elements(By.CSS_SELECTOR, css)

    def wait_for(self, css: str, timeout: float = 10, visible: bool = True):
        """The first element matching ``css`` once it exists (and is visible)."""
        from selenium.webdriver.common.by import By
        from selenium.webdriver.support import expected_conditions as ec
        from selenium.webdriver.support.ui import WebDriverWait

        condition = ec.visibility_of_element_located if visible else ec.presence_of_element_located
        return WebDriverWait(self.driver, timeout).until(condition((By.CSS_SELECTOR, css)))

    def js(self, script: str, *args):
        return self.driver.execute_script(script, *args)

    # users

    def login(self, user: dict, password: str | None = None) -> Browser:
        """Log in through CKAN's login form; ``user`` as returned by ``browser_user``."""
        self.open("/user/login")
        self.fill("login", user["name"])
        self.fill("password", password or user["password"])
        form = self.field("password").find_element("xpath", "ancestor::form")
        self._click_element(form.find_element("css selector", "button[type=submit]"), True)
        if self.find_all("#field-login"):
            raise AssertionError(f"login of {user['name']} failed: {self.text('body')[:500]}")
        return self

    def logout(self) -> Browser:
        self.driver.delete_all_cookies()
        return self

    # forms

    def field(self, name: str):
        """The input of form field ``name``: ``#field-<name>`` first, else ``[name=<name>]``."""
        from selenium.webdriver.common.by import By

        found = self.driver.find_elements(By.ID, f"field-{name}") or self.driver.find_elements(
            By.NAME, name
        )
        if not found:
            raise AssertionError(f"no form field {name!r} on {self.path}")
        return found[0]

    def fill(self, name: str, value) -> Browser:
        """Type ``value`` into field ``name``, as a person would.

        Text inputs and textareas are cleared first; selects take an option value (a list for
        multiple selects, which replaces the selection); checkboxes take a bool; file inputs
        a path. Hidden inputs behind widgets (select2) are set and told of the change.
        """
        element = self.field(name)
        self.reveal(element)
        tag = element.tag_name.lower()
        kind = (element.get_attribute("type") or "").lower()
        if tag == "select":
            self._choose(element, value)
        elif kind == "checkbox":
            if element.is_selected() != bool(value):
                self._click_element(element)
        elif kind == "file":
            element.send_keys(str(value))
        elif not self._type_into(element, value):
            self.js(
                "arguments[0].value = arguments[1];"
                "arguments[0].dispatchEvent(new Event('change', {bubbles: true}));",
                element,
                str(value),
            )
        return self

    def _type_into(self, element, value) -> bool:
        """Clear and type, as a person would; False if a widget hides the input."""
        from selenium.common.exceptions import ElementNotInteractableException

        if not (element.is_displayed() and element.is_enabled()):
            return False
        try:
            element.clear()
            if value:
                element.send_keys(str(value))
        except ElementNotInteractableException:
            return False
        return True

    def reveal(self, element) -> None:
        """Open the folded form section (``<details>``) an element is in, by its summary."""
        summaries = self.js(
            "const found = []; let node = arguments[0].closest('details:not([open])');"
            "while (node) { found.unshift(node.querySelector(':scope > summary'));"
            "  node = node.parentElement.closest('details:not([open])'); }"
            "return found;",
            element,
        )
        for summary in summaries or []:
            self._click_element(summary)

    def pick(self, name: str, typed: str, option_text: str | None = None) -> Browser:
        """Choose in a select2 widget of field ``name``: type ``typed``, click the option.

        The option is the first whose text contains ``option_text`` (default: ``typed``).
        """
        from selenium.webdriver.support.ui import WebDriverWait

        element = self.field(name)
        self.reveal(element)
        container = element.find_element(
            "xpath", "following-sibling::span[contains(@class,'select2')]"
        )
        self._click_element(container.find_element("css selector", ".select2-selection"))
        search = self.wait_for(".select2-container--open .select2-search__field")
        search.send_keys(typed)
        wanted = option_text or typed

        def matching_option(_driver):
            for option in self.find_all(".select2-results__option"):
                if wanted in option.text and "loading" not in (option.get_attribute("class") or ""):
                    return option
            return False

        WebDriverWait(self.driver, 10).until(matching_option).click()
        return self

    def _choose(self, element, value) -> None:
        values = list(value) if isinstance(value, (list, tuple, set)) else [value]
        # Works for visible selects and for those a widget hides.
        self.js(
            "const select = arguments[0], wanted = arguments[1];"
            "const known = Array.from(select.options).map(o => o.value);"
            "const unknown = wanted.filter(v => !known.includes(v));"
            "if (unknown.length) { return unknown; }"
            "Array.from(select.options).forEach(o => { o.selected = wanted.includes(o.value); });"
            "select.dispatchEvent(new Event('change', {bubbles: true}));"
            "if (window.jQuery) { window.jQuery(select).trigger('change'); }"
            "return [];",
            element,
            [str(item) for item in values],
        )
        unknown = self.js(
            "const known = Array.from(arguments[0].options).map(o => o.value);"
            "return arguments[1].filter(v => !known.includes(v));",
            element,
            [str(item) for item in values],
        )
        if unknown:
            raise AssertionError(f"select {element.get_attribute('name')!r} has no {unknown}")

    def fill_form(self, values: dict) -> Browser:
        for name, value in values.items():
            self.fill(name, value)
        return self

    def value(self, name: str):
        """The current value of field ``name`` (a list for multiple selects)."""
        element = self.field(name)
        if element.tag_name.lower() == "select" and element.get_attribute("multiple"):
            return self.js(
                "return Array.from(arguments[0].selectedOptions).map(o => o.value);", element
            )
        if (element.get_attribute("type") or "").lower() == "checkbox":
            return element.is_selected()
        return element.get_attribute("value")

    def click(self, css: str, navigates: bool = False) -> Browser:
        """Click the element matching ``css`` (``navigates``: and wait for the next page)."""
        self._click_element(self.find(css), navigates)
        return self

    def click_text(self, text: str, css: str = "a, button", navigates: bool = False) -> Browser:
        """Click the first visible link or button whose text is ``text``."""
        for element in self.find_all(css):
            if element.is_displayed() and element.text.strip() == text:
                self._click_element(element, navigates)
                return self
        raise AssertionError(f"nothing clickable reads {text!r} on {self.path}")

    def submit(self, name: str | None = None, value: str | None = None) -> Browser:
        """Click a submit button (the one with ``name``/``value`` if given); waits for the page.

        Without ``name`` and ``value`` it is the first visible one of a POST form.
        """
        attributes = (f"[name='{name}']" if name else "") + (f"[value='{value}']" if value else "")
        form = "form[method=post i]"  # not the header's search form
        css = f"{form} button[type=submit]{attributes}, {form} input[type=submit]{attributes}"
        buttons = [button for button in self.find_all(css) if button.is_displayed()]
        if not buttons:
            raise AssertionError(f"no visible submit button {css} on {self.path}")
        self._click_element(buttons[0], navigates=True)
        return self

    def _click_element(self, element, navigates: bool = False) -> None:
        """Click; with ``navigates``, wait until the next page has replaced this one."""
        from selenium.common.exceptions import StaleElementReferenceException
        from selenium.webdriver.common.by import By

        page = self.driver.find_element(By.TAG_NAME, "html")
        if element.tag_name.lower() != "summary":
            self.reveal(element)
        self.js("arguments[0].scrollIntoView({block: 'center', behavior: 'instant'});", element)
        element.click()
        if not navigates:
            return
        deadline = time.monotonic() + PAGE_LOAD_SECONDS
        while time.monotonic() < deadline:
            try:
                page.is_enabled()
            except StaleElementReferenceException:
                break
            time.sleep(0.05)
        self._wait_for_document()

    def _wait_for_document(self) -> None:
        from selenium.webdriver.support.ui import WebDriverWait

        # CKAN starts its JavaScript modules only after loading its translations (an XHR):
        # typing before that would go unnoticed by them. Only modules some script registered
        # count: CKAN's own header names a module "me" that nothing defines.
        WebDriverWait(self.driver, PAGE_LOAD_SECONDS).until(
            lambda driver: driver.execute_script(
                "if (document.readyState !== 'complete') return false;"
                "if (!window.ckan || !ckan.module) return true;"
                "const known = Array.from(document.querySelectorAll('[data-module]'))"
                "  .flatMap(e => e.getAttribute('data-module').trim().split(/\\s+/))"
                "  .filter(name => name in ckan.module.registry);"
                "return known.length === 0 || Object.keys(ckan.module.instances).length > 0;"
            )
        )

    def field_errors(self) -> dict[str, str]:
        """Error texts shown next to form fields: ``{field name: message}``."""
        return self.js(
            "const found = {};"
            "document.querySelectorAll('.error-block, .invalid-feedback').forEach(block => {"
            "  if (!block.offsetParent && !block.textContent.trim()) { return; }"
            "  const group = block.closest('.form-group, .control-group') || block.parentElement;"
            "  const input = group && group.querySelector('input[name], select[name],"
            "    textarea[name]');"
            "  const key = input ? input.name : (block.id || '?');"
            "  found[key] = block.textContent.trim();"
            "});"
            "return found;"
        )

    def error_summary(self) -> str:
        """Text of the form's error summary box ('' if there is none)."""
        boxes = self.find_all(".error-explanation")
        return boxes[0].text if boxes else ""

    # looking

    def set_size(self, width: int, height: int) -> Browser:
        self.driver.set_window_size(width, height)
        return self

    def phone(self) -> Browser:
        """A 390 px wide viewport (a phone)."""
        self.driver.execute_cdp_cmd(
            "Emulation.setDeviceMetricsOverride",
            {"width": PHONE[0], "height": PHONE[1], "deviceScaleFactor": 1, "mobile": True},
        )
        return self

    def desktop(self) -> Browser:
        self.driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
        return self.set_size(*DESKTOP)

    def page_width(self) -> int:
        """Width the page's content needs (more than the viewport means sideways scrolling)."""
        return self.js(
            "return Math.max(document.documentElement.scrollWidth, document.body.scrollWidth);"
        )

    def screenshot(self, name: str, full_page: bool = True) -> pathlib.Path:
        """A PNG of the page in ``test-artifacts/<name>.png`` (the whole page by default)."""
        import base64

        ARTIFACTS.mkdir(exist_ok=True)
        target = ARTIFACTS / f"{name}.png"
        shot = self.driver.execute_cdp_cmd(
            "Page.captureScreenshot", {"format": "png", "captureBeyondViewport": full_page}
        )
        target.write_bytes(base64.b64decode(shot["data"]))
        return target

    # what the page did

    def _drain_logs(self) -> None:
        for entry in self.driver.get_log("performance"):
            message = json.loads(entry["message"])["message"]
            if message.get("method") == "Network.requestWillBeSent":
                self._requests.append(message["params"]["request"]["url"])
        self._console.extend(self.driver.get_log("browser"))

    def requested_urls(self) -> list[str]:
        """Every URL the browser requested since the last ``reset()``."""
        self._drain_logs()
        return list(self._requests)

    def third_party_requests(self) -> list[str]:
        """Requested URLs that leave this machine (any host but the loopback)."""
        outside = []
        for url in self.requested_urls():
            parts = urllib.parse.urlsplit(url)
            if parts.scheme in LOCAL_SCHEMES:
                continue
            if (parts.hostname or "") not in LOOPBACK_HOSTS:
                outside.append(url)
        return outside

    def console_errors(self) -> list[str]:
        """Console messages of level SEVERE since the last ``reset()``."""
        self._drain_logs()
        return [entry["message"] for entry in self._console if entry["level"] == "SEVERE"]
