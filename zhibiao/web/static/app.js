/* zhibiao serve: the reader's details panel and reviews, uploads with progress. No libraries, no network
   beyond this server. Data from the server is put into the page with textContent only (never innerHTML). */
"use strict";

const LANG = document.body.dataset.lang === "en" ? "en" : "zh";
const WORDS = {
  caption: ["图片说明", "Caption"], repeat: ["重复段落", "Repeated"], value: ["数值", "Value"],
  unit: ["单位", "Unit"], measure: ["度量", "Measure"], indicator: ["指标", "Indicator"], region: ["地区", "Region"],
  period: ["时期", "Period"], entity: ["项目/企业", "Entity"], qualifier: ["限定", "Qualifier"],
  polarity: ["正负", "Polarity"], value_high: ["上限", "High value"], text: ["原文", "Text"],
  sentence: ["句子", "Sentence"], findings: ["核查", "Findings"], none: ["无", "none"],
  confirm: ["确认", "Confirm"], correct: ["保存更正", "Save correction"], wrong: ["标为错误", "Mark wrong"],
  author: ["审核人", "Reviewer"], note: ["备注", "Note"], history: ["审核记录", "Review history"],
  saved: ["已保存", "Saved"], open: ["单独打开", "Open on its own page"], queued: ["排队中", "queued"],
  running: ["进行中", "running"], checking: ["核对中", "checking"], done: ["完成", "done"], failed: ["失败", "failed"], facts: ["条数据", "facts"],
  details: ["详情", "Details"], review: ["审核状态", "Review"], derived: ["推算数据，不能直接审核", "Derived: review the facts it comes from"],
};
function t(key) { const w = WORDS[key]; return w ? w[LANG === "en" ? 1 : 0] : key; }

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === "class") node.className = v; else node.setAttribute(k, v === true ? "" : String(v));
  }
  for (const c of children) node.append(c instanceof Node ? c : document.createTextNode(c == null ? "" : String(c)));
  return node;
}

async function api(url, options) {
  const response = await fetch(url, Object.assign({ credentials: "same-origin" }, options || {}));
  let body = null;
  try { body = await response.json(); } catch (e) { body = null; }
  if (!response.ok) {
    const detail = body && body.detail;
    throw new Error(typeof detail === "string" ? detail : JSON.stringify(detail || response.status));
  }
  return body;
}

document.querySelectorAll("[data-i18n]").forEach((node) => { node.textContent = t(node.dataset.i18n); });

/* --- the reviewer's name, remembered in this browser --- */
function author() { try { return localStorage.getItem("zhibiao-author") || ""; } catch (e) { return ""; } }
function rememberAuthor(name) { try { localStorage.setItem("zhibiao-author", name); } catch (e) { /* private mode */ } }
document.querySelectorAll("input.author").forEach((input) => {
  input.value = input.value || author();
  input.form.addEventListener("submit", () => rememberAuthor(input.value));
});

/* --- the report reader --- */
const reader = document.getElementById("report-text");
const details = document.getElementById("details");
const FIELDS = ["value", "value_high", "unit", "qualifier", "measure", "indicator", "region", "entity", "period", "polarity"];

function shown(v) {
  if (v === null || v === undefined) return "";
  return typeof v === "number" ? String(Number(v.toPrecision(15))) : String(v);
}

function markAll(id, cls) {
  document.querySelectorAll(`[data-fact="${id}"]`).forEach((n) => {
    n.classList.remove("r-confirm", "r-correct", "r-wrong");
    if (cls) n.classList.add("r-" + cls);
  });
}

function select(id, scroll) {
  document.querySelectorAll(".selected").forEach((n) => n.classList.remove("selected"));
  document.querySelectorAll(`[data-fact="${id}"]`).forEach((n) => n.classList.add("selected"));
  const mark = document.getElementById("f" + id);
  if (mark && scroll) mark.scrollIntoView({ block: "center" });
  const item = document.querySelector(`#fact-list [data-fact="${id}"]`);
  if (item) item.scrollIntoView({ block: "nearest" });
  showDetails(id);
}

async function showDetails(id) {
  if (!details) return;
  let f;
  try { f = await api(`/api/facts/${id}`); } catch (e) { details.replaceChildren(el("p", { class: "error" }, e.message)); return; }
  const dl = el("dl", { class: "fields", id: "detail-fields" });
  dl.append(el("dt", {}, t("text")), el("dd", { class: "fact-text" }, f.text));
  for (const name of ["value", "unit", "measure", "indicator", "region", "period", "entity", "qualifier"]) {
    dl.append(el("dt", {}, t(name)), el("dd", { "data-field": name }, shown(f[name]) || "—"));
  }
  if (f.review) dl.append(el("dt", {}, t("review")), el("dd", { class: "r-" + f.review, "data-field": "review" }, f.review));
  const parts = [el("h2", {}, f.text), dl, el("blockquote", { class: "sentence" }, f.sentence || "")];
  parts.push(el("h3", {}, t("findings")));
  const ul = el("ul", { class: "findings" });
  for (const x of f.findings) ul.append(el("li", { class: "s-" + x.status }, el("b", {}, `${x.kind} · ${x.status} `), LANG === "en" ? x.message_en : x.message_zh,
    " ", el("a", { href: `/findings/${x.id}`, class: "finding-detail" }, t("details"))));
  if (!f.findings.length) ul.append(el("li", {}, t("none")));
  parts.push(ul);
  if (f.derived) parts.push(el("p", { class: "hint" }, t("derived")));
  else parts.push(reviewForm(f));
  if (f.reviews.length) {
    parts.push(el("h3", {}, t("history")));
    const hist = el("ul", { class: "history" });
    for (const r of f.reviews) {
      const changes = Object.entries(r.changes).map(([k, v]) => `${k}: ${shown(r.before[k])} → ${shown(v)}`).join("; ");
      hist.append(el("li", {}, `${r.created_at.slice(0, 19).replace("T", " ")} ${r.author} ${r.action} ${changes} ${r.note || ""}`));
    }
    parts.push(hist);
  }
  parts.push(el("p", {}, el("a", { href: `/facts/${f.id}` }, t("open"))));
  details.replaceChildren(...parts);
}

function reviewForm(f) {
  const form = el("form", { class: "review-form", id: "review-form" });
  const grid = el("div", { class: "grid" });
  for (const name of FIELDS) grid.append(el("label", {}, t(name), el("input", { name, value: shown(f[name]) })));
  const who = el("input", { name: "author", class: "author", value: author(), maxlength: 200 });
  const note = el("input", { name: "note", maxlength: 2000 });
  const status = el("span", { class: "status", id: "review-status" });
  const button = (action, cls) => {
    const b = el("button", { type: "button", "data-action": action, class: cls }, t(action));
    b.addEventListener("click", async () => {
      const changes = {};
      if (action === "correct") {
        for (const name of FIELDS) {
          const v = form.elements[name].value.trim();
          if (v !== shown(f[name])) changes[name] = v;
        }
      }
      rememberAuthor(who.value);
      try {
        const r = await api("/api/reviews", { method: "POST", headers: { "Content-Type": "application/json" },
          body: JSON.stringify({ fact_id: f.id, action, changes, author: who.value, note: note.value || null }) });
        markAll(f.id, r.action);
        await showDetails(f.id);
        const s = document.getElementById("review-status");
        if (s) s.textContent = t("saved");
      } catch (e) { status.textContent = e.message; status.className = "status error"; }
    });
    return b;
  };
  form.append(grid, el("label", {}, t("author"), who), el("label", {}, t("note"), note),
    el("div", { class: "buttons" }, button("confirm"), button("correct"), button("wrong", "danger"), status));
  return form;
}

if (reader) {
  reader.addEventListener("click", (event) => {
    const a = event.target.closest("a.fact");
    if (!a) return;
    event.preventDefault();
    history.replaceState(null, "", "#f" + a.dataset.fact);
    select(a.dataset.fact, false);
  });
  document.querySelectorAll("#fact-list a[data-fact]").forEach((a) => a.addEventListener("click", (event) => {
    event.preventDefault();
    history.replaceState(null, "", "#f" + a.dataset.fact);
    select(a.dataset.fact, true);
  }));
  const m = /^#f(\d+)$/.exec(location.hash);
  if (m) select(m[1], true);
}

/* --- ingest jobs: add reports, re-extract a report --- */
async function follow(jobId, onDone) {
  const box = document.getElementById("job");
  const bar = document.getElementById("job-progress");
  const status = document.getElementById("job-status");
  const list = document.getElementById("job-files");
  for (;;) {
    let job;
    try { job = await api(`/api/jobs/${jobId}`); } catch (e) { if (status) status.textContent = e.message; return; }
    if (box) box.hidden = false;
    if (bar) { bar.max = Math.max(job.total, 1); bar.value = job.done; }
    if (status) { status.textContent = `${t(job.status)} ${job.done}/${job.total}`; status.dataset.status = job.status; }
    if (list) {
      list.replaceChildren(...job.files.map((f) => el("li", { "data-status": f.status }, `${f.name}: ${t(f.status)} `,
        f.status === "done" && f.doc_id ? el("a", { href: `/documents/${f.doc_id}`, class: "job-doc" }, `${f.n_facts} ${t("facts")}`) : "",
        f.error ? el("span", { class: "error" }, f.error) : "")));
    }
    if (job.status === "done" || job.status === "failed") { if (onDone) onDone(job); return; }
    await new Promise((resolve) => setTimeout(resolve, 400));
  }
}

const upload = document.getElementById("upload-form");
if (upload) {
  const drop = document.getElementById("drop");
  const input = document.getElementById("files");
  ["dragenter", "dragover"].forEach((type) => drop.addEventListener(type, (e) => { e.preventDefault(); drop.classList.add("over"); }));
  ["dragleave", "drop"].forEach((type) => drop.addEventListener(type, (e) => { e.preventDefault(); drop.classList.remove("over"); }));
  drop.addEventListener("drop", (e) => { if (e.dataTransfer && e.dataTransfer.files.length) input.files = e.dataTransfer.files; });
  upload.addEventListener("submit", async (event) => {
    event.preventDefault();
    const status = document.getElementById("job-status");
    document.getElementById("job").hidden = false;
    try {
      const job = await api("/api/uploads", { method: "POST", body: new FormData(upload) });
      upload.reset();
      follow(job.id);
    } catch (e) { status.textContent = e.message; status.className = "error"; }
  });
}

const jobPage = document.querySelector("[data-job]");
if (jobPage) follow(jobPage.dataset.job);

const reingest = document.getElementById("reingest");
if (reingest) {
  reingest.addEventListener("click", async () => {
    const status = document.getElementById("reingest-status");
    reingest.disabled = true;
    try {
      const job = await api(`/api/documents/${reingest.dataset.doc}/reingest`, { method: "POST" });
      status.textContent = t(job.status);
      await follow(job.id, (done) => {
        const f = done.files[0];
        status.textContent = t(done.status);
        status.dataset.status = done.status;
        // the report keeps its id (and its figures theirs): reload in place, the selected figure's #f kept
        if (f && f.doc_id && String(f.doc_id) === reingest.dataset.doc) location.reload();
        else if (f && f.doc_id) location.assign(`/documents/${f.doc_id}`);
      });
    } catch (e) { status.textContent = e.message; reingest.disabled = false; }
  });
}
