// Network view (vis-network): expand on click, filters, paged hubs, path highlight, legend, PNG; money trail.
"use strict";
const NODE_TYPES = ["Person", "Organization", "Case", "Phone", "Account", "Location", "Document", "Vehicle", "Asset"];
const AGENCIES = ["MSDHS", "RTP", "DSI", "OAG", "COJ", "AMLO", "PACC", "RLPD", "DOPA", "DGA"];
const ROLES = ["suspect", "victim", "witness", "defendant", "accomplice", "official", "claimant", "recruiter", "subject", "organisation", "officer"];
const ROLE_COLORS = { suspect: "#c0392b", defendant: "#922b21", victim: "#27ae60", claimant: "#1e8449", recruiter: "#e67e22",
  official: "#8e44ad", officer: "#5d6d7e", witness: "#2980b9", accomplice: "#d35400", subject: "#b7950b", organisation: "#7d3c98" };

function nodeLabel(n) {
  const p = n.props;
  const v = (p.names || [])[0] || p.case_no || p.number || (p.account_no ? `${p.bank_code}-${p.account_no}` : "") || p.name || p.plate || n.id;
  return String(v).length > 28 ? String(v).slice(0, 27) + "…" : String(v);
}

const Graph = {
  net: null, nodes: null, edges: null, seeds: [], offset: 0, truncated: {},

  init() {
    if (this.net) return;
    this.nodes = new vis.DataSet(); this.edges = new vis.DataSet();
    this.net = new vis.Network($("#network"), { nodes: this.nodes, edges: this.edges }, {
      physics: { stabilization: { iterations: 150 }, barnesHut: { springLength: 120 } },
      interaction: { hover: true, multiselect: true },
      edges: { arrows: { to: { enabled: true, scaleFactor: .5 } }, font: { size: 10, align: "middle" }, smooth: false },
      nodes: { shape: "dot", size: 14, font: { face: "Noto Sans Thai", size: 13 } },
    });
    this.net.on("click", ev => { if (ev.nodes.length) this.expand(ev.nodes[0]); });
    this.net.on("doubleClick", ev => { if (ev.nodes.length) openProfile(ev.nodes[0]); });
    $("#net-types").innerHTML = NODE_TYPES.map(ty => `<label style="flex-direction:row;gap:.3em"><input type="checkbox" class="net-type" value="${ty}" checked>${typeBadge(ty)}</label>`).join("");
    $("#net-agency").insertAdjacentHTML("beforeend", AGENCIES.map(a => `<option>${a}</option>`).join(""));
    $("#net-role").insertAdjacentHTML("beforeend", ROLES.map(r => `<option>${r}</option>`).join(""));
    $("#net-apply").addEventListener("click", () => this.load(this.seeds));
    $("#net-more").addEventListener("click", () => { this.offset += Number($("#net-limit").value || 25); this.fetch(this.seeds, false); });
    $("#path-go").addEventListener("click", () => this.path());
    $("#net-png").addEventListener("click", () => this.png());
    $("#net-save").addEventListener("click", () => Views.saveInvestigation(this.nodes.getIds()));
    $("#net-report").addEventListener("click", () => download("/api/report?" + this.nodes.getIds().slice(0, 200).map(i => "ids=" + encodeURIComponent(i)).join("&"), "case-file.html"));
    this.legend();
  },

  query(ids, hops) {
    const q = new URLSearchParams();
    ids.forEach(i => q.append("ids", i));
    q.set("hops", hops); q.set("limit", $("#net-limit").value || 25); q.set("offset", this.offset);
    const types = [...document.querySelectorAll(".net-type:checked")].map(c => c.value);
    if (types.length && types.length < NODE_TYPES.length) types.forEach(ty => q.append("node_types", ty));
    if ($("#net-agency").value) q.append("agencies", $("#net-agency").value);
    if ($("#net-role").value) q.append("roles", $("#net-role").value);
    if ($("#net-from").value) q.set("date_from", $("#net-from").value);
    if ($("#net-to").value) q.set("date_to", $("#net-to").value);
    return "/api/network?" + q.toString();
  },

  async load(seeds) {
    this.init(); this.seeds = seeds; this.offset = 0;
    this.nodes.clear(); this.edges.clear();
    await this.fetch(seeds, true);
  },

  async fetch(ids, fit, hops) {
    status(t("loading"));
    try {
      const g = await api(this.query(ids, hops || $("#net-hops").value));
      this.add(g);
      Object.assign(this.truncated, g.truncated);
      const hubs = Object.entries(this.truncated);
      $("#net-more").hidden = hubs.length === 0;
      $("#net-info").textContent = hubs.length ? `${t("truncated")}: ` + hubs.map(([k, v]) => `${k} (${v})`).join(", ") : "";
      status(`${this.nodes.length} ${t("nodes")} · ${this.edges.length} ${t("links")}`);
      if (fit) setTimeout(() => this.net.fit(), 300);
    } catch (e) { status(e.message, true); }
  },

  add(g) {
    this.nodes.update(g.nodes.map(n => ({ id: n.id, label: nodeLabel(n), group: n.type, color: TYPE_COLORS[n.type] || "#555",
      title: `${n.type} ${n.id}\n${(n.props.agencies || []).join(", ")}`, shape: n.type === "Case" ? "diamond" : n.type === "Account" ? "square" : "dot" })));
    this.edges.update(g.relationships.map(r => ({ id: r.id, from: r.source, to: r.target,
      label: r.type === "ROLE_IN" ? r.props.role : r.type === "TRANSFER" ? `${Math.round(r.props.amount_thb || 0).toLocaleString()}฿` : r.type.toLowerCase(),
      color: { color: r.type === "ROLE_IN" ? (ROLE_COLORS[r.props.role] || "#888") : r.type === "TRANSFER" ? "#d08a00" : "#9aa7b5" },
      width: r.type === "TRANSFER" ? 2 : 1, title: `${r.type}\n${(r.props.sources || []).join("\n")}` })));
  },

  expand(id) { this.fetch([id], false, 1); },

  async path() {
    const sel = this.net.getSelectedNodes(), from = sel[0] || this.seeds[0], to = $("#path-to").value.trim();
    if (!from || !to) return;
    try {
      const r = await api(`/api/paths?source=${encodeURIComponent(from)}&target=${encodeURIComponent(to)}&k=1`);
      if (!r.paths.length) { status(t("path_none")); return; }
      this.add({ nodes: r.nodes, relationships: r.paths.flatMap(p => p.relationships) });
      const p = r.paths[0], edgeIds = p.relationships.map(x => x.id);
      this.nodes.update(this.nodes.get().map(n => ({ id: n.id, opacity: p.nodes.includes(n.id) ? 1 : 0.2, borderWidth: p.nodes.includes(n.id) ? 4 : 1 })));
      this.edges.update(this.edges.get().map(e => ({ id: e.id, width: edgeIds.includes(e.id) ? 5 : 1, color: edgeIds.includes(e.id) ? { color: "#ff5e00" } : e.color })));
      this.net.selectNodes(p.nodes);
      status(p.nodes.join(" → "));
    } catch (e) { status(e.message, true); }
  },

  png() {
    const canvas = $("#network canvas");
    const out = document.createElement("canvas"); out.width = canvas.width; out.height = canvas.height;
    const ctx = out.getContext("2d"); ctx.fillStyle = "#ffffff"; ctx.fillRect(0, 0, out.width, out.height); ctx.drawImage(canvas, 0, 0);
    const a = document.createElement("a"); a.href = out.toDataURL("image/png"); a.download = "tipgraph-network.png";
    document.body.appendChild(a); a.click(); a.remove();
  },

  legend() {
    $("#legend").innerHTML = `<strong>${t("legend_types")}:</strong>` + NODE_TYPES.map(ty => `<span><i style="background:${TYPE_COLORS[ty]}"></i>${ty}</span>`).join("") +
      `<strong>${t("legend_roles")}:</strong>` + Object.entries(ROLE_COLORS).map(([r, c]) => `<span><b style="background:${c}"></b>${r}</span>`).join("");
  },

  fit() { if (this.net) setTimeout(() => this.net.fit(), 400); },

  async trace() {
    const id = $("#money-start").value.trim(), dir = $("#money-dir").value;
    if (!id) return;
    status(t("loading"));
    try {
      const r = await api(`/api/money/trail?entity_id=${encodeURIComponent(id)}&direction=${dir}&max_hops=${$("#money-hops").value || 5}`);
      const name = Object.fromEntries(r.accounts.map(a => [a.id, `${a.props.bank_code}-${a.props.account_no}`]));
      S.rerender.money = () => Graph.renderTrail(r, name);
      this.renderTrail(r, name); status("");
    } catch (e) { status(e.message, true); }
  },

  renderTrail(r, name) {
    $("#money-out").innerHTML = r.paths.length ? `<table id="money-table"><tr><th>#</th><th>${t("accounts")}</th><th>${t("amounts")}</th><th>${t("times")}</th><th>${t("total")}</th></tr>` +
      r.paths.map((p, i) => `<tr><td>${i + 1}</td><td>${p.accounts.map(a => `<a class="link" data-open="${esc(a)}">${esc(name[a] || a)}</a>`).join(" → ")}</td>
        <td>${p.amounts.map(x => x.toLocaleString()).join(" → ")}</td><td class="small">${p.ats.map(esc).join("<br>")}</td>
        <td>${p.total_thb.toLocaleString()}</td></tr>`).join("") + "</table>" : `<p class="muted">${t("money_none")}</p>`;
  },
};
window.Graph = Graph;
document.addEventListener("DOMContentLoaded", () => { $("#money-go").addEventListener("click", () => Graph.trace()); });
