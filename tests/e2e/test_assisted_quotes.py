"""Words an interviewer typed during a call are marked as their notes wherever the report quotes them."""

from __future__ import annotations

from pathlib import Path

from tests.e2e.conftest import Cli

ON_A_CALL = "Every quote waits two days for a price check, so we lost the Brenner tender in May to a faster supplier."
IN_PERSON = ("Our field engineers cannot see the service history on their phones at the customer site, "
             "so they call the office before every visit.")
MARK_EN, MARK_ZH = "as noted by the interviewer on a call", "访谈者通话时记录"


def interview(cna: Cli, answer: str, *participant: str) -> None:
    out = cna("try", "--script", "customer-current", *participant, input="\n".join(["yes", answer] + ["skip"] * 30))
    assert out.returncode == 0, out.stderr


def quotes(cna: Cli, out: Path, *args: str) -> list[str]:
    r = cna("report", "--out", str(out), *args)
    assert r.returncode == 0, r.stderr
    return [line for line in out.read_text(encoding="utf-8").splitlines() if "“" in line]


def test_a_report_marks_quotes_from_assisted_interviews_as_the_interviewers_notes(cna: Cli, tmp_path: Path) -> None:
    interview(cna, ON_A_CALL, "--participant", "Acme / J. Doe")  # assisted: the lead types what J. Doe says
    called = [q for q in quotes(cna, tmp_path / "a.md") if "Brenner" in q]
    assert called and all(MARK_EN in q for q in called), called
    quotes(cna, tmp_path / "a.html", "--lang", "zh")
    page = (tmp_path / "a.html").read_text(encoding="utf-8")
    block = page[page.index("Brenner"):]
    assert MARK_ZH in block[:block.index("</blockquote>")]  # in the quote's footer, in the report's language

    interview(cna, IN_PERSON)  # typed by the customer in the terminal: their own words, no mark
    lines = quotes(cna, tmp_path / "b.md")
    own = [q for q in lines if "field engineers" in q]
    assert own and not any(MARK_EN in q for q in own), own
    assert any(MARK_EN in q for q in lines if "Brenner" in q)
