"""Wiring: build the bank, index, graders and store once, from settings; tests pass their own edges in."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import time
from dataclasses import dataclass, field

import httpx

from .bank import Bank, load_bank
from .coding.grading import CodingGrader
from .config import Settings
from .embeddings import Embedder, load_embedder
from .grading.llm import LLMRubricGrader
from .grading.offline import OfflineGrader
from .grading.service import FollowUpWriter, Grader
from .index import BankIndex, build_index
from .interview import InterviewConfig
from .limits import Limits
from .llm import LLMClient, run_probe
from .static_embeddings import StaticMiniLM
from .store import Store

log = logging.getLogger(__name__)
RECENT_SECONDS = 24 * 3600  # a question answered or skipped this recently is asked again only when nothing else fits


@dataclass
class Services:
    settings: Settings
    bank: Bank
    index: BankIndex  # search: the transformer's vectors
    offline: OfflineGrader  # grading: its own index over the static table's vectors
    grader: Grader
    store: Store
    llm: LLMClient | None = None
    follow_up_writer: FollowUpWriter | None = None
    limits: Limits | None = None  # fair use; None (tests that build Services by hand): no limits
    _probe_task: asyncio.Task[None] | None = field(default=None, repr=False)

    def start_llm_probe(self) -> None:
        """Probe the LLM once in the background (what `mock-interviewer llm check` does), so /healthz and the
        page's badge say "LLM unreachable, grading offline" before the first answer rather than after it."""
        if self.llm is None or not self.settings.llm_probe_at_start or self._probe_task is not None:
            return
        llm = self.llm

        async def probe() -> None:
            result = await run_probe(llm)
            failure = result.failure
            if failure is None:
                log.info("LLM check: %s at %s works", llm.model, llm.base_url)
            else:
                log.warning("LLM check failed (%s: %s); answers are graded offline until it works", *(
                    failure.name, failure.detail))

        self._probe_task = asyncio.get_running_loop().create_task(probe())

    def start_sandbox(self) -> None:
        """Check in the background that the sandbox runs code; coding grades wait for the check."""
        if self.grader.coding is not None:
            self.grader.coding.start(self.settings)

    async def aclose(self) -> None:
        if self.grader.coding is not None:
            await self.grader.coding.aclose()
        if self._probe_task is not None and not self._probe_task.done():
            self._probe_task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._probe_task
        if self.llm is not None:
            await self.llm.aclose()
        self.store.close()

    def recent_questions(self, browser_id: str | None) -> set[int]:
        """Questions this browser answered or skipped in the last RECENT_SECONDS."""
        if not browser_id:
            return set()
        return self.store.recent_questions(browser_id, time.time() - RECENT_SECONDS)

    def candidates(self, config: InterviewConfig, browser_id: str | None, recent: set[int] | None = None) -> list[int]:
        """Main-question numbers for a new interview, best first.

        Given `numbers`, exactly those. A topic ranks by semantic search; otherwise the order is random, with
        questions this browser answered weakly before brought to the front (spaced repetition), within the chosen
        section too. Either way, questions this browser answered or skipped in the last day (`recent`, looked up
        when None) go to the end: asked again only when nothing else is left.
        """
        if config.numbers:
            return list(dict.fromkeys(config.numbers))
        if recent is None:
            recent = self.recent_questions(browser_id)
        pool = [q.number for q in self.bank.filter(config.section, config.level)]
        if config.topic and config.topic.strip():
            allowed = set(pool)
            hits = self.index.search(config.topic.strip(), k=len(self.bank))
            ranked = [h.number for h in hits if h.number in allowed][: max(3 * config.count, 10)]
            return _recent_last(ranked, recent)
        random.shuffle(pool)
        if browser_id:
            in_pool = set(pool)
            weak = [n for n in self.store.weak_questions(browser_id) if n in in_pool]
            first = set(weak)
            pool = weak + [n for n in pool if n not in first]
        return _recent_last(pool, recent)


def _recent_last(numbers: list[int], recent: set[int]) -> list[int]:
    """Keep the order, but move the recently answered numbers behind all the others."""
    return [n for n in numbers if n not in recent] + [n for n in numbers if n in recent]


def build_services(
    settings: Settings,
    *,
    embedder: Embedder | None = None,
    grading_embedder: Embedder | None = None,
    http_client: httpx.AsyncClient | None = None,
) -> Services:
    """An injected `embedder` (tests) serves grading too unless a `grading_embedder` is given."""
    bank = load_bank(settings.knowledge_dir)  # raises BankError: the service refuses to start on a bad bank
    if grading_embedder is None:
        grading_embedder = embedder or StaticMiniLM.load(settings.cache_dir)
    embedder = embedder or load_embedder(settings.embedder)
    index = build_index(bank, embedder, settings.cache_dir)
    offline = OfflineGrader(build_index(bank, grading_embedder, settings.cache_dir))
    llm = LLMClient(settings, http_client) if settings.llm_enabled else None
    coding = CodingGrader(bank, offline, None)  # its executor comes from the sandbox check: start_sandbox()
    grader = Grader(offline, LLMRubricGrader(llm, settings.prompts_dir) if llm else None, coding)
    writer = FollowUpWriter(llm, settings.prompts_dir) if llm else None
    store = Store(settings.database_url, pool_size=settings.db_pool_size)  # migrates the schema first
    log.info(
        "bank: %d questions; grader: %s; search: %s; grading: %s",
        len(bank),
        grader.kind,
        embedder.name,
        grading_embedder.name,
    )
    return Services(settings, bank, index, offline, grader, store, llm, writer, limits=Limits.from_settings(settings))
