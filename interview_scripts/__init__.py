"""The shipped interview data: scripts per audience and language, probe rules and the codebook."""

from pathlib import Path

DIR = Path(__file__).resolve().parent
SCRIPTS_DIR = DIR / "scripts"
CODEBOOK = DIR / "codebook.yaml"
JUDGE = DIR / "judge.json"  # the specificity judge's weights (`cna train prober` writes them)
PROBE_CORPUS = DIR / "corpus" / "probe"
CODER = DIR / "coder.json"  # the learned coder's weights and adoption per code (`cna train coder` writes them)
CODER_CORPUS = DIR / "corpus" / "coder"


def probe_rules_path(lang: str) -> Path:
    return DIR / f"probes.{lang}.yaml"
