// Policy editor: checks the condition as it is typed (the API's own check, through the dashboard's
// cookie endpoint), marks each diagnostic at its line and column, keeps Save disabled while the
// condition is invalid, and simulates the draft against recorded requests.
(function () {
  "use strict";

  var form, area, marks, list, save, checkSeq = 0, timer = null, valid = true;

  function escapeHtml(text) {
    return text.replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  // Offset in the text of a 1-based line and column (UTF-16 units, as the server counts).
  function offsetOf(text, line, column) {
    var offset = 0;
    for (var l = 1; l < line; l++) {
      var nl = text.indexOf("\n", offset);
      if (nl < 0) { return text.length; }
      offset = nl + 1;
    }
    return Math.min(text.length, offset + column - 1);
  }

  function renderMarks(text, diagnostics) {
    var spans = diagnostics.filter(function (d) { return d.line > 0; }).map(function (d) {
      var start = offsetOf(text, d.line, d.column);
      return { start: start, end: Math.min(text.length, start + Math.max(1, d.length)) };
    }).sort(function (a, b) { return a.start - b.start; });
    var html = "", at = 0;
    spans.forEach(function (s) {
      if (s.start < at) { return; }
      html += escapeHtml(text.slice(at, s.start));
      // A span past the end (a missing token) still needs something visible to mark.
      html += "<mark>" + (s.end > s.start ? escapeHtml(text.slice(s.start, s.end)) : " ") + "</mark>";
      at = Math.max(s.end, s.start);
    });
    marks.innerHTML = html + escapeHtml(text.slice(at)) + "\n";
    syncScroll();
  }

  function renderList(diagnostics) {
    list.textContent = "";
    diagnostics.forEach(function (d) {
      var li = el("li", "diagnostic");
      li.dataset.line = d.line;
      li.dataset.column = d.column;
      li.appendChild(el("span", "position", d.line > 0 ? "line " + d.line + ", column " + d.column : "policy"));
      li.appendChild(document.createTextNode(" "));
      li.appendChild(el("span", "message", d.message));
      if (d.excerpt) { li.appendChild(el("pre", "excerpt", d.excerpt)); }
      list.appendChild(li);
    });
  }

  function setValid(isValid) {
    valid = isValid;
    area.setAttribute("aria-invalid", isValid ? "false" : "true");
    if (save) { save.disabled = !isValid; }
  }

  function check() {
    var text = area.value, seq = ++checkSeq;
    if (!text.trim()) { renderList([]); renderMarks(text, []); setValid(false); return; }
    window.portcullis.postJson("/dashboard/policies/check", { condition: text }).then(function (r) {
      if (seq !== checkSeq) { return; } // a newer keystroke has its own check in flight
      var diagnostics = r.ok ? r.body.diagnostics : [];
      renderList(diagnostics);
      renderMarks(text, diagnostics);
      setValid(r.ok && r.body.valid);
    });
  }

  function syncScroll() {
    marks.parentElement.scrollTop = area.scrollTop;
    marks.parentElement.scrollLeft = area.scrollLeft;
  }

  function draft() {
    var data = new FormData(form);
    var policy = {
      name: data.get("name") || "draft", condition: data.get("condition") || "", decision: data.get("decision"),
      reason: data.get("reason") || null, enabled: data.get("enabled") === "true", agentIds: data.getAll("agentIds")
    };
    var priority = Number(data.get("priority")), approvals = Number(data.get("approvalsRequired"));
    if (data.get("priority") && Number.isInteger(priority)) { policy.priority = priority; }
    if (data.get("approvalsRequired") && Number.isInteger(approvals)) { policy.approvalsRequired = approvals; }
    if (form.dataset.policyId) { policy.id = form.dataset.policyId; }
    return policy;
  }

  function badge(decision) {
    var css = { allow: "badge ok", allow_with_alert: "badge warn", require_approval: "badge warn", block: "badge bad" }[decision] || "badge";
    return el("span", css, decision.replace(/_/g, " "));
  }

  function simulate() {
    var out = document.getElementById("simulation");
    out.hidden = false;
    out.textContent = "Simulating…";
    window.portcullis.postJson("/dashboard/policies/simulate", { policies: [draft()], mode: "merge" }).then(function (r) {
      out.textContent = "";
      if (!r.ok) {
        out.appendChild(el("p", "alert error", "Simulation refused: " + (r.body.detail || "error " + r.status)));
        return;
      }
      out.appendChild(el("h2", "", "Simulation"));
      out.appendChild(el("p", "", "Replayed " + r.body.evaluated + " recorded request(s) from the last 7 days: " +
        r.body.changed + " decision(s) would change with this draft."));
      if (!r.body.changes.length) { return; }
      var table = el("table", "list"), head = el("tr");
      ["Request", "Action", "When (UTC)", "Now", "With draft"].forEach(function (h) { head.appendChild(el("th", "", h)); });
      table.appendChild(el("thead")).appendChild(head);
      var body = table.appendChild(el("tbody"));
      r.body.changes.forEach(function (c) {
        var tr = el("tr"), link = el("a", "", c.actionRequestId), cells = [];
        link.href = "/runs/" + encodeURIComponent(c.runId);
        cells.push(link, el("code", "", c.actionType), document.createTextNode(c.createdAt.replace("T", " ").slice(0, 19)),
          badge(c.current.decision), badge(c.draft.decision));
        cells.forEach(function (content) { tr.appendChild(el("td")).appendChild(content); });
        body.appendChild(tr);
      });
      out.appendChild(table);
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    form = document.getElementById("policy-form");
    area = document.getElementById("condition");
    marks = document.getElementById("condition-marks");
    list = document.getElementById("diagnostics");
    save = document.getElementById("save");
    if (!form || !area) { return; }
    area.addEventListener("input", function () {
      renderMarks(area.value, []);
      clearTimeout(timer);
      timer = setTimeout(check, 200);
    });
    area.addEventListener("scroll", syncScroll);
    form.addEventListener("submit", function (e) {
      if (!valid && e.submitter && e.submitter.id === "save") { e.preventDefault(); }
    });
    document.getElementById("simulate").addEventListener("click", simulate);
    check();
  });
})();
