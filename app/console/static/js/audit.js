// Audit log: filters, newest first, paging, an entry's detail with its diff, the trail of
// a record, the chain's status and export. Entries read as people read them: names of the
// actor, the organisation they acted for and the record (as it was then), labelled changes
// with values rendered (names, enum labels, China time); the raw values stay in the detail.
import { getJson, gql } from "./api.js";
import { bi, chinaInstant, field, h, json, select, when } from "./dom.js";

const PAGE_SIZE = 20;
const OUTCOMES = [["", "全部 All"], ["SUCCESS", "成功 Success"], ["DENIED", "拒绝 Denied"],
  ["REJECTED", "驳回 Rejected"], ["FAILED", "失败 Failed"]];
const AREAS = ["CITY", "DISTRICT", "STREET", "COMMUNITY", "COMPOUND"];

export async function organisationOptions(kinds, all = "全部 All") {
  const { organisations } = await gql("Organisations", { filter: { kinds }, first: 100 });
  return [["", all], ...organisations.edges.map(({ node }) => [node.id, node.name])];
}

export async function auditPage(main) {
  const state = { filter: {}, cursors: [null], page: 0 };
  const operation = h("input", { type: "text", autocomplete: "off" });
  const outcome = select(OUTCOMES);
  const subtree = select(await organisationOptions(AREAS));
  const from = h("input", { type: "datetime-local" });
  const to = h("input", { type: "datetime-local" });
  const actorNote = h("p", { role: "status" });
  const form = h("form", { class: "filters", "aria-label": "筛选 Filters" },
    field("f-operation", "操作", "Operation", operation),
    field("f-outcome", "结果", "Outcome", outcome),
    field("f-subtree", "范围", "Subtree", subtree),
    field("f-from", "起（北京时间）", "From (China time)", from),
    field("f-to", "止", "To", to),
    h("button", { type: "submit" }, ...bi("筛选", "Filter")),
  );
  const chain = h("section", { class: "panel", "aria-labelledby": "chain-h" });
  const results = h("section", { "aria-live": "polite" });
  const detail = h("section", { id: "detail" });
  const exports = h("p", {});
  main.append(h("h2", {}, ...bi("审计日志", "Audit log")), chain, form, actorNote, exports, results, detail);

  function filter() {
    const f = { ...state.filter };
    if (operation.value.trim()) f.operation = operation.value.trim();
    if (outcome.value) f.outcome = outcome.value;
    if (subtree.value) f.subtree = subtree.value;
    if (from.value) f.occurredFrom = chinaInstant(from.value);
    if (to.value) f.occurredTo = chinaInstant(to.value);
    return f;
  }

  function exportLinks(f) {
    const params = new URLSearchParams();
    const names = { subtree: "subtree", occurredFrom: "from", occurredTo: "to", operation: "operation",
      outcome: "outcome", actor: "actor", resource: "resource" };
    for (const [key, name] of Object.entries(names)) if (f[key]) params.set(name, f[key]);
    exports.replaceChildren(...bi("导出", "Export"), ": ",
      ...["csv", "jsonl"].map((format) => {
        const query = new URLSearchParams(params);
        query.set("format", format);
        return h("a", { href: `/console/api/export?${query}`, download: "", class: "export", "data-format": format },
          format.toUpperCase(), " ");
      }));
  }

  async function load() {
    const f = filter();
    exportLinks(f);
    const { auditLog } = await gql("AuditLog", { filter: f, first: PAGE_SIZE, after: state.cursors[state.page] });
    const table = h("table", {},
      h("caption", {}, ...bi("审计记录（最新在前）", "Entries, newest first"), ` · ${auditLog.totalCount}`),
      h("thead", {}, h("tr", {}, ...[["序号", "Seq"], ["时间", "Time"], ["操作", "Operation"], ["对象", "Record"],
        ["结果", "Outcome"], ["操作人", "Actor"], ["组织", "Organisation"], ["", ""]]
        .map(([zh, en]) => h("th", { scope: "col" }, ...(zh ? bi(zh, en) : [h("span", { class: "en" }, "详情 Detail")]))))),
      h("tbody", {}, ...auditLog.edges.map(({ node }) => row(node))));
    const pager = h("nav", { class: "pager", "aria-label": "分页 Pages" },
      h("button", { type: "button", disabled: state.page === 0, onclick: () => { state.page -= 1; load(); } }, ...bi("上一页", "Previous")),
      h("span", {}, `第 ${state.page + 1} 页 Page ${state.page + 1}`),
      h("button", { type: "button", disabled: !auditLog.pageInfo.hasNextPage, onclick: () => {
        state.cursors[state.page + 1] = auditLog.pageInfo.endCursor; state.page += 1; load();
      } }, ...bi("下一页", "Next")));
    results.replaceChildren(table, pager);
  }

  function row(entry) {
    const actor = entry.actor
      ? h("button", { type: "button", class: "link", title: "只看此人 Only this actor",
          onclick: () => { state.filter.actor = entry.actor.id; actorNote.textContent = `操作人 Actor: ${entry.actorName ?? entry.actor.name}`; restart(); } },
          entry.actorName ?? entry.actor.name)
      : entry.actorName ?? entry.partnerName ?? h("span", { class: "en" }, "系统/运维 operator");
    return h("tr", {},
      h("td", { class: "num" }, entry.sequence),
      h("td", {}, when(entry.occurredAt)),
      h("td", {}, entry.operation),
      h("td", {}, entry.resourceLabel ?? `${entry.resourceType} ${entry.resourceId ?? ""}`),
      h("td", {}, h("span", { class: `badge outcome-${entry.outcome}` }, entry.outcome)),
      h("td", {}, actor),
      h("td", {}, entry.actingOrganisationName ?? entry.organisationName ?? "—"),
      h("td", {}, h("button", { type: "button", class: "link", "aria-label": `详情 Detail #${entry.sequence}`,
        onclick: () => detailOf(entry.id) }, "详情 Detail")));
  }

  async function detailOf(id) {
    const { node: e } = await gql("AuditEntry", { id });
    const facts = [["序号 Seq", e.sequence], ["时间 Time", when(e.occurredAt)], ["操作 Operation", e.operation],
      ["对象 Record", e.resourceLabel ?? `${e.resourceType} ${e.resourceId ?? ""}`], ["结果 Outcome", e.outcome],
      ["错误 Error", e.errorCode ? `${e.errorCode}: ${e.errorMessage ?? ""}` : "—"],
      ["操作人 Actor", e.actorName ?? e.actor?.name ?? "—"],
      ["代表组织 Acting for", e.actingOrganisationName ?? "—"],
      ["合作单位 Partner", e.partnerName ?? "—"], ["令牌 Token", e.tokenName ?? "—"],
      ["角色 Role", e.role ? `${e.role} @ ${e.domain?.name ?? ""}` : "—"], ["组织 Organisation", e.organisation?.name ?? "—"],
      ["请求 Request", e.requestId ?? "—"], ["哈希 Hash", e.hash]];
    const changes = h("table", {},
      h("caption", {}, ...bi("变更", "Changes")),
      h("thead", {}, h("tr", {}, h("th", { scope: "col" }, ...bi("字段", "Field")),
        h("th", { scope: "col" }, ...bi("之前", "Before")), h("th", { scope: "col" }, ...bi("之后", "After")),
        h("th", { scope: "col" }, ...bi("原始值", "Raw values")))),
      h("tbody", {}, ...(e.changes.length ? e.changes.map((c) => h("tr", {},
        h("td", { title: c.field }, `${c.label} `, h("span", { class: "en" }, c.labelEn)),
        h("td", {}, c.beforeText ?? json(c.before)), h("td", {}, c.afterText ?? json(c.after)),
        h("td", { class: "raw" }, `${json(c.before)} → ${json(c.after)}`)))
        : [h("tr", {}, h("td", { colspan: 4 }, "无变更 No changes"))])));
    const trail = e.resourceId ? h("button", { type: "button", id: "trail", onclick: () => {
      state.filter = { resource: e.resourceId };
      actorNote.textContent = `记录轨迹 Trail of ${e.resourceType} ${e.resourceId}`;
      restart();
    } }, ...bi("查看此记录的全部轨迹", "Trail of this record")) : null;
    detail.replaceChildren(h("div", { class: "panel" },
      h("h3", { tabindex: "-1", id: "detail-h" }, ...bi("记录详情", "Entry"), ` #${e.sequence}`),
      h("dl", { class: "fields" }, ...facts.flatMap(([k, v]) => [h("dt", {}, k), h("dd", {}, v)])),
      changes, trail));
    document.getElementById("detail-h").focus();
  }

  function restart() {
    state.cursors = [null];
    state.page = 0;
    detail.replaceChildren();
    return load();
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    state.filter = {};
    actorNote.textContent = "";
    restart();
  });

  chainStatus(chain);
  await load();
}

async function chainStatus(panel) {
  panel.replaceChildren(h("h3", { id: "chain-h" }, ...bi("审计链状态", "Chain status")));
  try {
    const s = await getJson("/console/api/chain");
    const v = s.verification;
    const verdict = v.intact === true ? "完好 intact" : v.intact === false ? `断裂 BROKEN: ${v.problem}` : v.problem;
    panel.append(h("div", { class: "chain" },
      h("p", {}, `最近校验 Last verification: ${when(v.at)} · ${verdict} (${v.checked})`),
      h("p", {}, s.checkpoint
        ? `最近签名检查点 Latest signed checkpoint: #${s.checkpoint.seq} · ${when(s.checkpoint.time)} · ${s.checkpoint.signatureValid ? "签名有效 signature valid" : "签名无效 signature INVALID"}`
        : "尚无签名检查点 No signed checkpoint yet"),
      h("p", {}, `其后条目 Entries since: ${s.entriesSince}`)));
  } catch (error) {
    panel.append(h("p", {}, error.message));
  }
}
