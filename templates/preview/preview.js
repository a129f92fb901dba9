// The preview page: follows the build through server-sent events and keeps its place when it changes.
"use strict";
const $ = (selector) => document.querySelector(selector);
let shown = { web: -1, spreads: "", findings: "" };
let current = null;
const THUMBNAIL = 170;  // px, as preview.css sets the pages

function line(d) {
  const where = d.line ? `${d.path}:${d.line}` : d.path;
  return `${where}: ${d.severity}: ${d.message} [${d.code}]`;
}

function element(tag, attributes = {}, text = "") {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  if (text) node.textContent = text;
  return node;
}

// The spread at the top of the window, and how far from the top it is: put back after a change.
function place() {
  for (const spread of document.querySelectorAll(".spread")) {
    const box = spread.getBoundingClientRect();
    if (box.bottom > 60) return { first: spread.dataset.first, top: box.top };
  }
  return null;
}

function restore(at) {
  if (!at) return;
  const spread = document.querySelector(`.spread[data-first="${at.first}"]`);
  if (spread) window.scrollBy(0, spread.getBoundingClientRect().top - at.top);
}

function drawSpreads(state) {
  const view = $("#spreads");
  const printed = state.print;
  if (!printed) return;
  const key = JSON.stringify([printed.spreads, state.articles, state.diagnostics]);
  if (key === shown.spreads) return;
  shown.spreads = key;
  const at = place();
  const startsOn = {};
  for (const article of state.articles) {
    if (article.pages) (startsOn[article.pages[0]] ||= []).push(article);
  }
  view.replaceChildren();
  for (const spread of printed.spreads) {
    const box = element("section", { class: "spread", "data-first": spread[0].number });
    const pages = element("div", { class: "pages" });
    spread.forEach((page, i) => {
      // The cover and odd pages are on the right; an even page alone (the back cover) on the left.
      const right = spread.length === 1 ? page.number % 2 === 1 : i === 1;
      const changed = page.changed ? " changed" : "";  // a page to replace since the last proof
      const figure = element("figure", { class: `page ${right ? "right" : "left"}${changed}`, "data-page": page.number });
      const link = element("a", { href: `/${printed.pdf}#page=${page.number}`, target: "_blank",
                                  title: `第 ${page.number} 页（打开 PDF）` });
      // Its size known before it loads: the spreads above do not move what is in view.
      link.append(element("img", { src: `/${page.thumbnail}`, alt: `第 ${page.number} 页`, loading: "lazy",
                                   width: THUMBNAIL, height: Math.round(THUMBNAIL * page.shape) }));
      figure.append(link, element("figcaption", {}, String(page.number)));
      if (page.diagnostics.length) {
        const marks = element("ul", { class: "marks" });
        for (const n of page.diagnostics) {
          const d = state.diagnostics[n];
          if (d) marks.append(element("li", { class: d.severity, title: line(d) }, d.code));
        }
        figure.append(marks);
      }
      pages.append(figure);
    });
    box.append(pages);
    const starts = element("ol", { class: "starts" });
    for (const page of spread) {
      for (const article of startsOn[page.number] || []) {
        const item = element("li");
        item.append(element("a", { href: `#web`, "data-article": article.id }, article.title),
                    element("span", { class: "where" }, `第 ${article.pages[0]}–${article.pages[1]} 页`));
        starts.append(item);
      }
    }
    box.append(starts);
    view.append(box);
  }
  restore(at);
}

// The web frame's src when it last loaded: a src set since (an article chosen in the spreads) is a page on
// its way, and the place a reload keeps (the frame's location is still the old page's until it loads).
let loadedSrc = null;
$("#web-frame").addEventListener("load", () => { loadedSrc = $("#web-frame").src; });

// Where the web frame is to go back to after a reload; kept while a reload is under way, so that a second
// one (the print phase ending just after an edit) does not take the half-loaded page's top as the place.
let pendingPlace = null;

function reloadWeb(state) {
  if (!state.web || state.web_version === shown.web) return;
  shown.web = state.web_version;
  const frame = $("#web-frame");
  if (!pendingPlace) {
    try {  // the same article, at the same height, after the reload; or the one just asked for, still loading
      const asked = frame.src && frame.src !== loadedSrc ? new URL(frame.src) : null;
      pendingPlace = asked ? { path: asked.pathname, y: 0 }
        : { path: frame.contentWindow.location.pathname, y: frame.contentWindow.scrollY };
    } catch (e) { pendingPlace = { path: null, y: 0 }; }
  }
  const place = pendingPlace;
  const target = place.path && place.path.startsWith("/site/") ? place.path : `/${state.web}`;
  frame.onload = () => {
    frame.onload = null;
    pendingPlace = null;
    const page = frame.contentDocument;
    if (page && page.contentType === "text/plain") frame.src = `/${state.web}`;  // that article is gone
    else frame.contentWindow.scrollTo(0, place.y);
  };
  frame.src = `${target}?v=${state.web_version}`;
}

// The redline against the last proof (huikan build --proof), reloaded when the print edition is new.
let shownChanges = "";
function drawChanges(state) {
  const changes = state.print && state.print.changes;
  $("#tab-changes").hidden = !changes;
  if (!changes) return;
  $("#changes-count").textContent = changes.texts;
  $("#changes-pages").textContent = `与${changes.against}相比，改动的页：${changes.pages.join("、") || "无"}`;
  const key = JSON.stringify([state.print.pdf, state.version]);
  if (key === shownChanges) return;
  shownChanges = key;
  $("#changes-frame").src = `/${changes.html}?v=${state.version}`;
}

function drawFindings(state) {
  const key = JSON.stringify(state.diagnostics);
  $("#findings-count").textContent = state.diagnostics.length;
  if (key === shown.findings) return;
  shown.findings = key;
  $("#findings-list").replaceChildren(...state.diagnostics.map(
    (d) => element("li", { class: `${d.severity}-line` }, line(d))));
}

function drawStatus(state) {
  const status = $("#status");
  const times = state.timings;
  const messages = {
    web: "正在重新生成网页版…",
    print: "网页版已更新；正在排版印刷版…",
    "": `已是最新（网页版 ${times.web ?? "–"} 秒，印刷版 ${times.print ?? "–"} 秒）`,
  };
  status.textContent = messages[state.building] ?? "";
  status.classList.toggle("busy", state.building !== "");
  status.dataset.building = state.building;
  if (state.issue) {
    $("#issue-title").textContent = `${state.issue.title} ${state.issue.number || ""}`;
    document.title = `${state.issue.title} · huikan preview`;
  }
  const downloads = $("#downloads");
  downloads.replaceChildren();
  if (state.print) {
    downloads.append(element("a", { href: `/${state.print.pdf}`, target: "_blank" }, `PDF（${state.print.pages} 页）`));
    if (state.print.docx) downloads.append(element("a", { href: `/${state.print.docx}` }, "Word"));
  }
}

function drawOverlay(state) {
  $("#overlay").hidden = state.error.length === 0;
  $("#overlay-list").replaceChildren(...state.error.map((d) => element("li", { class: "error-line" }, line(d))));
}

// One fetch of the state at a time, and always up to the newest version an event announced: events
// can come faster than fetches, and a late answer must not draw an older state over a newer one.
let announced = 0, drawn = -1, fetching = false, session = null;

async function refresh() {
  if (fetching) return;
  fetching = true;
  try {
    const state = await (await fetch("/_preview/state.json", { cache: "no-store" })).json();
    if (state.session !== session) {  // the preview was started again: its versions count from 0
      session = state.session;
      drawn = -1;
      announced = state.version;
    }
    if (state.version > drawn) {
      drawn = state.version;
      current = state;
      drawStatus(state);
      drawOverlay(state);
      drawFindings(state);
      drawChanges(state);
      reloadWeb(state);
      drawSpreads(state);
      document.body.dataset.version = state.version;
    }
  } finally {
    fetching = false;
  }
  if (announced > drawn) await refresh();
}

function showTab() {
  const name = (location.hash || "#spreads").slice(1);
  for (const view of document.querySelectorAll(".view")) view.hidden = view.id !== name;
  for (const tab of document.querySelectorAll("nav a")) tab.classList.toggle("current", tab.id === `tab-${name}`);
}

document.addEventListener("click", (event) => {
  const link = event.target.closest("a[data-article]");
  if (link && current) {  // an article's title in the spreads: its page in the web edition
    $("#web-frame").src = `/site/${current.issue.id}/${link.dataset.article}.html`;
  }
});
window.addEventListener("hashchange", showTab);
showTab();
new EventSource("/_preview/events").onmessage = (event) => {
  announced = Math.max(announced, Number(event.data));
  refresh().catch(() => {});
};
refresh().catch(() => {});
