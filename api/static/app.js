// tipgraph web app: login, search, profiles with sources, tabs. Plain JS, no build step.
"use strict";
const S = { token: sessionStorage.getItem("tipgraph.token"), me: null, current: null, rerender: {} };

const $ = (sel) => document.querySelector(sel);
function esc(v) {
  return String(v ?? "").replace(/[&<>"']/g, c => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));
}
function status(msg, isError) { const el = $("#status"); el.textContent = msg || ""; el.classList.toggle("error", !!isError); }

async function api(path, opts = {}) {
  const headers = Object.assign({}, opts.headers || {});
  if (S.token) headers.Authorization = "Bearer " + S.token;
  if (opts.json !== undefined) { headers["Content-Type"] = "application/json"; opts.body = JSON.stringify(opts.json); }
  const r = await fetch(path, { method: opts.method || "GET", headers, body: opts.body });
  if (r.status === 401 && !path.endsWith("/login")) { logout(); throw new Error(t("login_title")); }
  if (!r.ok) {
    let detail = r.statusText;
    try { detail = (await r.json()).detail || detail; } catch (e) { /* not JSON */ }
    const msg = r.status === 403 ? t("forbidden") + " — " + detail : r.status === 404 ? t("not_found") : detail;
    const err = new Error(msg); err.status = r.status; throw err;
  }
  if (opts.raw) return r;
  return r.status === 204 ? null : r.json();
}

async function download(path, filename) {
  const r = await api(path, { raw: true });
  const url = URL.createObjectURL(await r.blob());
  const a = document.createElement("a"); a.href = url; a.download = filename; document.body.appendChild(a); a.click();
  setTimeout(() => { URL.revokeObjectURL(url); a.remove(); }, 1000);
}

const TYPE_COLORS = { Person: "#2f6db5", Organization: "#8a4fb3", Account: "#d08a00", Phone: "#2a9d8f", Case: "#c0392b",
  Location: "#6b8e23", Document: "#7f8c8d", Vehicle: "#a0522d", Asset: "#b8860b" };
function typeBadge(type) { return `<span class="type" style="background:${TYPE_COLORS[type] || "#555"}">${esc(type)}</span>`; }

function srcHtml(sources) {
  return `<span class="src">${(sources || []).map(s => `<span title="${esc(s.record_id)}">${esc(s.agency)} · ${esc(s.record_id)} · ${esc(s.seen)}</span>`).join("")}</span>`;
}

function showTab(name) {
  document.querySelectorAll(".tab").forEach(el => { el.hidden = el.id !== "tab-" + name; });
  document.querySelectorAll("#tabs button").forEach(b => b.classList.toggle("active", b.dataset.tab === name));
  if (name === "network" && window.Graph) Graph.fit();
  if (name === "rings" && window.Views) Views.rings();
  if (name === "investigations" && window.Views) Views.investigations();
  if (name === "stats" && window.Views) Views.stats();
}

async function login(ev) {
  ev.preventDefault();
  $("#login-error").textContent = "";
  try {
    const r = await api("/api/auth/login", { method: "POST", json: { username: $("#username").value, password: $("#password").value } });
    S.token = r.access_token; sessionStorage.setItem("tipgraph.token", S.token);
    await enter();
  } catch (e) { $("#login-error").textContent = t("login_failed"); }
}

function logout() {
  S.token = null; sessionStorage.removeItem("tipgraph.token");
  $("#app-view").hidden = true; $("#login-view").hidden = false; $("#logout").hidden = true; $("#whoami").textContent = "";
}

async function enter() {
  S.me = await api("/api/auth/me");
  $("#whoami").textContent = `${S.me.username} (${S.me.role}${S.me.grants.length ? " + " + S.me.grants.join(",") : ""})`;
  $("#login-view").hidden = true; $("#app-view").hidden = false; $("#logout").hidden = false;
  document.querySelector('[data-tab="money"]').hidden = !S.me.finance;
  showTab("profile");
}

async function search(ev) {
  ev.preventDefault();
  const q = $("#q").value.trim();
  if (!q) return;
  status(t("loading"));
  try {
    const r = await api("/api/search?q=" + encodeURIComponent(q));
    $("#results").innerHTML = r.hits.length ? r.hits.map(h =>
      `<li data-id="${esc(h.id)}">${typeBadge(h.type)}<span class="label">${esc(h.label)}</span>
       <div class="muted small">${esc(h.agencies.join(", "))}</div></li>`).join("") : `<li class="muted">${t("no_results")}</li>`;
    status("");
  } catch (e) { status(e.message, true); }
}

function factRows(facts) {
  return facts.map(f => `<tr><td>${esc(f.kind)}</td><td>${f.entity_id && f.entity_id !== S.current ?
    `<a class="link" data-open="${esc(f.entity_id)}">${esc(f.value)}</a>` : esc(f.value)}</td>
    <td>${esc((f.agencies || []).join(", "))}</td><td>${srcHtml(f.sources)}</td></tr>`).join("");
}

async function openProfile(id) {
  S.current = id;
  status(t("loading"));
  try {
    const p = await api("/api/entities/" + encodeURIComponent(id));
    S.rerender.profile = () => renderProfile(p);
    renderProfile(p);
    showTab("profile"); status("");
    if (p.entity.type === "Account" || p.entity.type === "Person") $("#money-start").value = p.entity.id;
  } catch (e) { status(e.message, true); }
}

function renderProfile(p) {
  const e = p.entity, title = (e.props.names || [])[0] || e.props.case_no || e.props.number || e.id;
  const caseRows = p.cases.map(c => `<tr><td><a class="link" data-case="${esc(c.case_id)}">${esc(c.case_no || c.case_id)}</a></td>
    <td>${esc(c.role)}</td><td>${esc(c.agency)}</td><td>${esc(c.opened_date)}</td><td>${esc(c.status)}</td><td>${srcHtml(c.sources)}</td></tr>`).join("");
  const tl = p.timeline.map(x => `<tr><td>${esc(x.date)}</td><td>${esc(x.agency)}</td><td>${esc(x.label)}</td><td>${srcHtml(x.sources)}</td></tr>`).join("");
  $("#tab-profile").innerHTML = `
    <h1 id="profile-title">${typeBadge(e.type)}${esc(title)} <span class="muted small">${esc(e.id)}</span></h1>
    <div class="toolbar">
      <button data-act="network">${t("show_network")}</button>
      ${S.me.finance ? `<button data-act="money">${t("trace_money")}</button>` : ""}
      ${e.type === "Case" ? `<button data-act="case">${t("tab_case")}</button>` : ""}
      <button data-act="report">${t("case_file")}</button><button data-act="pdf">${t("case_file_pdf")}</button>
    </div>
    <p class="muted small">${t("agency")}: ${esc((e.props.agencies || []).join(", "))} · ${srcHtml(p.sources)}</p>
    <h2>${t("names")}</h2><table><tr><th>${t("kind")}</th><th>${t("value")}</th><th>${t("agency")}</th><th>${t("sources")}</th></tr>${factRows(p.names)}</table>
    <h2>${t("identifiers")}</h2><table><tr><th>${t("kind")}</th><th>${t("value")}</th><th>${t("agency")}</th><th>${t("sources")}</th></tr>${factRows(p.identifiers)}</table>
    <h2>${t("cases")}</h2><table><tr><th>${t("case_no")}</th><th>${t("role")}</th><th>${t("agency")}</th><th>${t("opened")}</th><th>${t("status_")}</th><th>${t("sources")}</th></tr>${caseRows}</table>
    <h2>${t("timeline")}</h2><table><tr><th>${t("date")}</th><th>${t("agency")}</th><th>${t("event")}</th><th>${t("sources")}</th></tr>${tl}</table>`;
  $("#tab-profile").querySelectorAll("[data-act]").forEach(b => b.addEventListener("click", () => {
    const act = b.dataset.act;
    if (act === "network") { showTab("network"); Graph.load([e.id]); }
    if (act === "money") { $("#money-start").value = e.id; showTab("money"); Graph.trace(); }
    if (act === "case") Views.caseView(e.id);
    if (act === "report") download(`/api/report?ids=${encodeURIComponent(e.id)}&format=html`, "case-file.html");
    if (act === "pdf") download(`/api/report?ids=${encodeURIComponent(e.id)}&format=pdf`, "case-file.pdf");
  }));
}

document.addEventListener("click", ev => {
  const li = ev.target.closest("#results li[data-id]");
  if (li) openProfile(li.dataset.id);
  const open = ev.target.closest("[data-open]");
  if (open) openProfile(open.dataset.open);
  const c = ev.target.closest("[data-case]");
  if (c) Views.caseView(c.dataset.case);
});

document.addEventListener("DOMContentLoaded", async () => {
  applyI18n();
  $("#login-form").addEventListener("submit", login);
  $("#search-form").addEventListener("submit", search);
  $("#logout").addEventListener("click", logout);
  $("#lang").addEventListener("click", () => {
    LANG = LANG === "th" ? "en" : "th"; localStorage.setItem("tipgraph.lang", LANG); applyI18n();
    Object.values(S.rerender).forEach(f => f());
  });
  document.querySelectorAll("#tabs button").forEach(b => b.addEventListener("click", () => showTab(b.dataset.tab)));
  if (S.token) { try { await enter(); } catch (e) { logout(); } }
});
