"""Wiring: build the bank, index, graders and store once, from settings; tests pass their own edges in."""

from __future__ import annotations

import logging
import random
from dataclasses import dataclass

import httpx

from .bank import Bank, load_bank
from .config import Settings
from .embeddings import Embedder, load_embedder
from .grading.llm import LLMRubricGrader
from .grading.offline import OfflineGrader
from .grading.service import FollowUpWriter, Grader
from .index import BankIndex, build_index
from .interview import InterviewConfig
from .llm import LLMClient
from .static_embeddings import StaticMiniLM
from .store import Store

log = logging.getLogger(__name__)


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

    async def aclose(self) -> None:
        if self.llm is not None:
            await self.llm.aclose()
        self.store.close()

    def candidates(self, config: InterviewConfig, browser_id: str | None) -> list[int]:
        """Main-question numbers for a new interview, best first.

        A topic ranks by semantic search; otherwise the order is random, with questions this browser answered
        weakly before brought to the front (spaced repetition) unless a section was asked for.
        """
        pool = [q.number for q in self.bank.filter(config.section, config.level)]
        if config.topic and config.topic.strip():
            allowed = set(pool)
            hits = self.index.search(config.topic.strip(), k=len(self.bank))
            ranked = [h.number for h in hits if h.number in allowed]
            return ranked[: max(3 * config.count, 10)]
        random.shuffle(pool)
        if browser_id and config.section is None:
            in_pool = set(pool)
            weak = [n for n in self.store.weak_questions(browser_id) if n in in_pool]
            first = set(weak)
            pool = weak + [n for n in pool if n not in first]
        return pool


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
    grader = Grader(offline, LLMRubricGrader(llm, settings.prompts_dir) if llm else None)
    writer = FollowUpWriter(llm, settings.prompts_dir) if llm else None
    store = Store(settings.database_path)
    log.info(
        "bank: %d questions; grader: %s; search: %s; grading: %s",
        len(bank),
        grader.kind,
        embedder.name,
        grading_embedder.name,
    )
    return Services(settings, bank, index, offline, grader, store, llm, writer)
