// Problem list: a compound's open issues, overdue first; an issue's timeline; the
// secretary's claim / assign / escalate through the audited mutations.
import { gql } from "./api.js";
import { bi, field, h, select, showError, when } from "./dom.js";
import { organisationOptions } from "./audit.js";

const OPEN = ["REPORTED", "CLAIMED", "IN_PROGRESS", "REOPENED", "ESCALATED"];
const STATUS = { REPORTED: "已上报 Reported", CLAIMED: "已认领 Claimed", IN_PROGRESS: "办理中 In progress",
  RESOLVED: "已解决 Resolved", CLOSED: "已关闭 Closed", REOPENED: "重新打开 Reopened",
  ESCALATED: "已上交 Escalated", REJECTED: "已驳回 Rejected", DUPLICATE: "重复 Duplicate" };

export async function issuesPage(main) {
  const compounds = await organisationOptions(["COMPOUND"]);
  const compound = select(compounds, compounds[1]?.[0] ?? "");
  const status = select([["open", "未办结 Open"], ["all", "全部 All"]], "open");
  const form = h("form", { class: "filters", "aria-label": "筛选 Filters" },
    field("i-compound", "小区", "Compound", compound), field("i-status", "状态", "Status", status),
    h("button", { type: "submit" }, ...bi("查看", "Show")));
  const list = h("section", { "aria-live": "polite" });
  const detail = h("section", {});
  main.append(h("h2", {}, ...bi("问题清单", "Problems")), form, list, detail);

  async function load() {
    const filter = {};
    if (compound.value) filter.compound = compound.value;
    if (status.value === "open") filter.status = OPEN;
    const { issues } = await gql("Issues", { filter, first: 50 });
    // Due soonest from the API; overdue ones first whatever their due time.
    const rows = issues.edges.map((e) => e.node).sort((a, b) => Number(b.overdue) - Number(a.overdue));
    list.replaceChildren(h("table", {},
      h("caption", {}, ...bi("问题（逾期在前）", "Issues, overdue first"), ` · ${issues.totalCount}`),
      h("thead", {}, h("tr", {}, ...[["标题", "Title"], ["状态", "Status"], ["期限", "Due"], ["小区", "Compound"], ["承办", "Assignee"]]
        .map(([zh, en]) => h("th", { scope: "col" }, ...bi(zh, en))))),
      h("tbody", {}, ...rows.map((issue) => h("tr", {},
        h("td", {}, h("button", { type: "button", class: "link", onclick: () => open(issue.id) }, issue.title),
          issue.overdue ? [" ", h("span", { class: "badge overdue" }, "逾期 Overdue")] : null),
        h("td", {}, STATUS[issue.status] ?? issue.status),
        h("td", {}, when(issue.dueAt)),
        h("td", {}, issue.compound?.name ?? "—"),
        h("td", {}, issue.assignee?.name ?? "—"))))));
  }

  async function open(id) {
    const { node: issue } = await gql("Issue", { id });
    const bodies = issue.compound
      ? (await gql("Organisations", { filter: { compound: issue.compound.id }, first: 100 })).organisations.edges
        .map(({ node }) => [node.id, node.name])
      : [];
    const done = async (name, input) => {
      try {
        await gql(name, { input: { ...input, id: issue.id, expectedVersion: issue.version } });
        await load();
        await open(issue.id);
      } catch (error) {
        showError(error);
      }
    };
    const claimBy = select(bodies);
    const assignTo = select(bodies);
    const reason = h("textarea", { rows: 2, cols: 40 });
    const actions = h("div", { class: "actions" },
      issue.allowedNextStatuses.includes("CLAIMED") ? h("form", { class: "actions", onsubmit: (e) => { e.preventDefault(); done("ClaimIssue", { organisation: claimBy.value }); } },
        field("claim-org", "认领单位", "Claim for", claimBy), h("button", { type: "submit", id: "claim" }, ...bi("认领", "Claim"))) : null,
      h("form", { class: "actions", onsubmit: (e) => { e.preventDefault(); done("AssignIssue", { organisation: assignTo.value }); } },
        field("assign-org", "交办单位", "Assign to", assignTo), h("button", { type: "submit" }, ...bi("交办", "Assign"))),
      issue.allowedNextStatuses.includes("ESCALATED") ? h("form", { class: "actions", onsubmit: (e) => { e.preventDefault(); done("EscalateIssue", { reason: reason.value }); } },
        field("escalate-reason", "上交理由", "Reason to escalate", reason), h("button", { type: "submit" }, ...bi("上交", "Escalate"))) : null);
    detail.replaceChildren(h("div", { class: "panel" },
      h("h3", { tabindex: "-1", id: "issue-h" }, issue.title, issue.overdue ? [" ", h("span", { class: "badge overdue" }, "逾期 Overdue")] : null),
      h("dl", { class: "fields" }, ...[["状态 Status", STATUS[issue.status] ?? issue.status], ["类别 Category", issue.category],
        ["期限 Due", when(issue.dueAt)], ["上报人 Reporter", issue.reporter?.name ?? "—"],
        ["承办 Assignee", issue.assignee?.name ?? "—"], ["描述 Description", issue.description]]
        .flatMap(([k, v]) => [h("dt", {}, k), h("dd", {}, v)])),
      actions,
      h("h4", {}, ...bi("处理经过", "Timeline")),
      h("ol", { class: "timeline" }, ...issue.timeline.edges.map(({ node: ev }) => h("li", {},
        h("strong", {}, ev.kind), ` ${when(ev.createdAt)} · `,
        ev.actorOrganisation?.name ?? ev.actor?.name ?? "—",
        ev.toStatus ? ` → ${STATUS[ev.toStatus] ?? ev.toStatus}` : "",
        ev.body ? h("div", {}, ev.body) : null)))));
    document.getElementById("issue-h").focus();
  }

  form.addEventListener("submit", (event) => { event.preventDefault(); detail.replaceChildren(); load(); });
  await load();
}
