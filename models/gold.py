"""Gold annotations for scoring extraction (`tests/gold/*.gold.json`) and the score report."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

Names = str | list[str | None] | None


class GoldEntity(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str
    type: str
    iso: str | None = None


class GoldEvent(BaseModel):
    model_config = ConfigDict(extra="forbid")
    type: str
    mode: str | None = None
    source: Names = None
    target: Names = None
    date: str | None = None
    status: str = "happened"
    evidence: str = ""


class GoldFigure(BaseModel):
    model_config = ConfigDict(extra="forbid")
    value: float
    unit: str
    direction: str | None = None
    metric: str | None = None
    text: str = ""


class GoldFile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    article_id: str
    source_file: str
    published: str | None = None
    entities: list[GoldEntity] = []
    events: list[GoldEvent] = []
    figures: list[GoldFigure] = []


class Score(BaseModel):
    true_positives: int = 0
    false_positives: int = 0
    false_negatives: int = 0

    @property
    def precision(self) -> float:
        found = self.true_positives + self.false_positives
        return self.true_positives / found if found else 1.0

    @property
    def recall(self) -> float:
        wanted = self.true_positives + self.false_negatives
        return self.true_positives / wanted if wanted else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


class Accuracy(BaseModel):
    correct: int = 0
    total: int = 0

    @property
    def value(self) -> float:
        return self.correct / self.total if self.total else 1.0


class Miss(BaseModel):
    article_id: str
    category: str
    kind: str = Field(description="missed (in gold, not found), spurious (found, not in gold) or wrong (matched, attribute differs)")
    detail: str


class EvalReport(BaseModel):
    articles: int = 0
    entities: Score = Score()
    events: Score = Score()
    figures: Score = Score()
    event_dates: Accuracy = Accuracy()
    # The same, by where the predicted date came from: the text, or the article's publication
    # (the default for an event the text does not date; right when the gold has no date).
    event_dates_text: Accuracy = Accuracy()
    event_dates_publication: Accuracy = Accuracy()
    event_status: Accuracy = Accuracy()
    figure_directions: Accuracy = Accuracy()
    misses: list[Miss] = []

    def summary(self) -> dict[str, float]:
        return {
            "entities_f1": round(self.entities.f1, 3),
            "events_precision": round(self.events.precision, 3),
            "events_recall": round(self.events.recall, 3),
            "events_f1": round(self.events.f1, 3),
            "figures_f1": round(self.figures.f1, 3),
            "event_date_accuracy": round(self.event_dates.value, 3),
            "event_date_text_accuracy": round(self.event_dates_text.value, 3),
            "event_date_publication_accuracy": round(self.event_dates_publication.value, 3),
            "event_status_accuracy": round(self.event_status.value, 3),
            "figure_direction_accuracy": round(self.figure_directions.value, 3),
        }
