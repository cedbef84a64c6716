// Rings with drill-down, case lifecycle with stage durations and linked cases, saved investigations, statistics.
"use strict";

// An entity as a link to its profile, reading as its label (name, number...) with the id beside it.
function entityLink(id, labels) {
  const label = labels && labels[id];
  return `<a class="link" data-open="${esc(id)}">${esc(label || id)}</a>${label && label !== id ? ` <span class="muted small">${esc(id)}</span>` : ""}`;
}

// Cases outside a case's chain that share persons or identifiers with it (what the viewer may see of them).
function linkedHtml(linked) {
  const rows = linked.map(l => `<tr><td>${entityLink(l.case_id, { [l.case_id]: l.case_label })}</td>
    <td>${l.shared_persons.map(p => entityLink(p, l.labels)).join("<br>") || "—"}</td>
    <td>${l.shared_identifiers.map(p => entityLink(p, l.labels)).join("<br>") || "—"}</td></tr>`).join("");
  return `<h2>${t("linked_cases")}</h2>` + (linked.length ? `<table id="linked-table"><tr><th>${t("case_no")}</th>
    <th>${t("shared_persons")}</th><th>${t("shared_identifiers")}</th></tr>${rows}</table>` : `<p class="muted">${t("linked_none")}</p>`);
}
const Views = {
  async rings() {
    try {
      const rings = await api("/api/rings?limit=100");
      const render = () => {
        $("#rings-out").innerHTML = rings.length ? `<table id="rings-table"><tr><th>${t("tab_rings")}</th><th>${t("members")}</th><th>${t("victims")}</th><th>${t("agency")}</th><th>${t("score")}</th><th></th></tr>` +
          rings.map(r => `<tr><td>${esc(r.ring_id)}</td><td>${r.members.map(m => `<a class="link" data-open="${esc(m)}">${esc(r.labels[m] || m)}</a> <span class="muted small">${esc(r.roles[m] || "")}</span>`).join("<br>")}</td>
            <td>${r.victims.length}</td><td>${esc(r.agencies.join(", "))}</td><td>${r.score.toFixed(1)}</td>
            <td><button data-ring="${esc(r.ring_id)}">${t("drill")}</button></td></tr>`).join("") + "</table>" : `<p class="muted">${t("rings_none")}</p>`;
        $("#rings-out").querySelectorAll("[data-ring]").forEach(b => b.addEventListener("click", () => this.ring(b.dataset.ring)));
      };
      S.rerender.rings = render; render();
    } catch (e) { status(e.message, true); }
  },

  async ring(id) {
    try {
      const d = await api("/api/rings/" + encodeURIComponent(id));
      showTab("network"); Graph.init(); Graph.seeds = d.ring.members; Graph.nodes.clear(); Graph.edges.clear();
      Graph.add(d.graph); Graph.net.stabilize(200); Graph.fit();
    } catch (e) { status(e.message, true); }
  },

  async caseView(id) {
    showTab("case");
    try {
      const [lc, linked] = await Promise.all([api(`/api/cases/${encodeURIComponent(id)}/lifecycle`),
        api(`/api/cases/${encodeURIComponent(id)}/linked`).catch(() => [])]);
      const max = Math.max(1, ...lc.stages.map(s => s.days_to_next || s.days_to_decision || 0));
      const render = () => {
        const own = lc.stages.find(s => s.case_id === id) || {};
        $("#case-out").innerHTML = `<h1>${t("tab_case")} ${esc(own.case_no || id)} <span class="muted small">${esc(id)}</span></h1><p>${t("total_days")}: <strong>${lc.total_days ?? "—"}</strong></p>
          <table id="case-table"><tr><th>${t("stage")}</th><th>${t("agency")}</th><th>${t("case_no")}</th><th>${t("opened")}</th><th>${t("decision")}</th><th>${t("days_to_next")}</th><th>${t("days_to_decision")}</th><th></th></tr>` +
          lc.stages.map(s => { const d = s.days_to_next ?? s.days_to_decision; return `<tr><td>${esc(s.case_kind)}</td><td>${esc(s.agency)}</td>
            <td><a class="link" data-open="${esc(s.case_id)}">${esc(s.case_no || s.case_id)}</a></td><td>${esc(s.opened_date)}</td>
            <td>${esc(s.decision || "")} ${esc(s.decision_date || "")}</td>
            <td>${s.days_to_next ?? ""}</td><td>${s.days_to_decision ?? ""}</td>
            <td>${d != null ? `<span class="bar" style="width:${Math.round(240 * d / max)}px" title="${d}"></span>` : ""}</td></tr>`; }).join("") + "</table>" +
          linkedHtml(linked);
      };
      S.rerender.case = render; render();
    } catch (e) { $("#case-out").innerHTML = `<p class="error">${esc(e.message)}</p>`; }
  },

  async saveInvestigation(ids) {
    const name = prompt(t("new_name"));
    if (!name) return;
    const share = (prompt(t("share_prompt")) || "").split(",").map(s => s.trim()).filter(Boolean);
    try {
      await api("/api/investigations", { method: "POST", json: { name, entities: ids.slice(0, 2000), shared_with: share } });
      status(t("saved"));
    } catch (e) { status(e.message, true); }
  },

  async investigations() {
    try {
      const invs = await api("/api/investigations");
      const render = () => {
        $("#inv-out").innerHTML = invs.length ? `<table id="inv-table"><tr><th>${t("name")}</th><th>${t("owner")}</th><th>${t("entities")}</th><th>${t("shared_with")}</th><th>${t("notes")}</th><th></th></tr>` +
          invs.map(i => `<tr><td>${esc(i.name)}</td><td>${esc(i.owner)}</td>
            <td class="inv-entities">${i.entities.map(e => entityLink(e, i.labels)).join("<br>") || "—"}</td><td>${esc(i.shared_with.join(", "))}</td>
            <td class="small">${Object.entries(i.notes).map(([k, v]) => `${i.entities.includes(k) ? entityLink(k, i.labels) : esc(k)}: ${esc(v)}`).join("<br>")}</td>
            <td><button data-inv-open="${esc(i.id)}">${t("open")}</button> <button data-inv-note="${esc(i.id)}">${t("add_note")}</button>
            <button data-inv-report="${esc(i.id)}">HTML</button> <button data-inv-pdf="${esc(i.id)}">PDF</button></td></tr>`).join("") + "</table>"
          : `<p class="muted">${t("inv_none")}</p>`;
        const on = (attr, f) => $("#inv-out").querySelectorAll(`[${attr}]`).forEach(b => b.addEventListener("click", () => f(invs.find(i => i.id === b.getAttribute(attr)))));
        on("data-inv-open", i => { showTab("network"); Graph.load(i.entities.slice(0, 50)); });
        on("data-inv-report", i => download(`/api/report?investigation=${encodeURIComponent(i.id)}&format=html`, "case-file.html"));
        on("data-inv-pdf", i => download(`/api/report?investigation=${encodeURIComponent(i.id)}&format=pdf`, "case-file.pdf"));
        on("data-inv-note", async i => {
          const choices = i.entities.map(e => `${e} (${i.labels[e] || e})`).join("\n");
          const who = prompt(`${t("note_about")}\n${choices}`, i.entities[0] || ""), text = who && prompt(t("notes"));
          if (!text) return;
          await api(`/api/investigations/${encodeURIComponent(i.id)}`, { method: "PATCH", json: { notes: Object.assign({}, i.notes, { [who]: text }) } });
          this.investigations();
        });
      };
      S.rerender.investigations = render; render();
    } catch (e) { status(e.message, true); }
  },

  async stats() {
    try {
      const r = await api("/api/statistics");
      const render = () => { $("#stats-out").innerHTML = Object.entries(r).map(([name, rows]) => {
        const title = t("stat_" + name) === "stat_" + name ? name : t("stat_" + name);
        if (!rows.length) return `<h2>${esc(title)}</h2><p class="muted">—</p>`;
        const cols = Object.keys(rows[0]);
        return `<h2>${esc(title)}</h2><table><tr>${cols.map(c => `<th>${esc(c)}</th>`).join("")}</tr>` +
          rows.map(row => `<tr>${cols.map(c => `<td>${esc(typeof row[c] === "object" ? JSON.stringify(row[c]) : row[c])}</td>`).join("")}</tr>`).join("") + "</table>";
      }).join(""); };
      S.rerender.stats = render; render();
    } catch (e) { status(e.message, true); }
  },
};
window.Views = Views;
