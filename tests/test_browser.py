"""zhibiao serve in a real headless Chromium (Debian's, driven by Playwright): each page as a person uses it.

Chromium comes from apt-get (scripts/test.sh installs it); `playwright install` is never used. Without
/usr/bin/chromium these tests skip and say why, except under CI=true, where they fail. Screenshots of every
page go to $ZHIBIAO_SCREENSHOTS, else a temporary folder (printed).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from webserver import serve_demo

CHROMIUM = os.environ.get("ZHIBIAO_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]


def _need_browser() -> None:
    reason = None
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        reason = f"no Chromium at {CHROMIUM} (apt-get install -y chromium)"
    else:
        try:
            import playwright.sync_api  # noqa: F401
        except ImportError:
            reason = "the playwright package is not installed (pip install -e '.[dev]')"
    if reason:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"CI=true but {reason}")
        pytest.skip(reason)


@pytest.fixture(scope="module")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = Path(os.environ.get("ZHIBIAO_SCREENSHOTS") or tmp_path_factory.mktemp("screenshots"))
    folder.mkdir(parents=True, exist_ok=True)
    print(f"screenshots: {folder}")
    return folder


SERVED: dict[str, Path] = {}  # where the server of this module keeps what the browser uploads


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    _need_browser()
    folder = tmp_path_factory.mktemp("serve")
    SERVED["uploads"] = folder / "uploads"
    with serve_demo(folder, "browser.db") as url:
        yield url


@pytest.fixture(scope="module")
def browser(server: str) -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture()
def page(browser, server: str):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, base_url=server, locale="zh-CN")
    # offline: any request that leaves this server fails the test
    outside: list[str] = []
    context.route("**/*", lambda route: (route.continue_() if route.request.url.startswith(server)
                                         or route.request.url.startswith("data:")
                                         else (outside.append(route.request.url), route.abort())))
    pg = context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    yield pg
    context.close()
    assert not outside, f"requests outside the server: {outside}"
    assert not errors, f"JavaScript errors: {errors}"


PAGES = [("overview", "/"), ("documents", "/documents"), ("indicators", "/indicators?q=GDP"),
         ("findings", "/findings"), ("targets", "/targets"), ("entities", "/entities"), ("add", "/add"),
         ("reviews", "/reviews")]


@pytest.mark.parametrize(("name", "path"), PAGES)
def test_each_page_renders_and_is_saved_as_a_screenshot(page, shots: Path, name: str, path: str) -> None:
    page.goto(path)
    assert page.locator("header.top nav a").count() == 8
    assert page.locator("h1").first.inner_text()
    page.screenshot(path=str(shots / f"{name}.png"), full_page=True)


def _open_report(page, name: str) -> None:
    page.goto("/documents")
    # until the report's page has loaded, its deferred script may not have run: the figures are there, but not
    # yet the labels and handlers the script sets
    with page.expect_navigation(wait_until="load"):
        page.locator("#documents tr", has_text=name).locator("a").first.click()
    page.wait_for_selector("#report-text a.fact")


def test_open_a_report_select_a_figure_and_see_its_details(page, shots: Path) -> None:
    _open_report(page, "statistical_bulletin.txt")
    figure = page.locator("#report-text a.fact", has_text="286.45亿元").first
    figure.click()
    details = page.locator("#details")
    details.locator("#detail-fields").wait_for()
    assert "286.45亿元" in details.inner_text()
    assert "CNY" in details.locator("[data-field=unit]").inner_text()
    assert "地区生产总值" in details.locator("[data-field=indicator]").inner_text()
    assert "selected" in (figure.get_attribute("class") or "")
    page.screenshot(path=str(shots / "reader.png"))
    # the side list scrolls to a figure and selects it
    item = page.locator("#fact-list a[data-fact]").nth(10)
    fid = item.get_attribute("data-fact")
    item.click()
    page.wait_for_function(f"document.getElementById('f{fid}').classList.contains('selected')")
    assert page.locator("#report-text .k-heading").count() > 0


def test_captions_and_repeated_blocks_are_set_apart(page, shots: Path) -> None:
    _open_report(page, "county_news_gbk.txt")
    caption = page.locator("#report-text .k-caption").first
    assert caption.is_visible() and caption.locator(".blk-label").inner_text() == "图片说明"
    page.screenshot(path=str(shots / "reader-news.png"), full_page=True)


def test_find_an_indicator_and_follow_a_chart_point_to_its_sentence(page, shots: Path) -> None:
    page.goto("/indicators")
    page.fill("#indicator-search input[name=q]", "Gross regional product")
    page.click("#indicator-search button")
    page.locator("#indicator-list a", has_text="地区生产总值").first.click()
    points = page.locator("svg.chart a.point")
    points.first.wait_for()
    assert points.count() >= 2
    assert page.locator("#series-table tbody tr").count() >= points.count()
    assert page.locator("#csv-download").get_attribute("href").startswith("/api/facts?indicator=")
    page.screenshot(path=str(shots / "indicator.png"), full_page=True)
    point = points.last  # drawn last, so on top of any point at the same place
    fid = point.get_attribute("data-fact")
    point.click()
    page.wait_for_url(f"**/documents/*#f{fid}")
    page.locator("#detail-fields").wait_for()
    assert page.locator(f"#f{fid}").get_attribute("class").count("selected") == 1


def test_upload_a_file_and_see_its_facts(page, shots: Path, tmp_path: Path) -> None:
    report = tmp_path / "上传测试.txt"
    report.write_text("2024年，青禾县地区生产总值达到120.5亿元，比上年增长6.1%。全年粮食产量35.2万吨。",
                      encoding="utf-8")
    page.goto("/add")
    page.set_input_files("#files", str(report))
    page.click("#upload-submit")
    page.wait_for_selector("#job-status[data-status=done]", timeout=60_000)
    page.screenshot(path=str(shots / "add.png"))
    page.locator("#job-files a.job-doc").first.click()
    page.wait_for_selector("#report-text a.fact")
    texts = page.locator("#report-text a.fact").all_inner_texts()
    assert {"120.5亿元", "6.1%", "35.2万吨"} <= set(texts)


def test_correct_a_fact_reingest_the_report_and_the_correction_is_kept(page, shots: Path) -> None:
    _open_report(page, "work_report.md")
    figure = page.locator("#report-text a.fact", has_text="286.45亿元").first
    figure.click()
    form = page.locator("#review-form")
    form.wait_for()
    form.locator("input[name=region]").fill("青禾县")
    form.locator("input[name=author]").fill("浏览器测试")
    form.locator("button[data-action=correct]").click()
    page.wait_for_selector("#details [data-field=review]")
    assert page.locator("#details [data-field=region]").inner_text() == "青禾县"
    old_url = page.url
    with page.expect_event("load", timeout=60_000):  # the report is loaded again in place when the job is done
        page.click("#reingest")
    page.wait_for_selector("#report-text a.fact")
    assert page.url == old_url  # the same report id and figure id (issue 18)
    figure = page.locator("#report-text a.fact", has_text="286.45亿元").first
    assert "r-correct" in (figure.get_attribute("class") or "")
    figure.click()
    page.wait_for_selector("#details [data-field=review]")
    assert page.locator("#details [data-field=region]").inner_text() == "青禾县"
    assert "浏览器测试" in page.locator("#details .history").inner_text()
    page.screenshot(path=str(shots / "review.png"))


def test_download_the_panel_and_read_it_back_with_pandas(page, tmp_path: Path) -> None:
    pd = pytest.importorskip("pandas")
    from zhibiao.panel import PANEL_COLUMNS

    # the examples' places are invented, so their facts have no region and no place in a panel: a report of our
    # own about a real county, uploaded first
    report = tmp_path / "面板测试.txt"
    report.write_text("2023年，灵丘县粮食产量达到12.6万吨，比上年增长3.4%。\n", encoding="utf-8")
    page.goto("/add")
    page.set_input_files("#files", str(report))
    page.click("#upload-submit")
    page.wait_for_selector("#job-status[data-status=done]", timeout=60_000)
    page.goto("/indicators?indicator=" + "粮食产量")
    with page.expect_download() as caught:
        page.locator("#panel-download a", has_text="Parquet").click()
    out = tmp_path / caught.value.suggested_filename
    caught.value.save_as(out)
    panel = pd.read_parquet(out)
    assert list(panel.columns) == list(PANEL_COLUMNS) and len(panel) > 0
    assert set(panel.indicator) == {"粮食总产量"} and set(panel.region) == {"灵丘县"}  # 粮食产量's catalogue name
    assert panel.value.dtype == "float64" and panel.period_start.iloc[0].isoformat() == "2023-01-01"
    assert not panel.duplicated(["indicator", "region", "entity", "period", "measure", "unit"]).any()


def test_a_review_is_kept_through_a_change_of_the_file_and_a_reextract(page, tmp_path: Path) -> None:
    # our own report, uploaded, reviewed, then changed above the figure and extracted again
    first = "2024年，青禾县粮食产量达到35.2万吨，比上年增长2.3%。\n"
    report = tmp_path / "审核保留测试.txt"
    report.write_text(first, encoding="utf-8")
    page.goto("/add")
    page.set_input_files("#files", str(report))
    page.click("#upload-submit")
    page.wait_for_selector("#job-status[data-status=done]", timeout=60_000)
    page.locator("#job-files a.job-doc").first.click()
    page.wait_for_selector("#report-text a.fact")
    page.locator("#report-text a.fact", has_text="35.2万吨").first.click()
    form = page.locator("#review-form")
    form.wait_for()
    form.locator("input[name=entity]").fill("秋粮")
    form.locator("input[name=author]").fill("浏览器测试")
    form.locator("button[data-action=correct]").click()
    page.wait_for_selector("#details [data-field=review]")
    (uploaded,) = SERVED["uploads"].rglob(report.name)  # the API keeps a report's path to itself
    uploaded.write_text("青禾县统计局公布全年农业生产情况。\n" + first, encoding="utf-8")
    old_url = page.url
    fact_id = page.locator("#report-text a.fact", has_text="35.2万吨").first.get_attribute("data-fact")
    with page.expect_event("load", timeout=60_000):  # the page is loaded again when the job is done
        page.click("#reingest")
    page.wait_for_selector("#report-text a.fact")
    assert page.url == old_url  # the same document id, the figure's #f kept (issue 18)
    figure = page.locator("#report-text a.fact", has_text="35.2万吨").first
    assert figure.get_attribute("data-fact") == fact_id and figure.get_attribute("id") == f"f{fact_id}"
    assert "r-correct" in (figure.get_attribute("class") or "")
    figure.click()
    page.wait_for_selector("#details [data-field=review]")
    assert page.locator("#details [data-field=entity]").inner_text() == "秋粮"


def test_english_switch(page, shots: Path) -> None:
    page.goto("/findings")
    page.click("#lang-switch")
    page.wait_for_selector("text=Overview")
    assert page.locator("header.top nav a").first.inner_text() == "Overview"
    page.screenshot(path=str(shots / "findings-en.png"))
    page.click("#lang-switch")
    page.wait_for_selector("text=概览")


def _upload(page, *files: Path) -> None:
    page.goto("/add")
    page.set_input_files("#files", [str(f) for f in files])
    page.click("#upload-submit")
    page.wait_for_selector("#job-status[data-status=done]", timeout=90_000)


def test_a_figure_in_a_conflict_is_red_in_the_list_the_text_and_the_chart(page, shots: Path, tmp_path: Path) -> None:
    # two reports of our own that print a different 2023 GDP of one real county; the upload runs the checks
    first = tmp_path / "冲突测试甲.txt"
    first.write_text("2023年，灵丘县地区生产总值达到88.6亿元，比上年增长5.2%。\n", encoding="utf-8")
    second = tmp_path / "冲突测试乙.txt"
    second.write_text("灵丘县2023年全年完成地区生产总值91.3亿元。\n", encoding="utf-8")
    _upload(page, first, second)
    red = "rgb(192, 57, 43)"  # #c0392b, the conflict red of app.css
    page.locator("#job-files li", has_text=first.name).locator("a.job-doc").click()
    page.wait_for_selector("#report-text a.fact")
    figure = page.locator("#report-text a.fact", has_text="88.6亿元").first
    assert "s-conflict" in (figure.get_attribute("class") or "")
    assert figure.evaluate("e => getComputedStyle(e).borderBottomColor") == red
    fid = figure.get_attribute("data-fact")
    item = page.locator(f"#fact-list a[data-fact='{fid}']")
    assert "s-conflict" in (item.get_attribute("class") or "")
    assert item.locator(".status-dot").evaluate("e => getComputedStyle(e).color") == red
    # the growth rate has no other source: not drawn as a conflict
    growth = page.locator("#report-text a.fact", has_text="5.2%").first
    assert "s-conflict" not in (growth.get_attribute("class") or "")
    figure.click()
    page.locator("#details li.s-conflict").first.wait_for()
    page.screenshot(path=str(shots / "conflict-reader.png"), full_page=True)
    page.goto("/indicators?indicator=地区生产总值&region=灵丘县")
    points = page.locator("svg.chart a.point[data-status=conflict]")
    points.first.wait_for()
    assert points.count() == 2
    assert points.first.locator("circle").evaluate("e => getComputedStyle(e).stroke") == red
    page.screenshot(path=str(shots / "conflict-chart.png"), full_page=True)
    # the finding links each report by its title, with its date and how far the figures are apart
    page.goto("/findings?kind=agreement&status=conflict")
    finding = page.locator("#finding-list section.finding", has_text="91.3亿元")
    assert finding.count() == 1
    links = finding.locator("a.doc-link")
    assert links.count() == 2 and all(h.startswith("/documents/") for h in
                                      links.evaluate_all("es => es.map(e => e.getAttribute('href'))"))
    assert "2.7亿" in finding.locator(".difference").inner_text()
    links.last.click()
    page.wait_for_selector("#report-text a.fact")
    assert page.locator("#report-text a.fact.s-conflict").count() == 1


# (language, words of the error for a file that is no report) — the messages of the page's language
BAD_FILE_CASES = [("zh", "不是报告文件"), ("en", "not a report file")]


@pytest.mark.parametrize(("lang", "why"), BAD_FILE_CASES)
def test_an_upload_of_three_files_one_bad_stores_two_and_says_why_of_the_third(page, shots: Path, tmp_path: Path,
                                                                             lang: str, why: str) -> None:
    good = [tmp_path / f"三件上传{lang}甲.txt", tmp_path / f"三件上传{lang}乙.md"]
    good[0].write_text("2022年，青禾县社会消费品零售总额41.8亿元，比上年增长4.4%。\n", encoding="utf-8")
    good[1].write_text("# 青禾县工业\n\n2022年青禾县规模以上工业增加值增长7.3%。\n", encoding="utf-8")
    bad = tmp_path / f"三件上传{lang}.exe"
    bad.write_bytes(b"MZ\x90\x00 not a report")
    page.goto(f"/lang/{lang}?next=/add")
    page.set_input_files("#files", [str(good[0]), str(bad), str(good[1])])
    page.click("#upload-submit")
    page.wait_for_selector("#job-status[data-status=done]", timeout=90_000)
    page.screenshot(path=str(shots / f"add-three-{lang}.png"))
    rows = page.locator("#job-files li")
    assert rows.count() == 3
    for g in good:
        row = rows.filter(has_text=g.name)
        assert row.get_attribute("data-status") == "done" and row.locator("a.job-doc").count() == 1
    failed = rows.filter(has_text=bad.name)
    assert failed.get_attribute("data-status") == "failed"
    assert why in failed.locator(".error").inner_text()
    page.goto("/documents")
    listed = page.locator("#documents").inner_text()
    assert good[0].name in listed and good[1].name in listed and bad.name not in listed


def test_a_targets_history_a_merged_project_and_a_findings_page(page, shots: Path, tmp_path: Path) -> None:
    # our own reports of one invented county (溪川县, given as the region hint): a plan, two reports of its progress,
    # and one project named three ways over two years
    reports = {
        "目标历程甲.txt": "2025年，溪川县计划城镇新增就业3200人。\n",
        "目标历程乙.txt": "2025年1-6月，溪川县城镇新增就业1600人，完成年度目标任务的50%。\n",
        "目标历程丙.txt": "2025年1-10月，溪川县城镇新增就业2880人，完成年度目标任务的90%。\n",
        "项目名称甲.txt": "2024年，溪川县“川南储能电站示范项目”完成投资3.6亿元。\n",
        "项目名称乙.txt": "2025年，川南储能电站示范工程完成投资5.4亿元。\n",
    }
    files = []
    for name, text in reports.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
        files.append(tmp_path / name)
    page.goto("/add")
    page.fill("#hint-region", "溪川县")
    page.set_input_files("#files", [str(f) for f in files])
    page.click("#upload-submit")
    page.wait_for_selector("#job-status[data-status=done]", timeout=120_000)
    page.goto("/targets")
    history = page.locator("section.target-history[data-indicator='城镇新增就业']", has_text="溪川县")
    assert history.count() == 1
    chart = history.locator("svg.chart")
    assert chart.count() == 1
    legend = chart.locator("text.legend").all_text_contents()  # SVG text has no innerText
    assert sorted(legend) == ["实际", "计划"]
    # the plan stated, the two plans the completions imply, and the two figures stated for it
    assert chart.locator("a.point").count() == 5
    rows = history.locator("tr")
    assert rows.filter(has_text="推算").count() == 2 and rows.filter(has_text="报告的完成率").count() == 2
    page.screenshot(path=str(shots / "targets-history.png"), full_page=True)
    href = chart.locator("a.point[href^='/documents/']").last.get_attribute("href")
    page.goto(href)  # a point leads to its figure in its report
    page.wait_for_selector("#report-text a.fact")
    assert page.locator(f"#report-text #{href.split('#')[1]}").inner_text() in {"3200人", "1600人", "2880人"}
    page.goto("/entities?q=川南储能")
    listed = page.locator("#entities tbody tr")
    assert listed.count() == 1
    assert "又称" in listed.inner_text()
    listed.locator("a").first.click()
    page.wait_for_selector("#entity-facts")
    assert sorted(page.locator("#entity-facts tbody tr td:nth-child(4)").all_inner_texts()) == ["3.6亿元", "5.4亿元"]
    page.screenshot(path=str(shots / "entity-merged.png"), full_page=True)
    # a finding's own page: what was computed from what, both figures linked
    page.goto("/findings?kind=implied")
    finding = page.locator("#finding-list section.finding", has_text="2880人")
    finding.locator("a.finding-detail").click()
    page.wait_for_selector("dl.computed")
    assert page.locator("dl.computed .computed-value").inner_text().startswith("3200")
    assert page.locator("section.finding a.fact-link").count() == 2
    page.screenshot(path=str(shots / "finding-detail.png"), full_page=True)
    page.locator("section.finding a.fact-link").first.click()
    page.wait_for_selector("#report-text a.fact")
    assert "#f" in page.url


# (language, the legend of the rates against the year before, the legend of those against 2020)
BASE_LEGENDS = [("zh", "溪川县 · 增速 · 比上年", "溪川县 · 增速 · 比2020年"),
                ("en", "溪川县 · Growth · vs previous year", "溪川县 · Growth · vs 2020")]


def test_rates_against_two_bases_are_two_series_named_in_the_pages_language(page, shots: Path,
                                                                          tmp_path: Path) -> None:
    # written for the base of a rate (issue 18): two reports of an invented county (溪川县, the region hint), each
    # with its year's rate against the year before and against 2020; no base is joined with the other
    reports = {"两种基期甲.txt": "溪川县2022年城镇居民人均可支配收入比上年增长4.8%，比2020年增长11.3%。\n",
               "两种基期乙.txt": "溪川县2023年城镇居民人均可支配收入比上年增长5.6%，比2020年增长17.5%。\n"}
    for name, text in reports.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    page.goto("/add")
    page.fill("#hint-region", "溪川县")
    page.set_input_files("#files", [str(tmp_path / name) for name in reports])
    page.click("#upload-submit")
    page.wait_for_selector("#job-status[data-status=done]", timeout=90_000)
    for lang, previous, since in BASE_LEGENDS:
        page.goto(f"/lang/{lang}?next=" + quote("/indicators?indicator=城镇居民人均可支配收入&region=溪川县"))
        chart = page.locator("svg.chart")
        chart.first.wait_for()
        assert chart.count() == 1  # both bases are rates in %: one chart, two lines
        assert sorted(chart.locator("text.legend").all_text_contents()) == sorted([previous, since])
        lines = chart.locator("polyline.series")
        assert lines.count() == 2
        # each point in the series of its base (a tooltip: period series: figure — report)
        tips = sorted(t.split(" — ")[0] for t in chart.locator("a.point title").all_text_contents())
        assert tips == sorted([f"2022 {previous}: 4.8%", f"2023 {previous}: 5.6%",
                               f"2022 {since}: 11.3%", f"2023 {since}: 17.5%"])
        page.screenshot(path=str(shots / f"chart-bases-{lang}.png"), full_page=True)


def test_the_targets_of_the_whole_and_of_each_group_apart_with_their_implied_plans(page, shots: Path,
                                                                                 tmp_path: Path) -> None:
    # our own two reports of one invented county (梧桐县): a whole of key projects and two groups, each with its plan,
    # its actual and the completion of its plan, in June and in November (written for issue 18)
    reports = [
        ("项目进度六月.txt", "2025-07-10", "2025年1-6月，梧桐县重点项目30个，年度计划投资60亿元，完成投资33亿元，占年度计划投资的55%；"
         "其中：续建项目12个，年度计划投资36亿元，完成投资21.6亿元，占年度计划投资的60%；新建项目18个，年度计划投资24亿元，"
         "完成投资11.4亿元，占年度计划投资的47.5%。\n"),
        ("项目进度十一月.txt", "2025-12-08", "2025年1-11月，梧桐县重点项目30个，年度计划投资60亿元，完成投资57亿元，占年度计划投资的"
         "95%；其中：续建项目12个，年度计划投资36亿元，完成投资35.28亿元，占年度计划投资的98%；新建项目18个，年度计划投资24亿元，"
         "完成投资21.72亿元，占年度计划投资的90.5%。\n"),
    ]
    for name, published, text in reports:
        (tmp_path / name).write_text(text, encoding="utf-8")
        page.goto("/add")
        page.fill("#hint-region", "梧桐县")
        page.fill("#hint-published", published)
        page.set_input_files("#files", [str(tmp_path / name)])
        page.click("#upload-submit")
        page.wait_for_selector("#job-status[data-status=done]", timeout=120_000)
    page.goto("/targets")
    histories = page.locator("section.target-history[data-indicator='年度计划投资']", has_text="梧桐县")
    assert sorted(h.get_attribute("data-group") for h in histories.all()) == sorted(["", "续建项目", "新建项目"])
    # (group, what its heading names, its plans' value in 亿元, the completions its implied plans came from)
    cases = [("", "全部", 60, ["55%", "95%"]), ("续建项目", "分组 续建项目", 36, ["60%", "98%"]),
             ("新建项目", "分组 新建项目", 24, ["47.5%", "90.5%"])]
    for group, heading, plan, completions in cases:
        history = histories.and_(page.locator(f"[data-group='{group}']"))
        assert heading in history.locator("h3").inner_text()
        chart = history.locator("svg.chart")
        assert chart.count() == 1
        assert sorted(chart.locator("text.legend").all_text_contents()) == ["实际", "计划"]
        # two plans stated, two implied (hollow), two actuals
        assert chart.locator("a.point").count() == 6 and chart.locator("a.point.derived").count() == 2
        # an implied plan is a ring of the series' colour, not white on white
        ring = chart.locator("a.point.derived circle").first.evaluate("e => getComputedStyle(e).stroke")
        assert ring not in ("rgb(255, 255, 255)", "none")
        implied = history.locator("tr.k-plan.derived")
        assert implied.count() == 2
        assert [r.locator(".implied-from a").inner_text() for r in implied.all()] == completions
        assert all("推算" in r.inner_text() and f"{plan}亿" in r.inner_text() for r in implied.all())
        assert history.locator("tr.k-completion_reported").count() == 2
    page.screenshot(path=str(shots / "targets-groups.png"), full_page=True)
    # a group's implied plan leads to the finding it was computed by, the completion to its place in its report
    group = histories.and_(page.locator("[data-group='续建项目']"))
    href = group.locator("tr.k-plan.derived td:nth-child(2) > a").first.get_attribute("href")
    assert href.startswith("/findings/")
    link = group.locator("tr.k-plan.derived .implied-from a").first.get_attribute("href")
    page.goto(href)
    page.wait_for_selector("dl.computed")
    assert "60%" in page.locator("section.finding").inner_text()
    page.goto(link)
    page.wait_for_selector("#report-text a.fact")
    assert page.locator(f"#report-text #{link.split('#')[1]}").inner_text() == "60%"
    page.goto("/targets?lang=en")
    english = page.locator("section.target-history[data-indicator='年度计划投资'][data-group='续建项目']",
                           has_text="梧桐县")
    assert "Group 续建项目" in english.locator("h3").inner_text()
    assert english.locator(".implied-from").first.inner_text().startswith("implied by the completion")
