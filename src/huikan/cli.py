"""The huikan command: parses arguments, calls the stages, turns outcomes into messages and exit codes."""

from __future__ import annotations

import json
import os
import re
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import NamedTuple

import click

from huikan import __version__
from huikan.build import FORMATS, MORE_FORMATS, PdfOptions, build_issue, prepare
from huikan.config import BOOKLET_SHEETS, MARKS, PDF_VARIANTS, UNITS_SAID, length_mm, load_config, page_size_mm
from huikan.diagnostics import ContentError, Diagnostic, FaultError, Report, UsageError
from huikan.model import Issue
from huikan.progress import Bar, Lines, Progress
from huikan.scaffold import create_issue

EXIT_OK, EXIT_CONTENT, EXIT_USAGE, EXIT_FAULT = 0, 1, 2, 3
NO_ARGS_IS_HELP = getattr(click.exceptions, "NoArgsIsHelpError", ())


def say(diagnostics: list[Diagnostic]) -> None:
    for d in diagnostics:
        click.echo(d.format(), err=True)


def io_diagnostic(exc: OSError) -> Diagnostic:
    return Diagnostic("error", str(exc.filename or "huikan"), 0, "io", str(exc.strerror or exc))


def fault_message(exc: BaseException) -> str:
    return (f"huikan: error: an unexpected fault ({type(exc).__name__}: {exc}); please report it, "
            "with HUIKAN_DEBUG=1 set to see where it happened [internal]")


def parse_formats(value: str) -> tuple[str, ...]:
    chosen = tuple(dict.fromkeys(f.strip().lower() for f in value.split(",") if f.strip()))
    unknown = [f for f in chosen if f not in FORMATS + MORE_FORMATS]
    if unknown or not chosen:
        raise click.BadParameter(f"'{value}': choose from {','.join(FORMATS + MORE_FORMATS)}", param_hint="--formats")
    return chosen


def parse_bleed(value: str | None) -> float | None:
    """--bleed as a length (3, 3mm, 0.3cm, 8.5pt) in mm, from 0 to 10 mm."""
    if value is None:
        return None
    mm = length_mm(value)
    if mm is None or not 0 <= mm <= 10:
        raise click.BadParameter(f"'{value}': give {UNITS_SAID}, from 0 to 10 mm", param_hint="--bleed")
    return mm


def parse_marks(value: str | None) -> tuple[str, ...] | None:
    if value is None:
        return None
    chosen = {m.strip().lower() for m in value.split(",") if m.strip()} - {"none"}
    if chosen - set(MARKS):
        raise click.BadParameter(f"'{value}': choose from crop, cross, crop,cross or none", param_hint="--marks")
    return tuple(m for m in MARKS if m in chosen)


def progress_for(name: str, shown: str) -> Progress:
    """SHOWN: "bar" (a terminal), "lines" (a log) or "quiet"."""
    return {"bar": Bar, "lines": Lines}[shown](name) if shown != "quiet" else Progress()


def how_to_show(quiet: bool, parallel: bool = False) -> str:
    """A bar on a terminal, the stage lines in a log (CI) or when issues are built side by side."""
    if quiet:
        return "quiet"
    return "bar" if sys.stderr.isatty() and not parallel and os.environ.get("TERM") != "dumb" else "lines"


class Job(NamedTuple):
    """One issue to build, as the build command (or publish) asks for it; sent to a worker process whole."""

    folder: str
    out: str
    formats: tuple[str, ...] | None
    strict: bool
    shown: str
    pdf_options: PdfOptions
    force: bool = False
    more_will_do: bool = False  # publish: a build with more formats serves
    proof: str | None = None  # keep the build as a proof with this label ("": the round's own name)


def _build_one(job: Job) -> tuple[int, list[Diagnostic], str, str | None]:
    """Build one issue: (exit status, what to show, a line saying what happened, its build folder)."""
    folder, out, formats, strict, shown, pdf_options, force, more_will_do, proof = job
    progress = progress_for(Path(folder).resolve().name, shown)
    try:
        result = build_issue(Path(folder), Path(out), formats, strict, progress, pdf_options, force, more_will_do,
                             proof, keep_proofs=not more_will_do)
    except UsageError as exc:
        return EXIT_USAGE, exc.diagnostics, "", None
    except FaultError as exc:
        return EXIT_FAULT, exc.diagnostics, "", None
    except ContentError as exc:
        return EXIT_CONTENT, exc.diagnostics, "", None
    except OSError as exc:  # the disk, not the sources: say which file
        return EXIT_USAGE, [io_diagnostic(exc)], "", None
    finally:
        progress.close()
    kept = ""
    if result.proof is not None:
        kept = f"; kept as proof {result.proof.number} ({result.proof.label})"
        if result.changes is not None:
            kept += "\n" + "\n".join(result.changes.lines())
    if result.up_to_date:
        return EXIT_OK, [], f"{folder} → {result.folder}: up to date{kept}", str(result.folder)
    pdf = result.manifest["outputs"].get("pdf", {})
    pages = f", {pdf['pages']} pages" if pdf else ""
    printed = result.manifest.get("print")
    if printed and printed["laid_out"] < printed["articles"]:
        pages += f" ({printed['laid_out']} of {printed['articles']} articles laid out, the rest kept)"
    status = EXIT_CONTENT if strict and result.report.warnings else EXIT_OK
    said = result.report.errors + result.report.warnings
    return status, said, f"built {folder} → {result.folder}{pages}{kept}", str(result.folder)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="huikan")
def cli() -> None:
    """huikan (会刊): build a periodical's issue as print PDF, Word file and web edition."""


@cli.command()
@click.argument("dirs", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("-o", "--output", "out", default="build", show_default=True, type=click.Path(path_type=Path),
              help="Folder for the outputs; each issue gets <output>/<issue id>/.")
@click.option("--formats", help="Which outputs to make (default: issue.toml's [issue] formats, else "
              f"{','.join(FORMATS)}): pdf, docx, html, and booklet (the PDF imposed for an office printer) "
              "or wechat (each article ready to paste into the 公众号 editor).")
@click.option("--jobs", "-j", default=1, show_default=True, type=click.IntRange(1, 64),
              help="Issues built in parallel.")
@click.option("--force", is_flag=True, help="Rebuild even if the sources, theme and version are unchanged, "
              "laying out every page of the PDF anew (no page kept from an earlier build).")
@click.option("--strict", is_flag=True, help="Treat warnings as errors (exit 1).")
@click.option("-q", "--quiet", is_flag=True, help="Print nothing but the diagnostics (no progress bar or lines).")
@click.option("--pdf-variant", type=click.Choice(PDF_VARIANTS, case_sensitive=False),
              help="PDF/X-4 (or X-1a, X-3) for a print shop, archival PDF/A-3b or accessible PDF/UA-1 "
                   "(overrides issue.toml).")
@click.option("--for", "medium", type=click.Choice(("print", "screen")), default="print", show_default=True,
              help="print: bleed, pages in fours, inside covers; screen: none of them.")
@click.option("--bleed", help="Bleed beyond the trim: 3, 3mm, 0.3cm or 8.5pt (overrides [print] bleed).")
@click.option("--marks", help="Printer's marks: crop, cross, both (crop,cross) or none.")
@click.option("--booklet", type=click.Choice(tuple(BOOKLET_SHEETS), case_sensitive=False),
              help="Also write <id>-booklet.pdf with two pages up on this sheet.")
@click.option("--pdf-tags", is_flag=True, help="Tag the PDF's structure (headings, paragraphs) for screen readers.")
@click.option("--allow-missing-glyphs", is_flag=True,
              help="Build even if a character is in none of the theme's fonts (it will print as a box).")
@click.option("--allow-missing-pictures", is_flag=True,
              help="Build even if a picture is missing or broken (a placeholder box stands in its place).")
@click.option("--proof", is_flag=False, flag_value="", default=None, metavar="[LABEL]",
              help="Keep this build as the next proof (build/<id>/proofs/<n>/), labelled LABEL (二校) or by its "
                   "round, and mark what changed since the proof before it (build/<id>/changes/).")
def build(dirs, out, formats, jobs, force, strict, quiet, pdf_variant, medium, bleed, marks, booklet, pdf_tags,
          allow_missing_glyphs, allow_missing_pictures, proof) -> int:
    """Build each issue folder DIR into PDF, DOCX, HTML and build.json."""
    chosen = parse_formats(formats) if formats is not None else None
    options = PdfOptions(pdf_variant.lower() if pdf_variant else None, pdf_tags, allow_missing_glyphs, medium,
                         parse_bleed(bleed), parse_marks(marks), None, booklet.upper() if booklet else None,
                         allow_missing_pictures)
    shown = how_to_show(quiet, parallel=jobs > 1 and len(dirs) > 1)
    work = [Job(str(d), str(out), chosen, strict, shown, options, force, proof=proof) for d in dirs]
    if jobs > 1 and len(work) > 1:
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            results = list(pool.map(_build_one, work))
    else:
        results = [_build_one(w) for w in work]
    status = EXIT_OK
    for code, diagnostics, summary, _ in results:
        say(diagnostics)
        if summary and not quiet:
            click.echo(f"huikan: {summary}", err=True)
        status = max(status, code)
    return status


@cli.command()
@click.argument("dirs", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--format", "style", type=click.Choice(("text", "json", "github")), default="text", show_default=True,
              help="text: path:line lines; json: one document; github: GitHub Actions annotations, shown on "
                   "the lines of a pull request.")
@click.option("--json", "as_json", is_flag=True, help="The same as --format json.")
@click.option("--fix", is_flag=True, help="Write the safe copy-editing fixes into the .txt and .md sources, "
                                          "after showing them as a diff (never into Word files).")
@click.option("--yes", is_flag=True, help="With --fix: write without asking (needed where there is no terminal).")
def check(dirs, style, as_json, fix, yes) -> int:
    """Report what looks wrong in the sources; exit 1 if there is an error."""
    from huikan.copyedit import copyedit_issue
    from huikan.ingest import abstract_notes, load_issue  # not needed to find an issue up to date
    from huikan.pictures.survey import survey

    found: list[Diagnostic] = []
    fixes = []
    status = EXIT_OK
    for folder in dirs:
        report = Report()
        try:
            issue = load_issue(folder, report)
            fixes += copyedit_issue(issue, report)
            survey(issue, report, load_config(folder).limits)
            abstract_notes(issue, report)
        except UsageError as exc:
            found.extend(exc.diagnostics)
            status = EXIT_USAGE
            continue
        found.extend(report.items)
        if report.errors:
            status = max(status, EXIT_CONTENT)
    if as_json or style == "json":
        click.echo(json.dumps({"diagnostics": [d.to_json() for d in found]}, ensure_ascii=False, indent=2))
        return status
    for d in found:
        click.echo(d.github() if style == "github" else d.format())
    errors = sum(d.severity == "error" for d in found)
    warnings = sum(d.severity == "warning" for d in found)
    click.echo(f"{errors} error(s), {warnings} warning(s), {len(found) - errors - warnings} note(s)", err=True)
    if fix:
        _write_fixes(fixes, yes)
    return status


def _write_fixes(fixes, yes: bool) -> None:
    """check --fix: show the safe fixes as a diff of each source, then write them (asked, or --yes)."""
    from huikan.copyedit.sources import rewrites

    done, skipped = rewrites(fixes)
    for rewrite in done:
        click.echo(rewrite.diff(), nl=False)
    for line in skipped:
        click.echo(f"huikan: {line}", err=True)
    if not done:
        click.echo("huikan: no source to fix", err=True)
        return
    if not yes:
        if not sys.stdin.isatty():
            click.echo("huikan: nothing written: give --yes to write these fixes without a terminal to ask", err=True)
            return
        if not click.confirm(f"Write these fixes into {len(done)} file(s)?", err=True):
            return
    for rewrite in done:
        rewrite.write()
    click.echo(f"huikan: fixed {len(done)} file(s): {', '.join(str(r.path) for r in done)}", err=True)


@cli.command()
@click.argument("folder", type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the model as JSON (the default is a summary).")
def inspect(folder, as_json) -> int:
    """Show the issue model after ingest and enrich; exit 1 if a source has an error, as check does."""
    report = Report()
    issue = prepare(folder, report)
    status = EXIT_CONTENT if report.errors else EXIT_OK
    if as_json:
        data = {
            "issue": issue.header_json(),
            "articles": [a.to_json() for a in issue.articles],
            "diagnostics": [d.to_json() for d in report.items],
        }
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return status
    click.echo(f"{issue.title} {issue.number} ({issue.id}, {issue.date or 'no date'})")
    for section in issue.sections:
        click.echo(f"{section.title or '(no section)'}")
        for article in section.articles:
            authors = "、".join(article.authors)
            click.echo(f"  {article.title}  {authors}  [{article.source}:{article.line}, {len(article.blocks)} blocks]")
            click.echo(f"    关键词：{'；'.join(article.keywords)}")
    say(report.items)
    return status


@cli.command()
@click.argument("dirs", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("-o", "--output", "out", default="publish", show_default=True, type=click.Path(path_type=Path),
              help="The web edition's folder, replaced as a whole when it is ready.")
@click.option("--build", "build_root", default="build", show_default=True, type=click.Path(path_type=Path),
              help="Where issues are built; issues already built there from the same inputs are reused.")
@click.option("--site-url", default="", help="The address the site is served from, for the feed (xml:base).")
@click.option("--force", is_flag=True,
              help="Replace the output folder even if it is not a huikan web edition (its files are lost).")
@click.option("-q", "--quiet", is_flag=True, help="Print nothing but the diagnostics (no progress bar or lines).")
def publish(dirs, out, build_root, site_url, force, quiet) -> int:
    """Build what changed and assemble the web edition: archive, issues, articles, search, feed."""
    from huikan.publish.site import BuiltIssue, assemble, check_site_folder, site_title_of

    protected = (*map(Path, dirs), Path(build_root))
    check_site_folder(out, force, protected)  # before any issue is built
    built: list[BuiltIssue] = []
    status = EXIT_OK
    seen: dict[str, Path] = {}
    for folder in dirs:
        # A build made with more formats (the 公众号 edition too) serves as it is: never rebuilt with fewer.
        code, diagnostics, summary, build_folder = _build_one(Job(str(folder), str(build_root), None, False,
                                                                  how_to_show(quiet), PdfOptions(), more_will_do=True))
        say(diagnostics)
        status = max(status, code)
        if build_folder is None:
            continue
        if summary and not quiet:
            click.echo(f"huikan: {summary}", err=True)
        issue = BuiltIssue.load(Path(build_folder))
        if issue.id in seen:
            say([Diagnostic("error", str(folder / "issue.toml"), 0, "duplicate-id",
                            f"issue id '{issue.id}' is also the id of {seen[issue.id]}")])
            status = max(status, EXIT_USAGE)
            continue
        seen[issue.id] = folder
        built.append(issue)
    if status != EXIT_OK:
        click.echo("huikan: nothing published", err=True)
        return status
    assemble(built, out, site_title_of(built), site_url, force, protected)
    if not quiet:
        click.echo(f"huikan: published {len(built)} issue(s) → {out}", err=True)
    return EXIT_OK


@cli.command()
@click.argument("folder", type=click.Path(path_type=Path))
@click.option("-o", "--output", "out", default="build", show_default=True, type=click.Path(path_type=Path),
              help="Where the issue is built, as for huikan build; the preview keeps its own files in .preview/.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535),
              help="The port to serve on; if it is busy, the next free one.")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="The address to serve on; anything but 127.0.0.1 lets other machines see the issue.")
@click.option("--open", "open_browser", is_flag=True, help="Open the preview in the web browser.")
def preview(folder, out, port, host, open_browser) -> int:
    """Build FOLDER, serve it on http://127.0.0.1:PORT/ and rebuild it whenever a file changes.

    The page shows the print edition as spreads, the web edition and every finding; it follows each
    rebuild by itself. Ctrl-C stops it.
    """
    from huikan.preview import LOCAL, run

    load_config(folder)  # an issue folder, or a clear message now
    if host not in (LOCAL, "localhost"):
        click.echo(f"huikan: warning: serving on {host}: other machines on the network can see the issue and "
                   "its files [open-host]", err=True)
    run(folder, out, host, port, open_browser, log=lambda message: click.echo(f"huikan: {message}", err=True))
    return EXIT_OK


@cli.command()
@click.argument("dirs", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--shards", default=1, show_default=True, type=click.IntRange(1, 256),
              help="How many groups to split the issues into.")
def plan(dirs, shards) -> int:
    """Print a CI matrix (JSON) that splits the issues into SHARDS groups of similar size."""
    from huikan.publish.plan import plan_shards

    for folder in dirs:
        load_config(folder)  # each must be an issue folder: a clear message otherwise
    click.echo(json.dumps(plan_shards([Path(d) for d in dirs], shards), ensure_ascii=False))
    return EXIT_OK


# Where an issue's proofs are: the build folder (proofs and diff).
BUILT_IN = click.option("-o", "--output", "out", default="build", show_default=True, type=click.Path(path_type=Path),
                        help="Where the issue is built, as for huikan build.")


@cli.command()
@click.argument("folder", type=click.Path(path_type=Path))
@BUILT_IN
def proofs(folder, out) -> int:
    """List the proofs kept of the issue FOLDER (huikan build --proof)."""
    from huikan.proofs.keep import proofs as kept

    build = Path(out) / load_config(folder).id
    found = kept(build)
    for proof in found:
        click.echo(f"{proof.number}  {proof.label}  {proof.date or '—'}  {proof.pages or '–'} pages  {proof.folder}")
    if not found:
        click.echo(f"huikan: no proof kept in {build} yet: build with --proof", err=True)
    return EXIT_OK


@cli.command()
@click.argument("folder", type=click.Path(path_type=Path))
@BUILT_IN
@click.option("--from", "older", type=click.IntRange(1), help="The proof compared from (default: the last one).")
@click.option("--to", "newer", type=click.IntRange(1), help="The proof compared to (default: the current build).")
@click.option("--format", "style", type=click.Choice(("text", "json")), default="text", show_default=True)
def diff(folder, out, older, newer, style) -> int:
    """What changed between two proofs of FOLDER: build/<id>/changes/ (changes.html, <id>-changes.pdf)."""
    from huikan.proofs.keep import CHANGES
    from huikan.proofs.report import diff as compare_proofs
    from huikan.proofs.report import editions
    from huikan.swap import locked

    issue_id = load_config(folder).id
    build = Path(out) / issue_id
    try:
        first, second = editions(build, older, newer)
    except LookupError as exc:
        raise UsageError.single(str(build), 0, "no-proof", str(exc)) from None
    with locked(build):
        summary = compare_proofs(first, second, build / CHANGES, issue_id)
    if style == "json":
        click.echo(json.dumps(summary.to_json(), ensure_ascii=False, indent=2))
    else:
        click.echo("\n".join(summary.lines()))
        click.echo(f"huikan: {summary.html}" + (f", {summary.marked}" if summary.marked else ""), err=True)
    return EXIT_OK


@cli.command("reference-docx")
@click.argument("target", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--page-size", default="A4", show_default=True, help="A4, B5, 16K, 大16K or 'WxH mm' (or cm, pt).")
def reference_docx(target, page_size) -> int:
    """Write the default Word styles and page setup to TARGET (e.g. ISSUE/templates/reference.docx).

    Restyle it in Word or WPS; builds of that issue then use its styles and page setup.
    """
    size = page_size_mm(page_size)
    if size is None:
        raise click.BadParameter(f"'{page_size}' is not one of A4, B5, 16K, 大16K or 'WxH' in mm, cm or pt",
                                 param_hint="--page-size")
    target.parent.mkdir(parents=True, exist_ok=True)
    from huikan.render.docx import reference_document, save

    document = reference_document(Issue(id="reference", title="会刊", page_mm=size))
    temporary = target.with_name(f".{target.name}.tmp")
    save(document, temporary)
    temporary.replace(target)
    click.echo(f"huikan: wrote {target}", err=True)
    return EXIT_OK


@cli.command()
@click.argument("folder", type=click.Path(path_type=Path))
@click.option("--theme", type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="A journal's theme folder (huikan init makes theme/): copied into the issue's templates/.")
@click.option("--title", help="The journal's title (default: a placeholder to fill in).")
@click.option("--publisher", help="Who publishes it (default: a placeholder to fill in).")
def new(folder, theme, title, publisher) -> int:
    """Create an issue folder with an issue.toml to fill in and an example article."""
    made = create_issue(folder, title or "刊名", publisher or "主办单位")
    if theme is not None:
        from huikan.journal import copy_theme

        made += copy_theme(theme, Path(folder))
    for path in made:
        click.echo(f"huikan: created {path}")
    return EXIT_OK


@cli.command()
@click.argument("folder", type=click.Path(path_type=Path))
@click.option("--title", default="会刊", show_default=True, help="The journal's title, the masthead.")
@click.option("--publisher", default="", help="Who publishes it (主办单位).")
@click.option("--issue", "issue_id", default="2027-01", show_default=True, help="The first issue's folder name.")
@click.option("--force", is_flag=True, help="Write into a folder that is not empty, keeping every file there.")
def init(folder, title, publisher, issue_id, force) -> int:
    """Start a journal's own repository in FOLDER: its first issue, theme/, the pinned huikan version and
    GitHub Actions workflows to check pull requests and to build and publish every issue."""
    from huikan.journal import create_journal

    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*", issue_id):
        raise click.BadParameter(f"'{issue_id}': letters, digits, ., _ and - only", param_hint="--issue")
    written, kept = create_journal(folder, title, publisher, issue_id, force)
    for path in written:
        click.echo(f"huikan: created {path}")
    for path in kept:
        click.echo(f"huikan: kept {path}: it exists (not overwritten)", err=True)
    click.echo(f"huikan: next: cd {folder} && git init && git add -A && git commit -m '{title}', then push to "
               "GitHub and turn on Pages (Settings → Pages → Source: GitHub Actions)", err=True)
    return EXIT_OK


def main(argv: list[str] | None = None) -> None:
    """Entry point: every failure becomes a one-line message and an exit status, never a traceback."""
    try:
        status = cli.main(args=argv, prog_name="huikan", standalone_mode=False)
    except click.UsageError as exc:
        if isinstance(exc, NO_ARGS_IS_HELP):  # plain `huikan`: show the help
            click.echo(exc.format_message(), err=True)
            sys.exit(EXIT_USAGE)
        hint = f" (see 'huikan {exc.ctx.info_name} --help')" if exc.ctx and exc.ctx.parent else " (see 'huikan --help')"
        click.echo(f"huikan: error: {exc.format_message()}{hint} [usage]", err=True)
        sys.exit(EXIT_USAGE)
    except click.Abort:
        click.echo("huikan: interrupted", err=True)
        sys.exit(130)
    except UsageError as exc:
        say(exc.diagnostics)
        sys.exit(EXIT_USAGE)
    except FaultError as exc:
        say(exc.diagnostics)
        sys.exit(EXIT_FAULT)
    except ContentError as exc:
        say(exc.diagnostics)
        sys.exit(EXIT_CONTENT)
    except OSError as exc:
        say([io_diagnostic(exc)])
        sys.exit(EXIT_USAGE)
    except Exception as exc:  # a fault in huikan: one line, not a traceback, unless asked for
        if os.environ.get("HUIKAN_DEBUG"):
            raise
        click.echo(fault_message(exc), err=True)
        sys.exit(EXIT_FAULT)
    # --help and --version return None after printing.
    sys.exit(status if isinstance(status, int) else EXIT_OK)


def run() -> None:
    """The `huikan` command: main(), then the process ends without tearing the interpreter down.

    Python frees every object of a build one by one at exit: 0.15 s of a two-second build of the sample
    issue, for memory the system takes back at once. Only when no process or thread of ours is left and
    the output is flushed; main() itself, which tests call, exits the ordinary way."""
    import multiprocessing
    import threading

    try:
        main()
        code: int | str | None = EXIT_OK
    except SystemExit as exc:
        code = exc.code
    if not isinstance(code, int):  # sys.exit(None) or sys.exit(message): let Python say and set it
        sys.exit(code)
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):  # a closed pipe: let Python report it as it would
        sys.exit(code)
    others = [thread for thread in threading.enumerate() if thread is not threading.main_thread()]
    if multiprocessing.active_children() or any(not thread.daemon for thread in others):
        sys.exit(code)  # something of ours still runs: Python's exit waits for it
    os._exit(code)


if __name__ == "__main__":
    run()
