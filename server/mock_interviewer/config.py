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
    # SQLite file, written as a URL so a server database could slot in later.
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

    max_answer_chars: int = Field(8000, validation_alias="MOCK_INTERVIEWER_MAX_ANSWER_CHARS", ge=100)
    max_message_bytes: int = Field(64_000, validation_alias="MOCK_INTERVIEWER_MAX_MESSAGE_BYTES", ge=1000)

    @field_validator("openai_api_key", "openai_base_url", mode="before")
    @classmethod
    def _blank_is_unset(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("database_url")
    @classmethod
    def _sqlite_only(cls, value: str) -> str:
        if not value.startswith("sqlite:///"):
            raise ValueError("only sqlite:///PATH database URLs are supported")
        return value

    @property
    def llm_enabled(self) -> bool:
        return bool(self.openai_api_key or self.openai_base_url)

    @property
    def database_path(self) -> Path:
        return Path(self.database_url.removeprefix("sqlite:///"))
