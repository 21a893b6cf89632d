from __future__ import annotations

import json

from fastapi.testclient import TestClient


def test_health_says_which_grader_runs(client: TestClient) -> None:
    body = client.get("/healthz").json()
    assert body["status"] == "ok" and body["questions"] == 120
    assert body["grader"] == "offline" and body["llm_model"] is None
    assert body["embedder"] and body["grading_embedder"]  # search and grading each name their embedder


def test_list_questions_filters_by_section_and_level(client: TestClient) -> None:
    everything = client.get("/api/questions").json()
    assert len(everything) == 120 and set(everything[0]) == {"number", "title", "section", "level"}
    coding = client.get("/api/questions", params={"section": "coding"}).json()
    assert [q["number"] for q in coding] == list(range(101, 121))
    senior = client.get("/api/questions", params={"level": "senior"}).json()
    assert senior and all("senior" in q["level"] for q in senior)


def test_bad_filters_are_422(client: TestClient) -> None:
    assert client.get("/api/questions", params={"section": "astrology"}).status_code == 422
    assert client.get("/api/questions", params={"level": "expert"}).status_code == 422


def test_get_question_returns_the_whole_entry(client: TestClient) -> None:
    body = client.get("/api/questions/101").json()
    for field in (
        "number",
        "title",
        "section",
        "level",
        "tags",
        "key_points",
        "follow_ups",
        "mistakes",
        "reference_answer",
        "reference_solution",
        "solution",
    ):
        assert body[field], field
    assert body["follow_ups"][0].keys() == {"question", "expects", "key_points"}


def test_unknown_question_is_404_with_a_message(client: TestClient) -> None:
    response = client.get("/api/questions/999")
    assert response.status_code == 404 and "999" in response.json()["detail"]
    assert client.get("/api/questions/abc").status_code == 422


def test_search_returns_ranked_hits(client: TestClient) -> None:
    hits = client.get("/api/search", params={"q": "dropout randomly zeroes units", "k": 3}).json()
    assert len(hits) == 3 and hits[0]["number"] == 54
    assert set(hits[0]) == {"number", "title", "section", "level", "score"}


def test_search_rejects_empty_and_overlong_queries(client: TestClient) -> None:
    assert client.get("/api/search", params={"q": "   "}).status_code == 400
    assert client.get("/api/search").status_code == 400
    too_long = client.get("/api/search", params={"q": "x" * 501})
    assert too_long.status_code == 400 and "500" in too_long.json()["detail"]
    assert client.get("/api/search", params={"q": "trees", "k": 0}).status_code == 422
    assert client.get("/api/search", params={"q": "trees", "k": 51}).status_code == 422


def test_grade_returns_a_labelled_offline_grade(client: TestClient) -> None:
    body = client.post(
        "/api/grade", json={"number": 54, "answer": "Dropout randomly zeroes units while training."}
    ).json()
    assert body["grader"] == "offline" and body["fallback_reason"] is None
    assert 0 <= body["score"] <= 10
    assert {c["criterion"] for c in body["criteria"]} == {"correctness", "completeness", "depth", "clarity"}
    assert len(body["covered"]) + len(body["missed"]) == 7


def test_grade_rejects_bad_bodies(client: TestClient) -> None:
    assert client.post("/api/grade", json={"number": 54}).status_code == 422
    assert (
        client.post("/api/grade", content=b"{not json", headers={"content-type": "application/json"}).status_code == 422
    )
    assert client.post("/api/grade", json={"number": 500, "answer": "x"}).status_code == 404
    huge = client.post("/api/grade", json={"number": 54, "answer": "a" * 8001})
    assert huge.status_code == 413 and "8000" in huge.json()["detail"]


def test_page_is_served(client: TestClient) -> None:
    response = client.get("/")
    assert response.status_code == 200 and "<html" in response.text.lower()


def test_history_of_an_unknown_browser_is_empty_and_ids_are_bounded(client: TestClient) -> None:
    assert client.get("/api/history/never-seen").json() == []
    assert client.get("/api/history/" + "x" * 101).status_code == 422


def test_a_coding_question_shows_its_contract_but_not_its_hidden_tests(client: TestClient) -> None:
    body = client.get("/api/questions/114").json()
    assert "reservoir_sample" in body["task"]["starter"] and len(body["task"]["examples"]) >= 2
    assert "hidden_tests" not in body and "def test_" not in json.dumps(body)
