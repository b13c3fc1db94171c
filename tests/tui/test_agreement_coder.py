"""The Agreement screen says per code which coder proposes it and why; the review app retrains the coder in the
background after enough new decisions (a separate process: the screen keeps responding)."""

from __future__ import annotations

from typing import Any
from unittest import mock

from textual.widgets import DataTable

from core.coder_model import CodeGate
from storage.coder_models import save_model
from storage.uow import Database
from tests.tui.helpers import SIZE, make_app, settle
from tui.screens.agreement import coder_cell

STORED = {"version": 2, "meta": {"id": "feedc0de42", "examples": 2600, "lead_answers": 40},
          "codes": {"price": {"active": "model", "a": 1.0, "b": 0.0, "kappa_model": 0.66, "kappa_cues": 0.5,
                              "kappa_lead_model": 0.81, "kappa_lead_cues": 0.62, "lead_cases": 12,
                              "lead_answers": 40},
                    "speed": {"active": "cues", "a": 1.0, "b": 0.0, "kappa_model": 0.41, "kappa_cues": 0.7,
                              "why": "model kappa 0.41 < 0.6"}},
          "weight_codes": ["price"], "weights": {"w:price": [0, 2.0]}, "idf": {"w:price": 1.0}, "lexicon": [],
          "cap": [2], "pairs": []}


def test_coder_cell_names_the_coder_and_both_kappas() -> None:
    assert coder_cell(None).plain == "cues (no model)"
    assert coder_cell(CodeGate("sla", "model", 0.85, 0.71)).plain == "model · κ 0.85 vs 0.71"
    assert coder_cell(CodeGate("sla", "cues", 0.41, 0.7)).plain == "cues · κ 0.41 vs 0.70"
    lead = CodeGate("sla", "model", 0.6, 0.5, 0.8, 0.6, lead_cases=9, lead_answers=20)
    assert coder_cell(lead).plain == "model · lead κ 0.80 vs 0.60"
    # With the number of the lead's answers with the code (the gate's evidence, cross-validated over all of them).
    counted = CodeGate("sla", "model", 0.6, 0.5, 0.8, 0.6, lead_cases=14, lead_answers=100, lead_positives=12)
    assert coder_cell(counted).plain == "model · lead κ 0.80 vs 0.60 (12/100)"
    # The mean over three splits into folds, with its lowest and highest (how steady the evidence is).
    steady = CodeGate("sla", "model", 0.6, 0.5, 0.8, 0.6, lead_cases=14, lead_answers=100, lead_positives=12,
                      splits=3, kappa_lead_range=(0.74, 0.86))
    assert coder_cell(steady).plain == "model · lead κ 0.80 (0.74–0.86) vs 0.60 (12/100)"
    # Fewer than 20 reviewed answers: the gate decided on the corpus folds, and the cell says so.
    few = CodeGate("sla", "model", 0.6, 0.5, 0.8, 0.6, lead_cases=9, lead_answers=19)
    assert coder_cell(few).plain == "model · κ 0.60 vs 0.50"
    assert coder_cell(CodeGate("sla", "cues", None, 0.5, positives=3)).plain == "cues · 3 examples"
    # A code on nearly every reviewed answer was judged by AC1; kappa is shown beside it for reference.
    common = CodeGate("quality", "model", 0.6, 0.5, 0.0, -0.02, lead_cases=96, lead_answers=100, lead_positives=96,
                      statistic="ac1", ac1_lead_model=0.958, ac1_lead_cues=-0.7)
    assert coder_cell(common).plain == "model · lead AC1 0.96 vs -0.70, κ 0.00 (96/100)"


async def test_agreement_shows_the_stored_models_choice(demo_url: str) -> None:
    db = await Database.open(demo_url)
    try:
        async with db.uow() as uow:
            await save_model(uow.session, STORED, decisions=40, by="test")
            await uow.commit()
    finally:
        await db.close()
    app = make_app(demo_url)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("4")
        await settle(pilot)
        table = app.screen.query_one("#kappa", DataTable)
        cells = {str(k.value): str(table.get_row(k)[-1]) for k in table.rows}
        assert cells.get("price") == "model · lead κ 0.81 vs 0.62"
        assert cells.get("speed") == "cues · κ 0.41 vs 0.70"
        assert "coder model feedc0de42: 1 codes by model" in str(app.screen.query_one("#kappa-legend").render())


async def test_retraining_starts_in_the_background_once_due(demo_url: str) -> None:
    started: list[str] = []

    class Proc:
        returncode: Any = None

    async def fake_start(url: str) -> Proc:  # the real one spawns `cna train coder` (a minute of CPU)
        started.append(url)
        return Proc()

    app = make_app(demo_url, retrain_every=1)
    with mock.patch("app.coder_training.retrain_in_background", fake_start):
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            app.changed()
            await settle(pilot)
            app.changed()  # still running: not started twice
            await settle(pilot)
    assert started == [demo_url]
    quiet = make_app(demo_url)  # retrain_every defaults to 0 outside `cna tui`
    with mock.patch("app.coder_training.retrain_in_background", fake_start):
        async with quiet.run_test(size=SIZE) as pilot:
            quiet.changed()
            await settle(pilot)
    assert started == [demo_url]
