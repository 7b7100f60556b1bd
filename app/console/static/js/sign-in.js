// Sign-in: the code arrives in the link's fragment (never sent to a server); it is
// posted once and removed from the address bar.
const form = document.getElementById("sign-in-form");
const input = document.getElementById("code");
const message = document.getElementById("message");

function takeCodeFromLink() {
  const fragment = new URLSearchParams(location.hash.slice(1));
  if (fragment.get("code")) {
    input.value = fragment.get("code");
    history.replaceState(null, "", location.pathname + location.search);
  }
}
takeCodeFromLink();
// A link opened in a tab already on this page changes only the fragment.
window.addEventListener("hashchange", takeCodeFromLink);
if (new URLSearchParams(location.search).get("refused")) {
  document.getElementById("refused").hidden = false;
}

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  message.textContent = "正在登录… Signing in…";
  const response = await fetch("/console/api/sign-in", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ code: input.value.trim() }),
  });
  if (response.ok) {
    location.href = "/console";
    return;
  }
  const body = await response.json().catch(() => ({}));
  const reason = body.errors?.[0]?.message ?? response.statusText;
  if (response.status === 403) document.getElementById("refused").hidden = false;
  message.textContent = `登录失败 Sign-in failed: ${reason}`;
});
