// The console's only data path: registered documents over /console/api/graphql, with the
// session cookie and this page's CSRF token.
let documentIds = null;

export function csrfToken() {
  const found = document.cookie.split("; ").find((c) => c.startsWith("jinlin_console_csrf="));
  return found ? found.split("=")[1] : "";
}

function leave(status) {
  location.href = "/console/sign-in" + (status === 403 ? "?refused=1" : "");
  throw new Error("signed out");
}

export async function gql(name, variables = {}) {
  documentIds ??= await (await fetch("/console/api/documents")).json();
  const response = await fetch("/console/api/graphql", {
    method: "POST",
    headers: { "Content-Type": "application/json", "X-CSRF-Token": csrfToken() },
    body: JSON.stringify({ documentId: documentIds[name], variables }),
  });
  if (response.status === 401 || response.status === 403) leave(response.status);
  const body = await response.json();
  if (body.errors?.length) throw new Error(body.errors.map((e) => e.message).join("; "));
  return body.data;
}

export async function getJson(path) {
  const response = await fetch(path);
  if (response.status === 401) leave(401);
  const body = await response.json();
  if (!response.ok) throw new Error(body.errors?.[0]?.message ?? response.statusText);
  return body;
}

export async function signOut() {
  await fetch("/console/api/sign-out", { method: "POST", headers: { "X-CSRF-Token": csrfToken() } });
  location.href = "/console/sign-in";
}
