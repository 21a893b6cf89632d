from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from playwright.sync_api import Browser, Dialog, Page, expect, sync_playwright

from mock_interviewer.app import create_app
from mock_interviewer.bank import Bank, load_bank
from mock_interviewer.config import PROJECT_ROOT, Settings
from mock_interviewer.embeddings import Embedder, OnnxMiniLM
from mock_interviewer.index import BankIndex, build_index
from mock_interviewer.static_embeddings import StaticMiniLM

from .fakes import FakeEmbedder
from .pg import postgres_cluster, postgres_url  # noqa: F401  (fixtures: a throwaway PostgreSQL)
from .server import free_port, serve

KNOWLEDGE = PROJECT_ROOT / "knowledge"


@pytest.fixture(scope="session")
def bank() -> Bank:
    return load_bank(KNOWLEDGE)


@pytest.fixture(scope="session")
def fake_embedder() -> FakeEmbedder:
    return FakeEmbedder()


@pytest.fixture(scope="session")
def fake_index(bank: Bank, fake_embedder: FakeEmbedder) -> BankIndex:
    return build_index(bank, fake_embedder)


@pytest.fixture(scope="session")
def real_embedder() -> Embedder:
    return OnnxMiniLM()


@pytest.fixture(scope="session")
def real_index(bank: Bank, real_embedder: Embedder) -> BankIndex:
    """The packaged model over the whole bank, cached in the project's .cache so repeated runs stay quick."""
    return build_index(bank, real_embedder, PROJECT_ROOT / ".cache")


@pytest.fixture(scope="session")
def grading_index(bank: Bank) -> BankIndex:
    """The offline grader's vectors: the static table distilled from the packaged model (cached like the index)."""
    return build_index(bank, StaticMiniLM.load(PROJECT_ROOT / ".cache"), PROJECT_ROOT / ".cache")


@pytest.fixture(scope="session")
def shared_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("cache")


@pytest.fixture
def settings(tmp_path: Path, shared_cache: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Settings]:
    for name in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "MOCK_INTERVIEWER_MODEL", "DATABASE_URL"):
        monkeypatch.delenv(name, raising=False)
    yield Settings(
        MOCK_INTERVIEWER_CACHE_DIR=shared_cache,
        DATABASE_URL=f"sqlite:///{tmp_path / 'db' / 'test.db'}",
        _env_file=None,  # type: ignore[call-arg]
    )


@pytest.fixture
def client(settings: Settings, fake_embedder: FakeEmbedder) -> Iterator[TestClient]:
    with TestClient(create_app(settings, embedder=fake_embedder)) as test_client:
        yield test_client


# Debian's Chromium, shared by every browser test (make test installs it; no browser download).
CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="module")  # per module, as before: Playwright's sync loop stays out of other tests
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed (make test installs it)")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest, real_index: object) -> Iterator[str]:
    """The real server (offline grader, packaged model) on a free port, one per test module, with its own SQLite."""
    name = request.module.__name__.rsplit(".", 1)[-1]
    port = free_port()
    process = serve(tmp_path_factory.mktemp(name) / f"{name}.db", port)
    yield f"http://127.0.0.1:{port}"
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture
def page(browser: Browser, server: str) -> Iterator[Page]:
    """A desktop-sized page on `server`, connected; dialogs are accepted and their messages kept in page.dialogs."""
    context = browser.new_context(viewport={"width": 1100, "height": 900})
    page = context.new_page()
    dialogs: list[str] = []

    def on_dialog(dialog: Dialog) -> None:
        dialogs.append(dialog.message)
        dialog.accept()

    page.on("dialog", on_dialog)
    page.dialogs = dialogs  # type: ignore[attr-defined]
    page.goto(server)
    expect(page.locator("#conn")).to_have_text("connected")
    yield page
    context.close()


# Screenshots go to a temporary folder; `MOCK_INTERVIEWER_SCREENSHOTS=docs/screenshots make test` refreshes the docs'.
SHOTS_ENV = "MOCK_INTERVIEWER_SCREENSHOTS"


@pytest.fixture
def shots(tmp_path: Path) -> Path:
    folder = Path(os.environ[SHOTS_ENV]) if os.environ.get(SHOTS_ENV) else tmp_path
    if not folder.is_absolute():
        folder = PROJECT_ROOT / folder
    folder.mkdir(parents=True, exist_ok=True)
    return folder
