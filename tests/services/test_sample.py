import csv

from kzcoder.paths import default_project_path
from kzcoder.services.codebook.editing import list_codes
from kzcoder.services.documents import document_text, list_documents
from kzcoder.services.sample import open_default_project, sample_corpus_dir

CORPUS = sample_corpus_dir()


def _linear(channel: float) -> float:
    channel /= 255
    return channel / 12.92 if channel <= 0.04045 else ((channel + 0.055) / 1.055) ** 2.4


# Colour-vision-deficiency simulation in linear RGB (Machado et al. 2009, severity 1.0).
CVD = {
    "protan": ((0.152286, 1.052583, -0.204868), (0.114503, 0.786281, 0.099216),
               (-0.003882, -0.048116, 1.051998)),
    "deutan": ((0.367322, 0.860646, -0.227968), (0.280085, 0.672501, 0.047413),
               (-0.011820, 0.042940, 0.968881)),
    "tritan": ((1.255528, -0.076749, -0.178779), (-0.078411, 0.930809, 0.147602),
               (0.004733, 0.691367, 0.303900)),
}


def _simulate(hex_colour: str, matrix) -> tuple[float, ...]:
    rgb = [_linear(int(hex_colour[i:i + 2], 16)) for i in (1, 3, 5)]
    return tuple(min(1.0, max(0.0, sum(m * c for m, c in zip(row, rgb, strict=True))))
                 for row in matrix)


def test_sample_project_has_the_five_articles_with_manifest_titles(sample_project):
    with (CORPUS / "manifest.csv").open(encoding="utf-8") as handle:
        manifest = {row["file"]: row for row in csv.DictReader(handle)}
    docs = list_documents(sample_project)
    assert len(docs) == 5
    for doc in docs:
        row = manifest[doc.name + ".txt"]
        assert (doc.title, doc.outlet, doc.published) == (
            row["title"], row["outlet"], row["published"])
        original = (CORPUS / (doc.name + ".txt")).read_text(encoding="utf-8")
        assert document_text(sample_project, doc.id) == original.replace("\r\n", "\n")


def test_default_codebook_has_four_defined_codes_with_keys(sample_project):
    codes = list_codes(sample_project)
    assert [(c.name, c.shortcut) for c in codes] == [
        ("State justification", "1"), ("Dissent", "2"), ("Force", "3"),
        ("International reaction", "4")]
    corpus = " ".join(p.read_text(encoding="utf-8") for p in CORPUS.glob("*.txt"))
    for code in codes:
        assert "Code:" in code.description and "Do not code:" in code.description
        example = code.description.split('Example: "')[1].rstrip('"')
        assert example in corpus, f"{code.name}: example not found in the corpus"


def test_default_colours_stay_distinct_for_colour_blind_readers(sample_project):
    colours = [c.color for c in list_codes(sample_project)]
    assert len(set(colours)) == 4
    for name, matrix in CVD.items():
        seen = [_simulate(c, matrix) for c in colours]
        for i in range(4):
            for j in range(i + 1, 4):
                distance = sum((a - b) ** 2 for a, b in zip(seen[i], seen[j], strict=True)) ** .5
                assert distance > 0.12, f"{colours[i]} and {colours[j]} blur under {name}"


def test_default_project_is_created_once_under_kzcoder_home(tmp_path, monkeypatch):
    monkeypatch.setenv("KZCODER_HOME", str(tmp_path / "home"))
    assert default_project_path() == tmp_path / "home" / "default.kzc"
    with open_default_project() as first:
        assert len(list_documents(first)) == 5
    with open_default_project() as second:
        assert len(list_documents(second)) == 5
