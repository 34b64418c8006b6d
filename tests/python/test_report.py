"""`credsim report` and credsim_analysis.report, tested as a person sees them:
the page rendered by headless Chromium (a screenshot that is not blank, the
summary and the matrix in the DOM text), a self-contained HTML file (no
external reference, every figure embedded), the PDF's first page; and the
numbers behind the words: the paired differences the summary uses equal the
engine's, the all-trials survival curve ends at P(deal and no armed attack)."""
from __future__ import annotations

import html as html_module
import os
import re
import shutil
import subprocess
from html.parser import HTMLParser

import matplotlib
import numpy as np
import pandas as pd
import pytest
from PIL import Image

import credsim
from conftest import SEED
from credsim_analysis import compare, save, style, survival
from credsim_analysis import report as brief

TRIALS = 4000
WORLDS = 6
needs_chromium = pytest.mark.skipif(brief.chromium() is None, reason="headless Chromium is not installed "
                                    "(apt-get install chromium; .ci/bootstrap installs it)")


@pytest.fixture(scope="module")
def cli_report(cli, ukraine_path, tmp_path_factory):
    """One `credsim report` run, with plausible worlds: its folder and the HTML text."""
    out = tmp_path_factory.mktemp("report")
    done = subprocess.run([str(cli), "report", str(ukraine_path), "--trials", str(TRIALS), "--seed", str(SEED),
                           "--worlds", str(WORLDS), "--world-trials", "200", "--out", str(out), "--quiet"],
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    return out, (out / "report.html").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def run_with_trials(ukraine):
    return credsim.run(ukraine, trials=TRIALS, seed=SEED, trial_rows=True, progress=False)


def dom_text(markup: str) -> str:
    """The visible text of an HTML document, whitespace collapsed."""
    text = re.sub(r"<(script|style|svg)\b.*?</\1>", " ", markup, flags=re.S | re.I)
    text = html_module.unescape(re.sub(r"<[^>]+>", " ", text))
    return " ".join(text.split())


def section(markup: str, identifier: str) -> str:
    """The visible text of the page's <section id=identifier>."""
    found = re.search(rf'<section id="{identifier}".*?</section>', markup, flags=re.S)
    assert found, f"no section {identifier!r}"
    return dom_text(found.group(0))


class References(HTMLParser):
    """Every tag, and every attribute that could load something."""

    def __init__(self):
        super().__init__()
        self.tags: list[str] = []
        self.links: list[tuple[str, str, str]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        for name, value in attrs:
            if name in ("src", "href", "xlink:href", "data", "poster", "srcset", "action") and value is not None:
                self.links.append((tag, name, value))


# --- the file --------------------------------------------------------------------------------------

def test_the_cli_writes_the_run_files_and_the_report(cli_report, ukraine):
    out, _ = cli_report
    for name in ("summary.json", "summary.csv", "paired.csv", "survival.csv", "report.html"):
        assert (out / name).is_file(), name
    assert not (out / "trials.csv").exists(), "trials.csv is removed unless --trials-csv"
    loaded = credsim.load(out)
    assert loaded.provenance["scenario_sha256"] == ukraine.sha256 and loaded.provenance["trials"] == TRIALS


def test_the_worlds_section_gives_the_worlds_numbers(cli_report):
    out, markup = cli_report
    text = section(markup, "worlds")
    ranks = credsim.load(out / "worlds").ranks
    assert f"{WORLDS} worlds of 200 trials each" in text
    best = ranks[ranks["metric"] == "p_no_armed_attack_all"].sort_values("p_first").iloc[-1]
    assert f"{best.label} ranks first on P(deal and no armed attack) in {best.p_first:.0%} of {WORLDS}" in text
    for row in ranks[ranks["metric"] == "p_deal"].itertuples():
        assert f"{row.label} {row.p_first:.2f}" in text  # the option's row starts with its P(first) on P(deal)
    assert "The assumptions that decide the ranking" in text
    # The summary's Monte Carlo intervals point to this section rather than standing for all the uncertainty.
    meaning = re.search(r"<p[^>]*>\s*<em>What the intervals mean\.</em>.*?</p>", markup, flags=re.S)
    assert meaning, "the summary says what its intervals mean"
    assert "Monte Carlo error only" in meaning.group(0) and 'href="#worlds"' in meaning.group(0)


def test_the_html_is_self_contained(cli_report):
    _, markup = cli_report
    parser = References()
    parser.feed(markup)
    assert "script" not in parser.tags and "iframe" not in parser.tags and "link" not in parser.tags
    assert "img" not in parser.tags, "figures are inline SVG, not images"
    external = [link for link in parser.links if not link[2].startswith("#")]
    assert not external, f"references outside the page: {external[:5]}"
    assert not re.search(r"url\(\s*['\"]?(?!#)", markup), "a CSS url() that is not a fragment"
    assert "@import" not in markup and "http://" not in markup.replace("http://www.w3.org/", "") \
        and "https://" not in markup
    assert parser.tags.count("svg") >= 4 and parser.tags.count("figure") == parser.tags.count("svg")
    ids = re.findall(r'\bid="([^"]+)"', markup)
    assert len(ids) == len(set(ids)), "ids repeat across the inline figures"
    fragments = set(re.findall(r'(?:href|xlink:href)="#([^"]+)"', markup)) | set(re.findall(r"url\(#([^)]+)\)", markup))
    assert fragments <= set(ids), f"broken references: {sorted(fragments - set(ids))[:5]}"


def test_the_summary_is_written_from_the_numbers(cli_report):
    out, markup = cli_report
    results = credsim.load(out)
    ranked = compare.ranking(results.summary, "p_no_armed_attack_all")
    best, second = ranked.iloc[0], ranked.iloc[1]
    summary = section(markup, "summary")
    assert f"{results.labels[best.option]} gives the highest probability" in summary
    assert f"{best.estimate:.2f} (95% interval {best.ci_low:.2f}–{best.ci_high:.2f})" in summary
    assert f"The runner-up is {results.labels[second.option]} at {second.estimate:.2f}" in summary
    assert "on the same simulated futures (paired)" in summary
    assert ("beyond the Monte Carlo error" in summary) != ("within the Monte Carlo error" in summary)
    assert "not how uncertain the scenario's inputs are" in summary


def test_the_matrix_glossary_formulas_and_provenance_are_there(cli_report, ukraine):
    out, markup = cli_report
    results = credsim.load(out)
    matrix = section(markup, "matrix")
    for option in ukraine.options:
        assert ukraine.option_labels[option] in matrix
        assert option not in matrix.replace(ukraine.option_labels[option], ""), f"id {option} shown, not its label"
    for metric in brief.MATRIX_METRICS:
        assert results.json["glossary"][metric]["label"] in matrix
    row = results.metric("p_deal").iloc[0]
    assert f"{row.estimate:.2f} [{row.ci_low:.2f}, {row.ci_high:.2f}]" in matrix
    glossary = section(markup, "glossary")
    for entry in results.json["glossary"].values():
        assert entry["definition"] in glossary
    formulas = section(markup, "formulas")
    assert "this is a clear red line for Putin" in formulas  # instruments.membership.red_line, seed 002
    assert "United States, United Kingdom, France, Germany, Poland : membership" in formulas
    provenance = section(markup, "provenance")
    for value in (ukraine.sha256, f"{TRIALS:,}", credsim.__version__):
        assert value in provenance
    assert f"Seed {SEED}" in provenance


# --- as a person sees it ----------------------------------------------------------------------------

def _screenshot(html_path, png_path, width, height):
    profile = png_path.parent / f"profile-{width}"
    subprocess.run(brief.chromium_command(f"--user-data-dir={profile}", f"--screenshot={png_path}",
                                          f"--window-size={width},{height}", html_path.resolve().as_uri()),
                   capture_output=True, timeout=180, check=True)
    with Image.open(png_path) as image:
        return np.asarray(image.convert("L"), dtype=float)


def _not_blank(pixels: np.ndarray) -> None:
    assert pixels.std() > 25, f"nearly uniform screenshot (std {pixels.std():.1f})"
    assert (pixels < 128).mean() > 0.02, "almost no dark pixels: no text"


@needs_chromium
@pytest.mark.parametrize("width,height", [(1280, 2000), (390, 1600)])  # a laptop and a phone
def test_chromium_renders_the_report(cli_report, tmp_path, width, height):
    out, _ = cli_report
    pixels = _screenshot(out / "report.html", tmp_path / f"report-{width}.png", width, height)
    assert pixels.shape == (height, width)
    _not_blank(pixels)
    # The page fits the window's width: no column of the screenshot is cut mid-content at the right edge
    # (the wide tables scroll inside their own box).
    assert (pixels[:, -3:] > 240).mean() > 0.98


@needs_chromium
def test_the_dom_has_the_summary_and_the_matrix(cli_report, tmp_path):
    out, _ = cli_report
    done = subprocess.run(brief.chromium_command(f"--user-data-dir={tmp_path / 'profile'}", "--dump-dom",
                                                 (out / "report.html").resolve().as_uri()),
                          capture_output=True, text=True, timeout=180, check=True)
    text = dom_text(done.stdout)
    results = credsim.load(out)
    best = compare.ranking(results.summary, "p_no_armed_attack_all").iloc[0]
    assert f"{results.labels[best.option]} gives the highest probability" in text
    assert "Options compared" in text and "P(deal and no armed attack)" in text
    assert text.count("n = ") >= len(results.options)  # conditional cells carry their n
    assert done.stdout.count("<tr") >= 2 * len(results.options)


@needs_chromium
@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm (poppler-utils) is not installed")
def test_the_pdf_first_page(cli_report, tmp_path):
    out, _ = cli_report
    pdf = brief.print_pdf(out / "report.html", tmp_path / "report.pdf")
    assert pdf.read_bytes()[:5] == b"%PDF-"
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "page")],
                   check=True, timeout=120)
    page = next(tmp_path.glob("page*.png"))
    with Image.open(page) as image:
        _not_blank(np.asarray(image.convert("L"), dtype=float))
    text = subprocess.run(["pdftotext", "-f", "1", "-l", "1", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "Summary" in text and "Options compared" in text


# --- the numbers behind the words ---------------------------------------------------------------------

def test_paired_differences_equal_the_engines(run_with_trials):
    r = run_with_trials
    for metric in ("p_deal", "p_no_armed_attack", "p_no_armed_attack_all", "territory_lost"):
        kind = r.summary.loc[r.summary["metric"] == metric, "kind"].iloc[0]
        for row in r.paired[r.paired["metric"] == metric].itertuples():
            d = brief.paired_difference(r.trials, metric, row.option, row.baseline, kind)
            assert d.n == row.n
            if row.n >= 2:
                assert d.estimate == pytest.approx(row.estimate, abs=1e-12)
                assert d.std_error == pytest.approx(row.std_error, abs=1e-12)
                assert (d.ci_low, d.ci_high) == pytest.approx((row.ci_low, row.ci_high), abs=1e-12)


def test_survival_over_all_trials_ends_at_the_headline(run_with_trials):
    r = run_with_trials
    table = survival.over_all_trials(r.survival)
    horizon = table["t"].max()
    for option in r.options:
        curve = table[table["option"] == option].set_index("t")["survival"]
        assert curve[0] == pytest.approx(r.metric("p_deal").set_index("option").loc[option, "estimate"])
        assert curve[horizon] == pytest.approx(
            r.metric("p_no_armed_attack_all").set_index("option").loc[option, "estimate"])


def test_results_report_from_python(run_with_trials, tmp_path):
    path = run_with_trials.report(tmp_path / "brief" / "report.html")
    text = dom_text(path.read_text(encoding="utf-8"))
    assert "on the same simulated futures (paired)" in text
    assert "this is a clear red line for Putin" in text
    run_with_trials.save(tmp_path / "saved")
    unpaired = brief.write_report(tmp_path / "saved", tmp_path / "unpaired.html")
    text = dom_text(unpaired.read_text(encoding="utf-8"))
    assert "from the two separate estimates (not paired)" in text
    assert "The scenario file was not given to the report" in text


def test_the_cli_says_what_is_missing(cli, ukraine_path, tmp_path):
    env = {**os.environ, "CREDSIM_PYTHON": str(tmp_path / "no-python")}
    done = subprocess.run([str(cli), "report", str(ukraine_path), "--trials", "100", "--out", str(tmp_path / "o")],
                          capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 2 and "credsim report needs" in done.stderr
    assert not (tmp_path / "o").exists(), "nothing is run when the report cannot be made"


# --- figures for a brief ---------------------------------------------------------------------------------

def synthetic_summary(n_options: int) -> pd.DataFrame:
    """n options with labels, two metrics (one conditional), estimates spread over [0.1, 0.9]."""
    rng = np.random.default_rng(n_options)
    rows = []
    for i in range(n_options):
        for metric, given in (("p_deal", ""), ("p_no_armed_attack", "deal")):
            p = float(rng.uniform(0.1, 0.9))
            n = 5000 if not given else int(5000 * p)
            half = 1.96 * np.sqrt(p * (1 - p) / n)
            rows.append({"option": f"option_{i}", "label": f"Option number {i} with a long descriptive label",
                         "metric": metric, "kind": "probability", "given": given, "n": n, "estimate": p,
                         "std_error": half / 1.96, "ci_low": p - half, "ci_high": p + half})
    frame = pd.DataFrame(rows)
    frame.attrs["provenance"] = {"scenario": "synthetic", "trials": 5000, "seed": 1}
    return frame


@pytest.mark.parametrize("n_options", [2, 12])
def test_comparison_figure_for_2_to_12_options(n_options, tmp_path):
    from test_analysis import assert_readable

    summary = synthetic_summary(n_options)
    fig = compare.comparison_figure(summary, ["p_deal", "p_no_armed_attack"], baseline="option_0")
    assert_readable(fig)
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert all("Option number" in t for t in labels) and not any("option_" in t for t in labels)
    assert any(f"n={n:,}" in t.get_text() for n in summary["n"] for t in fig.axes[1].texts)
    looks = style.option_styles(summary["option"].unique(), "option_0")
    assert len({(v["color"], v["marker"]) for v in looks.values()}) == n_options
    assert looks["option_0"]["color"] == style.BASELINE_GREY
    save(fig, tmp_path / "figure.svg")


def test_within_noise_is_marked():
    summary = synthetic_summary(3)
    rows = summary["metric"] == "p_deal"
    summary.loc[rows, ["estimate", "ci_low", "ci_high"]] = [[0.50, 0.48, 0.52], [0.49, 0.47, 0.51], [0.2, 0.18, 0.22]]
    ranked = compare.ranking(summary, "p_deal")
    assert list(ranked["within_noise"]) == [True, True, False]
    assert "within noise of it" in compare.finding(summary, "p_deal")


def test_figures_leave_the_global_style_alone(run_with_trials):
    before = dict(matplotlib.rcParams)
    compare.comparison_figure(run_with_trials.summary)
    survival.survival_figure(run_with_trials.survival)
    after = dict(matplotlib.rcParams)
    assert {k for k in before if before[k] != after[k]} == set()


def test_survival_figure_is_over_all_trials_by_default(run_with_trials):
    fig = survival.survival_figure(run_with_trials.survival)
    assert "over all trials" in fig.axes[0].get_ylabel()
    best = compare.ranking(run_with_trials.summary, "p_no_armed_attack_all").iloc[0]
    assert fig.axes[0].get_title().startswith(run_with_trials.labels[best.option])
    fig = survival.survival_figure(run_with_trials.survival, over="deal")
    assert any("(n = " in t.get_text() for t in fig.axes[0].texts)


@pytest.mark.parametrize("extension,magic", [(".png", b"\x89PNG"), (".svg", b"<?xml"), (".pdf", b"%PDF")])
def test_save_chooses_the_format_by_extension(run_with_trials, tmp_path, extension, magic):
    path = save(compare.comparison_figure(run_with_trials.summary), tmp_path / f"figure{extension}")
    with open(path, "rb") as f:
        assert f.read(len(magic)) == magic


def test_save_refuses_an_unknown_extension(run_with_trials, tmp_path):
    with pytest.raises(ValueError, match="ending in"):
        save(compare.comparison_figure(run_with_trials.summary), tmp_path / "figure.jpg")


def test_the_matrix_marks_no_best_where_every_option_reads_the_same(run_with_trials):
    """All options at 0.00 (or any one shown value): no cell is bold, none shaded;
    a column whose shown values differ still has its best."""
    data = brief.run_data(run_with_trials)
    metric, varied = "p_nuclear_use", "p_deal"
    data.summary = data.summary.copy()
    flat = data.summary["metric"] == metric
    data.summary.loc[flat, ["estimate", "ci_low", "ci_high"]] = [0.001, 0.0, 0.004]  # every one reads 0.00
    table = brief.matrix(data, [metric, varied])
    flat_marks = [row["cells"][0]["mark"] for row in table["rows"]]
    assert flat_marks == [""] * len(table["rows"]), flat_marks
    varied_marks = [row["cells"][1]["mark"] for row in table["rows"]]
    assert varied_marks.count("best") == 1, varied_marks
    html_text = brief.render(data)
    assert 'class="best"' in html_text


def test_the_formulas_say_when_a_commitment_comes_into_force(ukraine_path):
    """effective_from and interim (scenarios/examples/accession.yaml) read as words, not YAML."""
    path = os.path.join(os.path.dirname(ukraine_path), "examples", "accession.yaml")
    scenario, presets = brief.load_scenario(path)
    options = [{"name": o["name"]} for o in scenario["options"]]
    data = brief.RunData(json={"options": options, "provenance": {}}, summary=pd.DataFrame(),
                          paired=pd.DataFrame(), survival=pd.DataFrame(), scenario=scenario, presets=presets)
    staged = next(o for o in brief.formulas(data) if o["option"] == "accession_with_assurances")
    overrides = [text for g in staged["groups"] for text in g["overrides"]]
    assert "United States: in force from month 25" in overrides, overrides
    assert "United States: until then, security_assurance" in overrides, overrides
