import { gql, signOut } from "./api.js";
import { auditPage } from "./audit.js";
import { clearError, showError } from "./dom.js";
import { indicatorsPage } from "./indicators.js";
import { issuesPage } from "./issues.js";

const PAGES = { "#/audit": auditPage, "#/issues": issuesPage, "#/indicators": indicatorsPage };
const TITLES = { "#/audit": "审计日志 Audit log", "#/issues": "问题清单 Problems", "#/indicators": "指标 Indicators" };

export const viewer = { person: null, roles: [] };

async function route() {
  const key = PAGES[location.hash] ? location.hash : "#/audit";
  for (const link of document.querySelectorAll("header nav a")) {
    if (link.getAttribute("href") === key) link.setAttribute("aria-current", "page");
    else link.removeAttribute("aria-current");
  }
  document.title = `${TITLES[key]} · 锦邻控制台 Jinlin console`;
  // A fresh view per visit: a page still loading for an earlier visit fills a detached one.
  const view = document.createElement("div");
  document.getElementById("content").replaceChildren(view);
  clearError();
  try {
    await PAGES[key](view, viewer);
  } catch (error) {
    showError(error);
  }
}

document.getElementById("sign-out").addEventListener("click", signOut);
window.addEventListener("hashchange", route);

try {
  const { me } = await gql("Me");
  viewer.person = me.person;
  viewer.roles = me.roles;
  const roles = [...new Set(me.roles.map((r) => r.role))].join(", ");
  document.getElementById("who").textContent = `${me.person?.name ?? ""} (${roles})`;
} catch (error) {
  showError(error);
}
await route();
