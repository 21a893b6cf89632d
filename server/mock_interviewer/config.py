"""Every setting in one place, read from the environment (and an optional .env file)."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

# server/mock_interviewer/config.py -> the project root, which holds knowledge/, prompts/ and web/.
PROJECT_ROOT = Path(__file__).resolve().parents[2]


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore", populate_by_name=True)

    host: str = Field("127.0.0.1", validation_alias="HOST")
    port: int = Field(8000, validation_alias="PORT", ge=1, le=65535)

    knowledge_dir: Path = Field(PROJECT_ROOT / "knowledge", validation_alias="MOCK_INTERVIEWER_KNOWLEDGE_DIR")
    prompts_dir: Path = Field(PROJECT_ROOT / "prompts", validation_alias="MOCK_INTERVIEWER_PROMPTS_DIR")
    web_dir: Path = Field(PROJECT_ROOT / "web", validation_alias="MOCK_INTERVIEWER_WEB_DIR")
    cache_dir: Path = Field(PROJECT_ROOT / ".cache", validation_alias="MOCK_INTERVIEWER_CACHE_DIR")
    # sqlite:///PATH (the default: one host) or postgresql+psycopg://USER:PASSWORD@HOST/DB (many processes/hosts).
    database_url: str = Field(
        f"sqlite:///{PROJECT_ROOT / 'data' / 'interviews.db'}",
        validation_alias=AliasChoices("DATABASE_URL", "MOCK_INTERVIEWER_DATABASE_URL"),
    )

    # "onnx": int8 ONNX export of all-MiniLM-L6-v2 (fast start); "torch": the same model in sentence-transformers.
    embedder: Literal["onnx", "torch"] = Field("onnx", validation_alias="MOCK_INTERVIEWER_EMBEDDER")

    openai_api_key: str | None = Field(None, validation_alias="OPENAI_API_KEY")
    openai_base_url: str | None = Field(None, validation_alias="OPENAI_BASE_URL")
    llm_model: str = Field("gpt-4o-mini", validation_alias="MOCK_INTERVIEWER_MODEL")
    llm_timeout_s: float = Field(30.0, validation_alias="MOCK_INTERVIEWER_LLM_TIMEOUT", gt=0, le=600)
    llm_max_retries: int = Field(2, validation_alias="MOCK_INTERVIEWER_LLM_RETRIES", ge=0, le=10)
    # Streamed replies (follow-ups, the check): how long to wait for the first token, which is where a
    # local model spends its time reading the prompt, and a cap on the whole reply; the total also caps one whole
    # grade (every request, retry and repair), past which the offline grade stands in, labelled.
    llm_first_token_timeout_s: float = Field(
        30.0, validation_alias="MOCK_INTERVIEWER_LLM_FIRST_TOKEN_TIMEOUT", gt=0, le=600
    )
    llm_total_timeout_s: float = Field(90.0, validation_alias="MOCK_INTERVIEWER_LLM_TOTAL_TIMEOUT", gt=0, le=1800)
    # Sent as max_tokens (0: not sent), so a constrained decoder that never closes a string cannot run for minutes.
    llm_max_tokens: int = Field(1500, validation_alias="MOCK_INTERVIEWER_LLM_MAX_TOKENS", ge=0, le=32_000)
    # Probe the LLM once in the background at start-up (what `mock-interviewer llm check` does); /healthz shows it.
    llm_probe_at_start: bool = Field(True, validation_alias="MOCK_INTERVIEWER_LLM_PROBE")

    max_answer_chars: int = Field(8000, validation_alias="MOCK_INTERVIEWER_MAX_ANSWER_CHARS", ge=100)
    max_message_bytes: int = Field(64_000, validation_alias="MOCK_INTERVIEWER_MAX_MESSAGE_BYTES", ge=1000)

    # Serving many: uvicorn worker processes on one port (state is in the database, so any may serve any session),
    # and each process's database connection pool.
    workers: int = Field(1, validation_alias="WORKERS", ge=1, le=64)
    db_pool_size: int = Field(10, validation_alias="MOCK_INTERVIEWER_DB_POOL_SIZE", ge=1, le=200)
    # Fair use (0: no limit), per client address (the proxy's X-Forwarded-For when it comes from a trusted proxy,
    # see uvicorn's FORWARDED_ALLOW_IPS) for HTTP grading and new interviews, and per connection for WebSocket
    # messages. Over a limit: 429 with Retry-After, or an `error` frame; the interview goes on.
    grade_limit_per_minute: float = Field(60, validation_alias="MOCK_INTERVIEWER_GRADE_LIMIT_PER_MINUTE", ge=0)
    session_limit_per_minute: float = Field(30, validation_alias="MOCK_INTERVIEWER_SESSION_LIMIT_PER_MINUTE", ge=0)
    ws_messages_per_second: float = Field(5, validation_alias="MOCK_INTERVIEWER_WS_MESSAGES_PER_SECOND", ge=0)
    ws_message_burst: float = Field(20, validation_alias="MOCK_INTERVIEWER_WS_MESSAGE_BURST", ge=1)

    # The sandbox for candidate code (coding/sandbox.py): bubblewrap, one unprivileged uid per run, rlimits.
    # Runs without any isolation only behind this flag, whose name says what it does; never as a fallback.
    unsafe_run_code_without_sandbox: bool = Field(
        False, validation_alias="MOCK_INTERVIEWER_UNSAFE_RUN_CODE_WITHOUT_SANDBOX"
    )
    sandbox_pool_size: int = Field(2, validation_alias="MOCK_INTERVIEWER_SANDBOX_POOL_SIZE", ge=1, le=32)
    sandbox_bwrap: Path = Field(Path("/usr/bin/bwrap"), validation_alias="MOCK_INTERVIEWER_SANDBOX_BWRAP")
    # Runs take uids base .. base+span-1, each held under a lock file for the run (several processes may share).
    sandbox_base_uid: int = Field(64000, validation_alias="MOCK_INTERVIEWER_SANDBOX_BASE_UID", ge=1000, le=2**31)
    sandbox_uid_span: int = Field(64, validation_alias="MOCK_INTERVIEWER_SANDBOX_UID_SPAN", ge=1, le=4096)
    # Where the interpreter and NumPy are staged (hard links) for the sandbox's uid, on a path every uid can
    # traverse; default /var/cache/mock-interviewer/sandbox.
    sandbox_dir: Path | None = Field(None, validation_alias="MOCK_INTERVIEWER_SANDBOX_DIR")
    sandbox_cpu_s: int = Field(20, validation_alias="MOCK_INTERVIEWER_SANDBOX_CPU_S", ge=1, le=600)
    sandbox_memory_mb: int = Field(1024, validation_alias="MOCK_INTERVIEWER_SANDBOX_MEMORY_MB", ge=256, le=65536)
    sandbox_max_processes: int = Field(12, validation_alias="MOCK_INTERVIEWER_SANDBOX_MAX_PROCESSES", ge=4, le=1024)
    sandbox_file_mb: int = Field(16, validation_alias="MOCK_INTERVIEWER_SANDBOX_FILE_MB", ge=1, le=4096)
    sandbox_tmpfs_mb: int = Field(64, validation_alias="MOCK_INTERVIEWER_SANDBOX_TMPFS_MB", ge=4, le=4096)
    sandbox_open_files: int = Field(64, validation_alias="MOCK_INTERVIEWER_SANDBOX_OPEN_FILES", ge=16, le=4096)
    sandbox_output_kb: int = Field(1024, validation_alias="MOCK_INTERVIEWER_SANDBOX_OUTPUT_KB", ge=16, le=65536)

    @field_validator("openai_api_key", "openai_base_url", mode="before")
    @classmethod
    def _blank_is_unset(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("database_url")
    @classmethod
    def _supported_database(cls, value: str) -> str:
        for prefix in ("postgres://", "postgresql://"):  # psycopg 3 is the driver installed
            if value.startswith(prefix):
                return "postgresql+psycopg://" + value.removeprefix(prefix)
        if not value.startswith(("sqlite:///", "postgresql+psycopg://")):
            raise ValueError("DATABASE_URL must be sqlite:///PATH or postgresql+psycopg://USER:PASSWORD@HOST:PORT/DB")
        return value

    @property
    def llm_enabled(self) -> bool:
        return bool(self.openai_api_key or self.openai_base_url)

    @property
    def database_path(self) -> Path:
        """The SQLite file (only meaningful for a sqlite:/// URL)."""
        return Path(self.database_url.removeprefix("sqlite:///"))
