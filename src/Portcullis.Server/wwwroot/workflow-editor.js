// Workflow editor: steps in order with a + between them, a picker of actions grouped by connector, each step's
// form generated from its action's inputSchema, {{ autocompletion of the variables a step can read, the server's
// check as you type (each diagnostic next to its field), save, and a dry run. The page carries the model as JSON.
(function () {
  "use strict";

  var M, root, steps, picker, suggest, checkSeq = 0, timer = null, workflowId = null, dirty = false;
  var TEMPLATE_TAIL = /\{\{\s*([A-Za-z0-9_.\[\]]*)$/;

  function el(tag, props, children) {
    var node = document.createElement(tag);
    Object.keys(props || {}).forEach(function (k) {
      if (k === "text") { node.textContent = props[k]; } else if (k === "class") { node.className = props[k]; } else if (props[k] !== null && props[k] !== undefined) { node.setAttribute(k, props[k]); }
    });
    (children || []).forEach(function (c) { if (c) { node.appendChild(typeof c === "string" ? document.createTextNode(c) : c); } });
    return node;
  }

  // A labelled control with its error line. rel: the path below its step (input.amount); path: a top-level one (trigger.cron).
  function field(label, control, rel, hint, path) {
    var error = el("span", { class: "field-error", "data-rel-error": rel || "" });
    if (rel) { control.dataset.rel = rel; }
    if (path) { control.dataset.field = path; error.dataset.errorFor = path; }
    return el("label", { class: "wf-field" }, [label, hint ? el("small", { class: "muted", text: " " + hint }) : null, control, error]);
  }

  function byId(id) { return document.getElementById(id); }

  function action(actionType) {
    for (var i = 0; i < M.providers.length; i++) {
      var found = M.providers[i].actions.filter(function (a) { return a.actionType === actionType; })[0];
      if (found) { return { provider: M.providers[i], action: found }; }
    }
    return null;
  }

  // ---- the generated form of one step -------------------------------------------------------------
  function kindOf(schema) {
    if (schema.enum) { return "enum"; }
    if (schema.anyOf) {
      var types = schema.anyOf.map(function (s) { return s.type; }).filter(function (t) { return t && t !== "null"; });
      if (types.indexOf("string") >= 0 && types.indexOf("array") >= 0) { return "oneormany"; }
      return kindOf(schema.anyOf.filter(function (s) { return s.type !== "null"; })[0] || {});
    }
    return { integer: "number", number: "number", boolean: "boolean", array: "array", object: "object" }[schema.type] || "string";
  }

  function toText(value, kind) {
    if (value === undefined || value === null) { return ""; }
    if (typeof value === "string") { return value; }
    if (Array.isArray(value) && (kind === "array" || kind === "oneormany") && value.every(function (v) { return typeof v === "string"; })) { return value.join("\n"); }
    return typeof value === "object" ? JSON.stringify(value, null, 2) : String(value);
  }

  function inputControl(name, schema, required, value) {
    var kind = kindOf(schema), control, hint = kind + (required ? ", required" : "");
    if (kind === "array" || kind === "oneormany" || kind === "object") {
      control = el("textarea", { rows: 3, spellcheck: "false" });
      hint += kind === "object" ? " (JSON)" : " (one per line, or JSON)";
    } else {
      control = el("input", { spellcheck: "false", autocomplete: "off" });
      var options = kind === "enum" ? schema.enum : kind === "boolean" ? ["true", "false"] : null;
      if (options) {
        var list = el("datalist", { id: "dl-" + Math.random().toString(36).slice(2) }, options.map(function (o) { return el("option", { value: o }); }));
        control.setAttribute("list", list.id);
        control.appendChild(list);
      }
    }
    control.dataset.kind = kind;
    control.dataset.name = name;
    control.value = toText(value, kind);
    return field(name, control, "input." + name, hint + (schema.description ? " — " + schema.description : ""));
  }

  function credentialControl(provider, selected) {
    var select = el("select", {}, [el("option", { value: "", text: "the agent's linked credential" })]);
    M.credentials.filter(function (c) { return c.provider === provider; }).forEach(function (c) {
      select.appendChild(el("option", { value: c.id, text: c.name + " (" + c.id + ")" }));
    });
    select.value = selected || "";
    return field("Credential", select, "credentialId");
  }

  function newStepId(actionType) {
    var base = actionType.toLowerCase().replace(/[^a-z0-9]+/g, "_").replace(/^[^a-z]+|_+$/g, "") || "step", id = base, n = 2;
    var taken = Array.prototype.map.call(steps.querySelectorAll(".step-id"), function (i) { return i.value; });
    while (taken.indexOf(id) >= 0) { id = base + "_" + n++; }
    return id.slice(0, 64);
  }

  function stepCard(step) {
    var found = action(step.actionType), li = el("li", { class: "step card" });
    li.dataset.actionType = step.actionType;
    if (step.provider || found) { li.dataset.provider = step.provider || found.provider.provider; }
    var remove = el("button", { type: "button", class: "small danger remove-step", text: "Remove" });
    remove.addEventListener("click", function () { li.remove(); layout(); changed(); });
    li.appendChild(el("div", { class: "step-head" }, [el("span", { class: "step-number" }), " ",
      el("strong", { text: found ? found.action.description : "Custom action" }), " ", el("code", { text: step.actionType }),
      found ? el("span", { class: "muted", text: " · " + found.provider.displayName }) : el("span", { class: "muted", text: " · decided and recorded, never executed" }),
      M.canEdit ? remove : null]));
    li.appendChild(el("p", { class: "field-error step-errors", "data-rel-error": "" }));
    var idInput = el("input", { class: "step-id", spellcheck: "false", maxlength: 64 });
    idInput.value = step.id;
    var nameInput = el("input", { class: "step-name", maxlength: 200 });
    nameInput.value = step.name && step.name !== step.id ? step.name : "";
    li.appendChild(el("div", { class: "grid" }, [field("Step id", idInput, "id", "[a-z][a-z0-9_]*"), field("Name", nameInput, "name", "optional"),
      found ? credentialControl(found.provider.provider, step.credentialId) : null]));
    var inputs = el("fieldset", { class: "step-input" }, [el("legend", { text: "Input" })]);
    if (found) {
      var schema = found.action.inputSchema, required = schema.required || [];
      Object.keys(schema.properties || {}).forEach(function (name) {
        inputs.appendChild(inputControl(name, schema.properties[name], required.indexOf(name) >= 0, (step.input || {})[name]));
      });
    } else {
      var json = el("textarea", { rows: 4, spellcheck: "false", class: "custom-input" });
      json.dataset.kind = "json";
      json.value = JSON.stringify(step.input || {}, null, 2);
      inputs.appendChild(field("Input (JSON object; string values may hold {{…}})", json, "input"));
    }
    li.appendChild(inputs);
    var when = el("input", { class: "step-when", spellcheck: "false" });
    when.value = step.when || "";
    li.appendChild(field("When", when, "when", "optional, policy language over the same variables, e.g. trigger.input.amount > 5000"));
    return li;
  }

  // Numbers the steps, puts a + before each and after the last, and gives every field its path (steps[i].…).
  function layout() {
    Array.prototype.forEach.call(steps.querySelectorAll(".add-slot"), function (s) { s.remove(); });
    var cards = steps.querySelectorAll("li.step");
    Array.prototype.forEach.call(cards, function (li, i) {
      li.querySelector(".step-number").textContent = String(i + 1);
      li.dataset.field = "steps[" + i + "]";
      li.querySelector(".step-errors").dataset.errorFor = "steps[" + i + "]";
      li.querySelectorAll("[data-rel]").forEach(function (c) { c.dataset.field = "steps[" + i + "]." + c.dataset.rel; });
      li.querySelectorAll("[data-rel-error]").forEach(function (s) { if (s.dataset.relError) { s.dataset.errorFor = "steps[" + i + "]." + s.dataset.relError; } });
      if (M.canEdit) { steps.insertBefore(slot(i), li); }
    });
    if (M.canEdit) { steps.appendChild(slot(cards.length)); }
  }

  function slot(position) {
    var button = el("button", { type: "button", class: "add-step", title: "Add a step here", "aria-label": "Add a step at position " + (position + 1), text: "+" });
    button.addEventListener("click", function () { openPicker(position); });
    return el("li", { class: "add-slot" }, [button]);
  }

  // ---- the action picker ----------------------------------------------------------------------------
  function openPicker(position) {
    picker.dataset.position = position;
    picker.hidden = false;
    picker.querySelector("input").focus();
  }

  function addStep(actionType) {
    var position = Number(picker.dataset.position), found = action(actionType);
    picker.hidden = true;
    var card = stepCard({ id: newStepId(actionType.split(".").pop()), actionType: actionType, provider: found ? found.provider.provider : null, input: {} });
    steps.insertBefore(card, steps.querySelectorAll("li.step")[position] || null);
    layout();
    changed();
    card.querySelector(".step-id").focus();
  }

  function buildPicker() {
    var linked = M.credentials.map(function (c) { return c.provider; });
    var sorted = M.providers.slice().sort(function (a, b) { return (linked.indexOf(b.provider) >= 0) - (linked.indexOf(a.provider) >= 0); });
    var custom = el("input", { placeholder: "custom.action_type", spellcheck: "false" }), add = el("button", { type: "button", text: "Add custom action" });
    add.addEventListener("click", function () { if (custom.value.trim()) { addStep(custom.value.trim()); custom.value = ""; } });
    var close = el("button", { type: "button", class: "small subtle picker-close", text: "Close" });
    close.addEventListener("click", function () { picker.hidden = true; });
    picker = el("div", { id: "wf-picker", class: "picker card", role: "dialog", "aria-label": "Pick an action", hidden: "" }, [
      el("div", { class: "step-head" }, [el("strong", { text: "Add a step" }), close]),
      el("div", { class: "inline-form" }, [field("Custom action type", custom, null, "recorded and decided by policies, never executed"), add])]);
    picker.addEventListener("keydown", function (e) { if (e.key === "Escape") { picker.hidden = true; } });
    sorted.forEach(function (p) {
      var isLinked = linked.indexOf(p.provider) >= 0, group = el("section", { class: "picker-group", "data-provider": p.provider }, [
        el("h3", {}, [p.displayName, " ", isLinked ? el("span", { class: "badge ok", text: "linked" })
          : el("a", { class: "link-hint", href: M.integrationsUrl, text: "link a credential" })])]);
      p.actions.forEach(function (a) {
        var b = el("button", { type: "button", class: "pick-action small", "data-action-type": a.actionType, title: a.description }, [el("code", { text: a.actionType })]);
        b.addEventListener("click", function () { addStep(a.actionType); });
        group.appendChild(b);
      });
      picker.appendChild(group);
    });
    return picker;
  }

  // ---- reading the form into a definition ---------------------------------------------------------
  function typed(control) {
    var v = control.value, kind = control.dataset.kind, t = v.trim();
    if (t === "") { return undefined; }
    if (kind === "number" && /^-?\d+(\.\d+)?$/.test(t)) { return Number(t); }
    if (kind === "boolean" && (t === "true" || t === "false")) { return t === "true"; }
    if ((kind === "array" || kind === "oneormany" || kind === "object") && /^[\[{]/.test(t)) {
      try { return JSON.parse(t); } catch (e) { return v; }
    }
    if (kind === "array" || (kind === "oneormany" && t.indexOf("\n") >= 0)) { return t.split("\n").map(function (s) { return s.trim(); }).filter(Boolean); }
    return kind === "number" || kind === "boolean" ? t : v;
  }

  function stepInput(li) {
    var custom = li.querySelector(".custom-input");
    if (custom) {
      try { return JSON.parse(custom.value || "{}"); } catch (e) { return { __invalid: e.message }; }
    }
    var input = {};
    li.querySelectorAll(".step-input [data-kind]").forEach(function (c) { var v = typed(c); if (v !== undefined) { input[c.dataset.name] = v; } });
    return input;
  }

  function collect() {
    var type = byId("wf-trigger").value, trigger = { type: type };
    if (type === "schedule") { trigger.cron = byId("wf-cron").value; trigger.timeZone = byId("wf-tz").value || "UTC"; }
    return {
      name: byId("wf-name").value, description: byId("wf-description").value || null, trigger: trigger,
      steps: Array.prototype.map.call(steps.querySelectorAll("li.step"), function (li) {
        var credential = li.querySelector("select[data-rel=credentialId]");
        return {
          id: li.querySelector(".step-id").value, name: li.querySelector(".step-name").value || null, actionType: li.dataset.actionType,
          provider: li.dataset.provider || null, credentialId: credential && credential.value ? credential.value : null,
          input: stepInput(li), when: li.querySelector(".step-when").value || null
        };
      })
    };
  }

  // ---- diagnostics --------------------------------------------------------------------------------
  function showDiagnostics(diagnostics) {
    root.querySelectorAll("[data-error-for]").forEach(function (s) { s.textContent = ""; });
    root.querySelectorAll("[aria-invalid=true]").forEach(function (c) { c.removeAttribute("aria-invalid"); });
    var rest = byId("wf-diagnostics");
    rest.textContent = "";
    diagnostics.forEach(function (d) {
      var text = (d.line > 0 ? "line " + d.line + ", column " + d.column + ": " : "") + d.message, path = d.field, target = null;
      // The deepest field shown on the page that holds the path: steps[0].input.metadata.key → steps[0].input.metadata → …
      while (path && !(target = root.querySelector('[data-error-for="' + path + '"]'))) {
        var up = path.replace(/(\.[^.\[]+|\[\d+\])$/, "");
        path = up === path ? "" : up;
      }
      if (!target) { rest.appendChild(el("li", { class: "diagnostic" }, [el("span", { class: "position", text: d.field || "workflow" }), " ", d.message])); return; }
      target.textContent = (target.textContent ? target.textContent + "; " : "") + text;
      var control = root.querySelector('[data-field="' + path + '"]');
      if (control) { control.setAttribute("aria-invalid", "true"); }
    });
  }

  function localProblems(definition) {
    var found = [];
    definition.steps.forEach(function (s, i) {
      if (s.input && s.input.__invalid) { found.push({ field: "steps[" + i + "].input", message: "is not a JSON object: " + s.input.__invalid, line: 0 }); s.input = {}; }
    });
    return found;
  }

  function fieldErrors(errors) {
    return Object.keys(errors || {}).map(function (f) { return { field: f, message: f + " " + errors[f].join("; "), line: 0 }; });
  }

  function check() {
    var seq = ++checkSeq, definition = collect(), local = localProblems(definition);
    window.portcullis.postJson("/dashboard/agents/" + encodeURIComponent(M.agentId) + "/workflows/check", definition).then(function (r) {
      if (seq !== checkSeq) { return; } // a newer edit has its own check in flight
      var diagnostics = local.concat(r.ok ? r.body.diagnostics : fieldErrors(r.body.errors));
      showDiagnostics(diagnostics);
      var save = byId("wf-save");
      if (save) { save.disabled = diagnostics.length > 0; }
      root.dataset.checked = String(seq);
    });
  }

  function changed() {
    dirty = true;
    clearTimeout(timer);
    timer = setTimeout(check, 250);
  }

  // ---- save, webhook URL, test run ----------------------------------------------------------------
  function status(text, css) { var s = byId("wf-status"); s.textContent = text; s.className = css || "muted"; }

  function save() {
    var definition = collect(), local = localProblems(definition);
    if (local.length) { showDiagnostics(local); return; }
    var url = workflowId ? "/dashboard/workflows/" + encodeURIComponent(workflowId) : "/dashboard/agents/" + encodeURIComponent(M.agentId) + "/workflows";
    status("Saving…");
    window.portcullis.postJson(url, definition).then(function (r) {
      if (!r.ok) {
        showDiagnostics(r.body.diagnostics || fieldErrors(r.body.errors));
        status("Not saved: " + (r.body.detail || "error " + r.status), "error-text");
        return;
      }
      workflowId = r.body.id;
      dirty = false;
      history.replaceState(null, "", "/agents/" + encodeURIComponent(M.agentId) + "/workflows/" + encodeURIComponent(workflowId));
      byId("workflow-title").textContent = r.body.name + " ";
      byId("workflow-title").appendChild(el("span", { class: "muted", id: "workflow-version", text: "v" + r.body.version }));
      status("Saved version " + r.body.version + ".", "ok-text");
      byId("wf-test").disabled = false;
      if (r.body.trigger.url) { byId("wf-webhook-url").value = r.body.trigger.url; byId("wf-webhook").hidden = false; }
    });
  }

  function pre(value) { return value === null || value === undefined ? "—" : el("pre", { text: JSON.stringify(value, null, 2) }); }

  function badge(decision) {
    var css = { allow: "badge ok", allow_with_alert: "badge warn", require_approval: "badge warn", block: "badge bad" }[decision] || "badge";
    return el("span", { class: css, text: decision.replace(/_/g, " ") });
  }

  function testRun() {
    var out = byId("wf-test-result"), input;
    try { input = JSON.parse(byId("wf-test-input").value || "{}"); } catch (e) { out.textContent = "The sample input is not JSON: " + e.message; return; }
    out.textContent = "Testing…";
    window.portcullis.postJson("/dashboard/workflows/" + encodeURIComponent(workflowId) + "/test-run", { input: input }).then(function (r) {
      out.textContent = "";
      if (!r.ok) { out.appendChild(el("p", { class: "alert error", text: "Test refused: " + (r.body.detail || "error " + r.status) })); return; }
      out.appendChild(el("p", { class: "muted", text: "Dry run of version " + r.body.version + ": nothing was recorded or sent. Outputs are the demo connector's, simulated." +
        (dirty ? " Unsaved changes are not in it." : "") }));
      var body = el("tbody");
      r.body.steps.forEach(function (s) {
        var outcome = s.skipped ? [el("span", { class: "badge", text: "skipped" })] : s.decision ? [badge(s.decision)] : [];
        if (s.reason) { outcome.push(el("p", { class: "muted", text: s.reason })); }
        if (s.matchedPolicies.length) { outcome.push(el("p", { class: "muted", text: "matched: " + s.matchedPolicies.map(function (m) { return m.name; }).join(", ") })); }
        if (s.error) { outcome.push(el("p", { class: "error-text", text: s.error.code + ": " + s.error.message })); }
        var output = s.output ? el("div", {}, [el("span", { class: "badge info", text: "simulated" }), pre(s.output)]) : "—";
        body.appendChild(el("tr", { "data-step-id": s.id }, [el("td", {}, [el("code", { text: s.id })]), el("td", { class: "outcome" }, outcome),
          el("td", {}, [pre(s.input)]), el("td", {}, [output])]));
      });
      out.appendChild(el("table", { class: "list" }, [el("thead", {}, [el("tr", {}, ["Step", "Decision", "Rendered input", "Output"].map(function (h) { return el("th", { text: h }); }))]), body]));
    });
  }

  // ---- {{ autocompletion --------------------------------------------------------------------------
  function variablesFor(control) {
    var card = control.closest("li.step"), names = [], sample = {};
    try { sample = JSON.parse(byId("wf-test-input").value || "{}"); } catch (e) { sample = {}; }
    Object.keys(sample || {}).forEach(function (k) { names.push("trigger.input." + k); });
    names.push("trigger.input.", "run.id", "agent.name", "workflow.id", "workflow.name");
    for (var li = card && card.previousElementSibling; li; li = li.previousElementSibling) {
      var id = li.classList.contains("step") ? li.querySelector(".step-id").value : null;
      if (id) { names.push("steps." + id + ".output.", "steps." + id + ".status"); }
    }
    return names;
  }

  function showSuggestions(control) {
    var match = TEMPLATE_TAIL.exec(control.value.slice(0, control.selectionStart));
    if (!match || !control.closest(".step-input")) { suggest.hidden = true; return; }
    var typedSoFar = match[1], options = variablesFor(control).filter(function (n) { return n.indexOf(typedSoFar) === 0 && n !== typedSoFar; });
    suggest.textContent = "";
    if (!options.length) { suggest.hidden = true; return; }
    options.forEach(function (name, i) {
      var li = el("li", { role: "option", class: i === 0 ? "active" : "", text: name });
      li.addEventListener("mousedown", function (e) { e.preventDefault(); complete(control, typedSoFar, name); });
      suggest.appendChild(li);
    });
    var box = control.getBoundingClientRect();
    suggest.style.left = (box.left + window.scrollX) + "px";
    suggest.style.top = (box.bottom + window.scrollY) + "px";
    suggest.hidden = false;
    suggest.control = control;
    suggest.typedSoFar = typedSoFar;
  }

  function complete(control, typedSoFar, name) {
    var at = control.selectionStart, before = control.value.slice(0, at - typedSoFar.length), after = control.value.slice(at);
    var insert = name + (/\.$/.test(name) || after.indexOf("}}") === 0 ? "" : "}}");
    control.value = before + insert + after;
    control.selectionStart = control.selectionEnd = before.length + insert.length;
    control.focus();
    suggest.hidden = true;
    changed();
    showSuggestions(control);
  }

  function onKey(e) {
    if (suggest.hidden || suggest.control !== e.target) { return; }
    var items = Array.prototype.slice.call(suggest.children), active = suggest.querySelector(".active"), i = items.indexOf(active);
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      e.preventDefault();
      active.classList.remove("active");
      items[(i + (e.key === "ArrowDown" ? 1 : items.length - 1)) % items.length].classList.add("active");
    } else if (e.key === "Enter" || e.key === "Tab") {
      e.preventDefault();
      complete(e.target, suggest.typedSoFar, active.textContent);
    } else if (e.key === "Escape") {
      suggest.hidden = true;
    }
  }

  // ---- the page -----------------------------------------------------------------------------------
  function header(w) {
    var name = el("input", { id: "wf-name", maxlength: 200, required: "" }), description = el("input", { id: "wf-description", maxlength: 2000 });
    name.value = w.name || "";
    description.value = w.description || "";
    var trigger = el("select", { id: "wf-trigger" }, ["api", "schedule", "webhook"].map(function (t) { return el("option", { value: t, text: t }); }));
    trigger.value = w.trigger ? w.trigger.type : "api";
    var cron = el("input", { id: "wf-cron", placeholder: "0 9 * * 1-5", spellcheck: "false" }), tz = el("input", { id: "wf-tz", placeholder: "Europe/Paris" });
    cron.value = (w.trigger && w.trigger.cron) || "";
    tz.value = (w.trigger && w.trigger.timeZone) || "UTC";
    var schedule = el("div", { class: "grid schedule" }, [field("Cron (five fields)", cron, null, null, "trigger.cron"),
      field("Time zone", tz, null, "IANA", "trigger.timeZone")]);
    var hint = el("p", { class: "hint webhook-hint", text: "A secret URL is made when you save; it is shown once. POST JSON to it: the body becomes trigger.input." });
    var sync = function () { schedule.hidden = trigger.value !== "schedule"; hint.hidden = trigger.value !== "webhook"; };
    trigger.addEventListener("change", sync);
    sync();
    return [el("div", { class: "grid" }, [field("Name", name, null, null, "name"), field("Description", description, null, "optional", "description")]),
      el("fieldset", { class: "trigger" }, [el("legend", { text: "Trigger" }), field("Type", trigger, null, "api also covers Run now", "trigger.type"), schedule, hint])];
  }

  function build() {
    var w = M.workflow || { name: "", trigger: { type: "api" }, steps: [] };
    workflowId = M.workflowId;
    steps = el("ol", { id: "wf-steps", class: "wf-steps" });
    var saveButton = M.canEdit ? el("button", { type: "button", id: "wf-save", class: "primary", text: workflowId ? "Save new version" : "Create workflow" }) : null;
    var testButton = el("button", { type: "button", id: "wf-test", text: "Test run" });
    testButton.disabled = !workflowId;
    var form = el("form", { id: "wf-form", class: "wf-form", autocomplete: "off" }, header(w).concat([
      el("h2", { text: "Steps" }), steps, el("ol", { id: "wf-diagnostics", class: "diagnostics", "aria-live": "polite" }),
      el("div", { class: "actions" }, [saveButton, " ", el("span", { id: "wf-status", role: "status" })]),
      el("div", { id: "wf-webhook", class: "alert ok", hidden: "" }, [el("p", { text: "Webhook URL — copy it now: it is shown this once." }),
        el("input", { id: "wf-webhook-url", readonly: "", spellcheck: "false", "aria-label": "Webhook URL" })]),
      el("section", { class: "test-run" }, [el("h2", { text: "Test run" }),
        el("p", { class: "muted", text: "Replays the saved workflow on sample input as a dry run: each step's rendered input and policy decision; nothing is executed or recorded." }),
        field("Sample input (JSON, read as trigger.input)", el("textarea", { id: "wf-test-input", rows: 4, spellcheck: "false" }), null), testButton,
        el("div", { id: "wf-test-result", "aria-live": "polite" })])]));
    form.querySelector("#wf-test-input").value = "{}";
    root.appendChild(form);
    root.appendChild(buildPicker());
    suggest = el("ul", { class: "suggest", role: "listbox", hidden: "" });
    document.body.appendChild(suggest);
    w.steps.forEach(function (s) { steps.appendChild(stepCard(s)); });
    layout();
    if (!M.canEdit) { form.querySelectorAll("#wf-steps input, #wf-steps textarea, #wf-steps select, .grid input, #wf-trigger").forEach(function (c) { c.disabled = true; }); }
    form.addEventListener("input", function (e) { if (e.target.id !== "wf-test-input") { changed(); } showSuggestions(e.target); });
    form.addEventListener("change", function (e) { if (e.target.tagName === "SELECT") { changed(); } });
    form.addEventListener("keydown", onKey);
    // Leaving a field closes its suggestions, unless focus went (back) to the field they belong to.
    form.addEventListener("focusout", function () { setTimeout(function () { if (document.activeElement !== suggest.control) { suggest.hidden = true; } }, 150); });
    if (saveButton) { saveButton.addEventListener("click", save); }
    testButton.addEventListener("click", testRun);
    if (w.steps.length) { check(); }
  }

  document.addEventListener("DOMContentLoaded", function () {
    root = byId("workflow-editor");
    if (!root) { return; }
    M = JSON.parse(root.dataset.model);
    build();
  });
})();
