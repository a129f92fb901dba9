"""The command line as an editor meets it: messages with file and line, exit codes, no tracebacks."""

import json

from conftest import SEEDS, new_issue, run_huikan


def assert_one_line_error(process, *fragments, code=2):
    assert process.returncode == code, process.stderr
    assert "Traceback" not in process.stderr
    lines = [line for line in process.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, process.stderr
    for fragment in fragments:
        assert fragment in lines[0], lines[0]


def test_inspect_json_has_the_model_fields_for_every_article():
    process = run_huikan("inspect", str(SEEDS), "--json")
    assert process.returncode == 0, process.stderr
    data = json.loads(process.stdout)
    assert set(data["issue"]) >= {"id", "title", "number", "date"}
    assert data["issue"]["date"] == "2020-06-30"
    assert len(data["articles"]) >= 5
    for article in data["articles"]:
        assert set(article) >= {"id", "source", "section", "title", "subtitle", "authors", "summary",
                                "keywords", "truncated", "blocks"}
        assert article["title"] and article["summary"] and article["keywords"]
        for block in article["blocks"]:
            assert block["type"] in {"heading", "paragraph", "caption", "editor_note", "quote", "signature"}
            assert block["text"]
    for diagnostic in data["diagnostics"]:
        assert set(diagnostic) == {"severity", "path", "line", "code", "message"}


def test_inspect_uses_the_title_override():
    data = json.loads(run_huikan("inspect", str(SEEDS), "--json").stdout)
    titles = {a["source"]: a["title"] for a in data["articles"]}
    assert titles["003_134084127a1d6434.txt"] == "全国质量强市示范城市创建工作现场会在深圳召开"
    assert titles["000_5c2f2025e9d3839a.txt"] == "学习全国两会精神 助力高质量发展"


def test_missing_issue_toml(issue_copy):
    (issue_copy / "issue.toml").unlink()
    process = run_huikan("build", str(issue_copy), "-o", str(issue_copy / "out"))
    assert_one_line_error(process, str(issue_copy / "issue.toml"), "[no-config]")


def test_unknown_key_names_file_and_line(issue_copy):
    config = issue_copy / "issue.toml"
    lines = config.read_text(encoding="utf-8").splitlines()
    at = lines.index('number = "2020年第6期"')
    lines.insert(at + 1, 'colour = "blue"')
    config.write_text("\n".join(lines) + "\n", encoding="utf-8")
    process = run_huikan("build", str(issue_copy), "-o", str(issue_copy / "out"))
    assert_one_line_error(process, f"{config}:{at + 2}: error:", "issue.colour", "[unknown-key]")


def test_unknown_table_names_its_header_line(issue_copy):
    config = issue_copy / "issue.toml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text + "\n[issue2]\nnumber = 7\n", encoding="utf-8")
    header = len(text.splitlines()) + 2
    process = run_huikan("build", str(issue_copy), "-o", str(issue_copy / "out"))
    assert_one_line_error(process, f"{config}:{header}: error:", "unknown key 'issue2'", "[unknown-key]")


def test_missing_article_file_names_the_section_line(issue_copy):
    (issue_copy / "004_2a33f5eb3ae65cfd.txt").unlink()
    config = issue_copy / "issue.toml"
    line = next(i for i, text in enumerate(config.read_text(encoding="utf-8").splitlines(), 1)
                if text.startswith("title = \"质量政策\"")) - 1
    process = run_huikan("check", str(issue_copy))
    assert process.returncode == 2
    assert "Traceback" not in process.stdout + process.stderr
    assert f"{config}:{line}: error:" in process.stdout
    assert "004_2a33f5eb3ae65cfd.txt" in process.stdout and "[missing-article]" in process.stdout


def test_bad_toml_syntax_gives_its_line(issue_copy):
    config = issue_copy / "issue.toml"
    config.write_text('[publication]\ntitle = "刊名\n', encoding="utf-8")
    process = run_huikan("build", str(issue_copy))
    assert_one_line_error(process, f"{config}:2: error:", "[bad-toml]")


def test_unknown_option():
    process = run_huikan("build", str(SEEDS), "--colour")
    assert_one_line_error(process, "--colour", "[usage]")


def test_unknown_format():
    process = run_huikan("build", str(SEEDS), "--formats", "pdf,epub")
    assert_one_line_error(process, "epub", "[usage]")


def test_check_reports_warnings_with_file_and_line_and_passes():
    process = run_huikan("check", str(SEEDS))
    assert process.returncode == 0, process.stdout + process.stderr
    for line in process.stdout.splitlines():
        path, number, severity = line.split(":")[:3]
        assert path.startswith(str(SEEDS)) and number.isdigit() and severity.strip() in ("note", "warning", "error")


def test_new_scaffolds_an_issue_that_builds(tmp_path):
    folder = tmp_path / "2026-12"
    process = run_huikan("new", str(folder))
    assert process.returncode == 0, process.stderr
    assert (folder / "issue.toml").is_file()
    again = run_huikan("new", str(folder))
    assert_one_line_error(again, "issue.toml", "[exists]")
    built = run_huikan("build", str(folder), "-o", str(tmp_path / "out"), "--formats", "html,docx")
    assert built.returncode == 0, built.stderr
    html = (tmp_path / "out" / "2026-12" / "2026-12.html").read_text(encoding="utf-8")
    assert "文章标题" in html and "副标题" in html


def test_failed_build_keeps_the_previous_outputs(issue_copy, tmp_path):
    out = tmp_path / "out"
    first = run_huikan("build", str(issue_copy), "-o", str(out), "--formats", "html", "-q")
    assert first.returncode == 0, first.stderr
    previous = (out / "2020-06" / "2020-06.html").read_bytes()
    (issue_copy / "issue.toml").write_text('[publication]\ntitle = "上海质量"\n[issue]\nid = "2020-06"\n'
                                           'page_size = "A3"\n', encoding="utf-8")
    second = run_huikan("build", str(issue_copy), "-o", str(out), "--formats", "html")
    assert second.returncode == 2 and "page_size" in second.stderr
    assert (out / "2020-06" / "2020-06.html").read_bytes() == previous


def test_builds_from_any_directory(tmp_path):
    process = run_huikan("build", str(SEEDS), "-o", "out", "--formats", "html", "-q", cwd=tmp_path)
    assert process.returncode == 0, process.stderr
    assert (tmp_path / "out" / "2020-06" / "2020-06.html").is_file()


def test_readme_installs_every_package_ci_installs():
    from conftest import ROOT

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    packages = [p for p in (ROOT / ".ci" / "apt-packages.txt").read_text().split() if not p.startswith("#")]
    install_line = next(line for line in readme.splitlines() if "apt-get install" in line)
    for package in packages:
        assert f" {package} " in install_line, package


def test_node_and_npm_are_installed_only_where_npm_is_missing():
    # Debian's npm conflicts with a Node.js from elsewhere, which brings its own npm: apt refuses both.
    from conftest import ROOT

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    install_line = next(line for line in readme.splitlines() if "apt-get install" in line)
    guarded = "(command -v npm >/dev/null || sudo apt-get install -y --no-install-recommends nodejs npm)"
    assert guarded in install_line
    assert install_line.count(" npm") == 2  # the check and the guarded install, nowhere else
    ci_run = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "if ! command -v npm >/dev/null; then" in ci_run


def test_content_errors_exit_1_and_strict_makes_warnings_errors(issue_copy, tmp_path):
    strict = run_huikan("build", str(issue_copy), "-o", str(tmp_path), "--strict", "-q")
    assert strict.returncode == 1 and "[truncated]" in strict.stderr and "Traceback" not in strict.stderr
    assert not (tmp_path / "2020-06").exists()
    (issue_copy / "000_5c2f2025e9d3839a.txt").write_text("\n\n", encoding="utf-8")
    empty = run_huikan("build", str(issue_copy), "-o", str(tmp_path), "-q")
    assert empty.returncode == 1
    assert "000_5c2f2025e9d3839a.txt:1: error: the file has no text [empty-article]" in empty.stderr


def test_a_broken_theme_template_is_a_message_with_its_line(issue_copy, tmp_path):
    theme = issue_copy / "templates"
    theme.mkdir()
    template = "<article>\n<h1>{{ article.title }}</h1>\n{{ article.no_such_field }}\n</article>\n"
    (theme / "_article.html").write_text(template, encoding="utf-8")
    process = run_huikan("build", str(issue_copy), "-o", str(tmp_path), "--formats", "pdf", "-q")
    assert_one_line_error(process, "_article.html:3: error: the theme's template failed", "[template]")
    assert not (tmp_path / "2020-06" / "2020-06.pdf").exists()


def test_compiled_templates_are_kept_but_an_edited_or_broken_one_is_used_as_it_now_reads(tmp_path):
    # The theme's templates are compiled once into the user cache (render/html.py): an editor's edit must
    # show in the next build, a damaged cache must not matter, and a template's errors keep their line.
    issue = new_issue(tmp_path / "issue")
    (issue / "a.txt").write_text("标题\n\n正文一段。\n", encoding="utf-8")
    (issue / "templates").mkdir()
    template = issue / "templates" / "_article.html"
    env = {"XDG_CACHE_HOME": str(tmp_path / "cache")}
    out = tmp_path / "out"

    def build(text):
        template.write_text(f"<article><h1>{{{{ article.title }}}}</h1>\n{text}\n</article>\n", encoding="utf-8")
        return run_huikan("build", str(issue), "-o", str(out), "--formats", "html", "-q", env=env)

    assert build("<p>第一版</p>").returncode == 0
    cached = list((tmp_path / "cache" / "huikan" / "templates").iterdir())
    assert cached
    assert build("<p>第二版</p>").returncode == 0
    page = (out / "t" / "t.html").read_text(encoding="utf-8")
    assert "第二版" in page and "第一版" not in page
    for path in cached:
        path.write_bytes(b"\0" * 10)
    assert build("<p>第三版</p>").returncode == 0
    assert "第三版" in (out / "t" / "t.html").read_text(encoding="utf-8")
    for _ in range(2):  # compiled, then from the cache
        broken = build("{{ article.no_such_field }}")
        assert_one_line_error(broken, "_article.html:2: error: the theme's template failed", "[template]")


def test_plan_names_a_folder_that_is_not_an_issue(tmp_path):
    process = run_huikan("plan", str(SEEDS), str(tmp_path), "--shards", "2")
    assert_one_line_error(process, f"{tmp_path}/issue.toml: error: no issue.toml", "[no-config]")


def test_strict_is_not_satisfied_by_a_lenient_build(tmp_path):
    assert run_huikan("build", str(SEEDS), "-o", str(tmp_path), "--formats", "html").returncode == 0
    strict = run_huikan("build", str(SEEDS), "-o", str(tmp_path), "--formats", "html", "--strict")
    assert strict.returncode == 1 and "[truncated]" in strict.stderr and "up to date" not in strict.stderr


def test_the_command_ends_with_all_its_output_written_and_its_status(tmp_path):
    # The command leaves without Python's teardown (cli.run): what it printed must still all be there.
    process = run_huikan("inspect", str(SEEDS), "--json")
    assert process.returncode == 0, process.stderr
    assert process.stdout.rstrip().endswith("}")
    assert json.loads(process.stdout)["issue"]["id"] == "2020-06"
    missing = run_huikan("build", str(tmp_path / "none"), "-q")
    assert_one_line_error(missing, "no issue.toml", "[no-config]", code=2)


def test_output_to_a_full_disk_is_an_error_not_a_silent_success():
    import subprocess
    import sys

    with open("/dev/full", "w") as full:
        process = subprocess.run([sys.executable, "-m", "huikan", "inspect", str(SEEDS), "--json"], stdout=full,
                                 stderr=subprocess.PIPE, text=True, timeout=120)
    assert process.returncode != 0
    assert "No space left on device" in process.stderr
