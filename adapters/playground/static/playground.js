// The playground page: render what the server says one person sees. No framework, no build.
"use strict";

const $ = (id) => document.getElementById(id);
const POLL_MS = 4000;
let me = (new URLSearchParams(location.hash.slice(1))).get("as") || "alex";
let busy = false;

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (key === "class") node.className = value;
    else if (key === "text") node.textContent = value;
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value);
  }
  for (const child of children) if (child) node.append(child);
  return node;
}

function showError(message) {
  const box = $("error");
  box.textContent = message || "";
  box.hidden = !message;
}

async function call(method, path, body) {
  const response = await fetch(path, {
    method,
    headers: body ? { "Content-Type": "application/json" } : {},
    body: body ? JSON.stringify(body) : undefined,
  });
  const data = await response.json().catch(() => ({ error: `HTTP ${response.status}` }));
  if (!response.ok) throw new Error(data.error || `HTTP ${response.status}`);
  return data;
}

function time(iso) {
  return new Date(iso).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
}

function renderPeople(state) {
  const box = $("people");
  box.replaceChildren(...state.people.map((p) => el("button", {
    type: "button", "data-person": p.id, "aria-pressed": String(p.id === state.me.id),
    onclick: () => switchTo(p.id),
  }, el("span", { text: p.name + " " }), el("span", { class: "role", text: p.role }))));
}

// The ladder has three steps; the strike count can go past three and is shown beside the step.
const STEPS = { 1: "remind", 2: "warn", 3: "escalate" };
const plural = (n, word) => `${n} ${word}${n === 1 ? "" : "s"}`;

function renderLadder(state) {
  $("ladder").replaceChildren(...state.ladder.map((row) => el("li", { "data-user": row.user, "data-step": String(row.step) },
    el("span", { text: row.name }),
    el("span", { class: "step", "data-step": String(row.step),
      text: row.step ? `step ${row.step} of 3 · ${STEPS[row.step]} · ${plural(row.strikes, "strike")}` : "no strikes" }))));
  const l = state.config.ladder;
  $("ladder-hint").textContent = state.me.moderator
    ? `Strike ${l.warn_at} warns, strike ${l.escalate_at} alerts the moderators; strikes fade after ${l.decay_days} days.`
    : "Only your own record is shown to you; moderators see everyone's.";
}

function renderConfig(state) {
  const c = state.config;
  const facts = [
    ["policy", c.policy], ["config", c.source.split("/").pop()], ["database", c.database.split("/").pop()],
    ["min severity", c.min_severity],
    ["rate limit", c.ladder.rate_limit_minutes
      ? `one reminder per ${c.ladder.rate_limit_minutes} min per channel`
      : `off here, so every step shows (the config's: ${c.ladder.config_rate_limit_minutes} min)`],
    ["auto delete", c.actions.delete ? "on" : "off"], ["auto timeout", c.actions.timeout ? "on" : "off"],
    ["stores text", c.store_content ? "yes" : "no"],
  ];
  $("config-facts").replaceChildren(...facts.flatMap(([k, v]) => [el("dt", { text: k }), el("dd", { text: String(v) })]));
  $("shadow-toggle").checked = c.shadow;
  $("labels").replaceChildren(...c.labels.map((row) => el("li", {},
    el("label", {}, el("input", {
      type: "checkbox", "data-label": row.label, ...(row.enabled ? { checked: "" } : {}),
      onchange: (event) => changeSettings({ labels: { [row.label]: event.target.checked } }),
    }), el("span", { text: ` ${row.label}${row.route ? " (route)" : ""}` })))));
}

// The core writes **bold** and `code` (as Discord does); show them as such, never as HTML.
function richText(text) {
  return text.split(/(\*\*[^*\n]+\*\*|`[^`\n]+`)/).map((part) => {
    if (part.startsWith("**") && part.endsWith("**") && part.length > 4) return el("strong", { text: part.slice(2, -2) });
    if (part.startsWith("`") && part.endsWith("`") && part.length > 2) return el("code", { text: part.slice(1, -1) });
    return document.createTextNode(part);
  });
}

function postNode(post, state) {
  const head = el("div", {},
    el("span", { class: "who", text: post.author_name }),
    el("span", { class: "when", text: time(post.at) }));
  const classes = ["post", post.kind];
  if (post.private) classes.push("private");
  if (post.removed) classes.push("removed");
  const node = el("li", { class: classes.join(" "), "data-kind": post.kind, "data-post": post.id });
  if (post.private) node.append(el("span", { class: "only-you", text: "Only you can see this" }));
  node.append(head);
  if (post.kind === "message" || post.kind === "system") node.append(el("div", { class: "text", text: post.text }));
  if (post.title) node.append(el("h3", { text: post.title }));
  if (post.body) node.append(post.kind === "answer" ? el("div", { class: "answer-body" }, ...richText(post.body)) : el("div", { class: "text", text: post.body }));
  if (post.clauses.length) node.append(el("div", { class: "clauses", text: "Policy clause " + post.clauses.join(", ") }));
  if (post.routes.length) {
    node.append(el("ul", { class: "routes" }, ...post.routes.map((r) => el("li", { text: r.contact ? `${r.name}: ${r.contact}` : r.name }))));
  }
  if (post.kind === "notice" && post.case_id !== null) {
    node.append(post.contested
      ? el("div", { class: "hint", text: "You contested this: the moderators will review it. Until they do, it stays on your record." })
      : el("button", { type: "button", onclick: () => caseAction(post.case_id, "contest"), text: "This isn't a breach" }));
  }
  return node;
}

function renderPosts(state) {
  const list = $("posts");
  const atBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 40;
  list.replaceChildren(...state.posts.map((p) => postNode(p, state)));
  if (atBottom || busy) list.scrollTop = list.scrollHeight;
}

// Statuses in which a case still counts on the ladder: only those can be dismissed or pardoned.
const COUNTING = ["active", "contested", "upheld"];

function logButtons(e) {
  // A contested case has two answers; other entries offer the false positive and the pardon.
  if (e.level === "contest") {
    return e.status !== "contested" ? [] : [
      el("button", { type: "button", "data-action": "uphold", onclick: () => caseAction(e.case_id, "uphold"), text: "Uphold" }),
      el("button", { type: "button", "data-action": "dismiss", onclick: () => caseAction(e.case_id, "dismiss"), text: "Mark as false positive" }),
    ];
  }
  if (!COUNTING.includes(e.status)) return [];
  return [
    el("button", { type: "button", "data-action": "dismiss", onclick: () => caseAction(e.case_id, "dismiss"), text: "Dismiss (false positive)" }),
    el("button", { type: "button", "data-action": "pardon", onclick: () => pardon(e.user), text: `Pardon ${e.user_name}` }),
  ];
}

function renderLog(state) {
  const note = $("modlog-note");
  if (state.modlog === null) {
    note.textContent = "Only moderators see this log. Switch to Sam to read it.";
    $("modlog").replaceChildren();
    return;
  }
  note.textContent = state.modlog.length ? "" : "Nothing logged yet. A first reminder stays between policybot and its author; "
    + `a second finding within ${state.config.ladder.decay_days} days, or a serious one, is logged here.`;
  $("modlog").replaceChildren(...[...state.modlog].reverse().map((e) => el("li", { "data-level": e.level, "data-status": e.status, "data-case": String(e.case_id) },
    el("div", { class: "meta", text: `${time(e.at)} · ${e.user_name} · case ${e.case_id} · ${e.status}${e.shadow ? " · shadow" : ""}` }),
    el("div", { text: e.summary }),
    e.content ? el("div", { class: "meta", text: `"${e.content}"` }) : null,
    el("div", { class: "meta", text: "Suggested: " + e.suggested_actions.join("; ") }),
    ...logButtons(e))));
}

function render(state) {
  $("society").textContent = state.society;
  $("channel-name").textContent = "# " + state.channel;
  $("composer-input").placeholder = `Message #${state.channel} as ${state.me.name}`;
  document.body.dataset.me = state.me.id;
  renderPeople(state);
  renderLadder(state);
  renderConfig(state);
  renderPosts(state);
  renderLog(state);
}

async function refresh() {
  try {
    render(await call("GET", `/api/state?as=${encodeURIComponent(me)}`));
    showError("");
  } catch (error) {
    showError(error.message);
  }
}

function switchTo(person) {
  me = person;
  history.replaceState(null, "", `#as=${person}`);
  refresh();
}

async function act(method, path, body) {
  busy = true;
  try {
    render(await call(method, path, { as: me, ...body }));
    showError("");
  } catch (error) {
    showError(error.message);
  } finally {
    busy = false;
  }
}

const changeSettings = (body) => act("POST", "/api/settings", body);
const caseAction = (caseId, action) => act("POST", `/api/cases/${caseId}/${action}`, {});
const pardon = (user) => act("POST", "/api/pardon", { user });

document.addEventListener("DOMContentLoaded", () => {
  // The examples in the channel's header fill the composer when clicked.
  for (const example of document.querySelectorAll("[data-try]")) {
    example.addEventListener("click", () => { $("composer-input").value = example.textContent; $("composer-input").focus(); });
  }
  $("composer").addEventListener("submit", async (event) => {
    event.preventDefault();
    const input = $("composer-input");
    const text = input.value;
    if (!text.trim()) return;
    input.value = "";
    await act("POST", "/api/messages", { text });
    input.focus();
  });
  $("shadow-toggle").addEventListener("change", (event) => changeSettings({ shadow: event.target.checked }));
  window.addEventListener("hashchange", () => {
    me = (new URLSearchParams(location.hash.slice(1))).get("as") || me;
    refresh();
  });
  refresh();
  setInterval(() => { if (!document.hidden && !busy) refresh(); }, POLL_MS);
});
