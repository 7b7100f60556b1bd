// Indicators: a compound's (indicatorsOfCompound) and a street's across its compounds
// (indicatorsOfSubtree), each as a chart with its table under it.
import { gql } from "./api.js";
import { bi, field, h, select } from "./dom.js";
import { organisationOptions } from "./audit.js";
import { barChart } from "./chart.js";

const pct = (v) => (v === null || v === undefined ? "—" : `${Math.round(v * 100)}%`);
const num = (v) => (v === null || v === undefined ? "—" : Number.isInteger(v) ? v : v.toFixed(1));

function table(caption, head, rows) {
  return h("table", {}, h("caption", {}, caption),
    h("thead", {}, h("tr", {}, ...head.map((c, i) => h("th", { scope: "col", class: i ? "num" : null }, c)))),
    h("tbody", {}, ...rows.map((r) => h("tr", {}, ...r.map((c, i) => i ? h("td", { class: "num" }, c) : h("th", { scope: "row" }, c))))));
}

function figure(caption, chart, tableEl) {
  return h("figure", { class: "panel" }, h("figcaption", {}, caption), chart, tableEl);
}

export async function indicatorsPage(main) {
  const compounds = await organisationOptions(["COMPOUND"], "—");
  const streets = await organisationOptions(["STREET"], "—");
  const compound = select(compounds, compounds[1]?.[0] ?? "");
  const street = select(streets, streets[1]?.[0] ?? "");
  const out = h("div", {});
  const form = h("form", { class: "filters", "aria-label": "选择 Choose" },
    field("n-compound", "小区", "Compound", compound), field("n-street", "街道", "Street", street),
    h("button", { type: "submit" }, ...bi("查看", "Show")));
  main.append(h("h2", {}, ...bi("指标", "Indicators")), form, out);

  async function load() {
    out.replaceChildren();
    if (compound.value) out.append(await compoundSection(compound.value));
    if (street.value) out.append(await streetSection(street.value));
  }
  form.addEventListener("submit", (e) => { e.preventDefault(); load(); });
  await load();
}

async function compoundSection(id) {
  const { indicatorsOfCompound: c } = await gql("CompoundIndicators", { compound: id });
  if (!c) return h("p", {}, "无权查看 Not visible");
  const g = c.governance, i = c.issues;
  return h("section", { "aria-labelledby": "c-h" },
    h("h3", { id: "c-h" }, `${c.compound?.name ?? ""} · ${c.periodStart} – ${c.date}`),
    h("div", { class: "charts" },
      figure(bi("党员占比与交叉任职", "Party share and cross-appointment"),
        barChart({ label: "党员占比与交叉任职 Party share and cross-appointment", categories: ["业委会党员占比 Party share", "交叉任职 Cross-appointed"],
          series: [{ name: "比例 Ratio", values: [g.committeePartyShare, g.crossAppointmentRatio] }], max: 1,
          line: { value: g.partyShareTarget, label: `目标 Target ${pct(g.partyShareTarget)}` }, format: pct }),
        table("党建 Governance", ["指标 Indicator", "数值 Value"], [
          ["业委会成员 Committee members", g.committeeMembers], ["其中党员 Party members", g.committeePartyMembers],
          ["党员占比 Party share", pct(g.committeePartyShare)], ["目标 Target", pct(g.partyShareTarget)],
          ["交叉任职 Cross-appointed", `${g.crossAppointed} (${pct(g.crossAppointmentRatio)})`]])),
      figure(bi("问题办理", "Issues"),
        barChart({ label: "问题办理 Issues received, resolved, overdue", categories: ["收到 Received", "解决 Resolved", "逾期 Overdue"],
          series: [{ name: "件数 Count", values: [i.received, i.resolved, i.overdue] }] }),
        table("问题 Issues", ["指标 Indicator", "数值 Value"], [
          ["收到 Received", i.received], ["解决 Resolved", i.resolved], ["逾期 Overdue", i.overdue],
          ["办结时长中位数（小时） Median hours to resolve", num(i.medianResolveHours)],
          ["满意度 Satisfaction", `${num(i.satisfactionAverage)} (${i.satisfactionCount})`],
          ["物业星级 Firm stars", c.firm ? `${num(c.firm.overallStars)} (${c.firm.evaluationYear ?? "—"})` : "—"]]))));
}

async function streetSection(id) {
  const { indicatorsOfSubtree: s } = await gql("SubtreeIndicators", { organisation: id });
  const rows = s.compounds;
  const names = rows.map((r) => r.compound?.name ?? "—");
  const target = s.governance.partyShareTarget;
  return h("section", { "aria-labelledby": "s-h" },
    h("h3", { id: "s-h" }, `${s.organisation?.name ?? ""} · ${s.compoundCount} 个小区 compounds · ${s.date}`),
    h("div", { class: "charts" },
      figure(bi("各小区党员占比", "Party share by compound"),
        barChart({ label: "各小区党员占比 Party share by compound", categories: names, max: 1, format: pct,
          series: [{ name: "党员占比 Party share", values: rows.map((r) => r.governance.committeePartyShare) },
            { name: "交叉任职 Cross-appointed", values: rows.map((r) => r.governance.crossAppointmentRatio) }],
          line: { value: target, label: `目标 Target ${pct(target)}` } }),
        table("党建 Governance", ["小区 Compound", "党员占比 Party share", "交叉任职 Cross-appointed"],
          rows.map((r, k) => [names[k], pct(r.governance.committeePartyShare), pct(r.governance.crossAppointmentRatio)]))),
      figure(bi("各小区问题办理", "Issues by compound"),
        barChart({ label: "各小区问题办理 Issues by compound", categories: names,
          series: [{ name: "收到 Received", values: rows.map((r) => r.issues.received) },
            { name: "解决 Resolved", values: rows.map((r) => r.issues.resolved) },
            { name: "逾期 Overdue", values: rows.map((r) => r.issues.overdue) }] }),
        table("问题 Issues", ["小区 Compound", "收到 Received", "解决 Resolved", "逾期 Overdue", "中位时长 Median h", "满意度 Satisfaction", "物业星级 Stars"],
          rows.map((r, k) => [names[k], r.issues.received, r.issues.resolved, r.issues.overdue,
            num(r.issues.medianResolveHours), num(r.issues.satisfactionAverage), num(r.firm?.overallStars)])))));
}
