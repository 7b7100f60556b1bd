// A tiny element builder: h("td", {class: "num"}, "12"). Text is always set as text.
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (key.startsWith("on")) el.addEventListener(key.slice(2), value);
    else el.setAttribute(key, value === true ? "" : value);
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : String(child));
  }
  return el;
}

// A bilingual label: Chinese first, English after.
export function bi(zh, en) {
  return [zh, " ", h("span", { class: "en", lang: "en" }, en)];
}

export function field(id, zh, en, control) {
  control.id = id;
  return h("div", {}, h("label", { for: id }, ...bi(zh, en)), control);
}

export function select(options, value = "") {
  const el = h("select", {});
  for (const [optionValue, text] of options) {
    el.append(h("option", { value: optionValue, selected: optionValue === value }, text));
  }
  return el;
}

// China time, as supervisors read it.
const FORMAT = new Intl.DateTimeFormat("zh-CN", {
  timeZone: "Asia/Shanghai", year: "numeric", month: "2-digit", day: "2-digit",
  hour: "2-digit", minute: "2-digit", second: "2-digit", hour12: false,
});
export function when(iso) {
  return iso ? FORMAT.format(new Date(iso)) : "—";
}

// A datetime-local value (China time) as an ISO instant.
export function chinaInstant(local) {
  return local ? `${local.length === 16 ? local + ":00" : local}+08:00` : null;
}

export function showError(error) {
  const box = document.getElementById("error");
  box.textContent = `出错了 Something went wrong: ${error.message}`;
  box.hidden = false;
}

export function clearError() {
  document.getElementById("error").hidden = true;
}

export function json(value) {
  return value === null || value === undefined ? "—" : typeof value === "string" ? value : JSON.stringify(value);
}
