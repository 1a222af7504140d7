// The supplier's section page works without this script. With it, questions
// appear as soon as the answer that shows them is chosen, and answers are
// saved a moment after the supplier stops typing. A save refused because the
// answers changed elsewhere stops autosaving and says so; nothing typed is
// thrown away.
(function () {
  "use strict";
  var form = document.querySelector("form[data-autosave]");
  if (!form) return;
  var status = document.getElementById("autosave-status");
  var version = form.querySelector('input[name="version"]');
  var timer = null, stopped = false, saving = false, again = false;

  function chosen(qid) {
    var out = [];
    form.querySelectorAll('[name="a.' + qid + '"]').forEach(function (el) {
      if ((el.type === "radio" || el.type === "checkbox") && el.checked && !el.disabled) out.push(el.value);
    });
    return out;
  }

  // Evaluate show-if in page order, so a question hidden in turn hides its dependants.
  function showIf() {
    form.querySelectorAll("fieldset[data-show-if]").forEach(function (fs) {
      var spec = fs.getAttribute("data-show-if").split(":");
      var dep = document.getElementById("q-" + spec[0]);
      var options = spec[1].split(",");
      var show = !!dep && !dep.hidden && chosen(spec[0]).some(function (v) { return options.indexOf(v) >= 0; });
      fs.hidden = !show;
      fs.disabled = !show;
    });
  }

  function answers() {
    var out = {};
    form.querySelectorAll("fieldset.question:not([disabled])").forEach(function (fs) {
      var qid = fs.id.slice(2), type = fs.getAttribute("data-type");
      if (type === "file") return;
      var entry = {};
      var comment = form.querySelector('[name="c.' + qid + '"]');
      if (comment) entry.comment = comment.value;
      if (type === "multi") {
        entry.value = chosen(qid);
      } else if (type === "yes_no" || type === "single") {
        var v = chosen(qid);
        entry.value = v.length ? v[0] : null;
      } else {
        var el = form.querySelector('[name="a.' + qid + '"]');
        entry.value = el && el.value !== "" ? el.value : null;
      }
      out[qid] = entry;
    });
    return out;
  }

  function say(text) { status.textContent = text; }

  function save() {
    if (stopped) return;
    if (saving) { again = true; return; }
    saving = true;
    var body = JSON.stringify({ version: Number(version.value), answers: answers() });
    fetch(form.getAttribute("data-autosave"), {
      method: "PUT", headers: { "Content-Type": "application/json", "Accept-Language": document.documentElement.lang },
      body: body, credentials: "same-origin"
    }).then(function (r) {
      return r.json().then(function (data) { return { ok: r.ok, status: r.status, data: data }; });
    }).then(function (res) {
      if (res.ok) {
        version.value = res.data.version;
        say(status.getAttribute("data-saved") + " " + new Date().toLocaleTimeString(document.documentElement.lang));
        return;
      }
      say(status.getAttribute("data-failed") + " " + (res.data.detail || res.status));
      if (res.status === 409) stopped = true; // the Save button then shows the page with what was typed kept
    }).catch(function () {
      say(status.getAttribute("data-failed"));
    }).then(function () {
      saving = false;
      if (again) { again = false; save(); }
    });
  }

  function later() {
    clearTimeout(timer);
    timer = setTimeout(save, 1200);
  }

  form.addEventListener("change", function () { showIf(); later(); });
  form.addEventListener("input", later);
  showIf();
})();
