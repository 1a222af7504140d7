// The supplier's section page works without this script. With it, questions
// appear as soon as the answer that shows them is chosen, answers are saved a
// moment after the supplier stops typing, and nothing typed is lost on the
// way out: a save only sends the answers changed since the page showed them
// (each with the revision it was read at), leaving by a link saves first, and
// the browser warns before closing a page with unsaved changes.
(function () {
  "use strict";
  var form = document.querySelector("form[data-autosave]");
  if (!form) return;
  var status = document.getElementById("autosave-status");
  var version = form.querySelector('input[name="version"]');
  var timer = null, stopped = false, saving = null, again = false, leaving = false;

  function field(name) { return form.querySelector('[name="' + name + '"]'); }

  function chosen(qid) {
    var out = [];
    form.querySelectorAll('[name="a.' + qid + '"]').forEach(function (el) {
      if ((el.type === "radio" || el.type === "checkbox") && el.checked && !el.disabled) out.push(el.value);
      if (el.tagName === "SELECT" && !el.disabled) {
        Array.prototype.forEach.call(el.selectedOptions, function (o) { out.push(o.value); });
      }
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

  function norm(s) { return s.replace(/\r\n/g, "\n").trim(); }

  // One question's answer as a comparable string, made as the server makes it.
  function value(fs) {
    var qid = fs.id.slice(2), type = fs.getAttribute("data-type"), vals = [];
    if (type === "yes_no" || type === "single" || type === "multi") {
      vals = chosen(qid);
    } else if (type !== "file") {
      var el = field("a." + qid);
      vals = el ? [el.value] : [];
    }
    vals = vals.map(norm).filter(function (v) { return v !== ""; });
    if (type === "multi") vals.sort();
    var c = field("c." + qid), k = field("k." + qid), confirm = !!(k && k.checked);
    return { qid: qid, type: type, vals: vals, comment: c ? c.value : "", confirm: confirm,
      canon: vals.join("\u001f") + "\u001e" + norm(c ? c.value : "") + (confirm ? "\u001d" : "") };
  }

  // changed lists the shown questions whose answer differs from the one saved.
  function changed() {
    var out = [];
    form.querySelectorAll("fieldset.question:not([disabled])").forEach(function (fs) {
      var v = value(fs), orig = field("o." + v.qid);
      if (orig && orig.value !== v.canon) out.push(v);
    });
    return out;
  }

  function say(text) { if (status) status.textContent = text; }

  // save sends what changed; it resolves true when everything is saved.
  function save() {
    clearTimeout(timer);
    if (stopped) return Promise.resolve(false);
    if (saving) { again = true; return saving; }
    var list = changed();
    if (!list.length) return Promise.resolve(true);
    var answers = {};
    list.forEach(function (v) {
      var entry = { comment: v.comment, base: Number(field("r." + v.qid).value) };
      if (v.confirm) entry.confirm = true; // a carried answer that still holds
      if (v.type === "multi") entry.value = v.vals;
      else if (v.type !== "file") entry.value = v.vals.length ? v.vals[0] : null;
      answers[v.qid] = entry;
    });
    saving = fetch(form.getAttribute("data-autosave"), {
      method: "PUT", headers: { "Content-Type": "application/json", "Accept-Language": document.documentElement.lang },
      body: JSON.stringify({ version: Number(version.value), answers: answers }), credentials: "same-origin"
    }).then(function (r) {
      return r.json().then(function (data) { return { ok: r.ok, status: r.status, data: data }; });
    }).then(function (res) {
      if (res.ok) {
        version.value = res.data.version;
        list.forEach(function (v) {
          field("o." + v.qid).value = v.canon;
          if (res.data.revs && res.data.revs[v.qid] !== undefined) field("r." + v.qid).value = res.data.revs[v.qid];
        });
        say(status.getAttribute("data-saved") + " " + new Date().toLocaleTimeString(document.documentElement.lang, { hour: "2-digit", minute: "2-digit" }));
        return true;
      }
      if (res.status === 409) {
        stopped = true; // the Save button then shows both answers side by side
        say(status.getAttribute("data-conflict"));
      } else {
        say(status.getAttribute("data-failed") + " " + (res.data.detail || res.status));
      }
      return false;
    }).catch(function () {
      say(status.getAttribute("data-failed"));
      return false;
    }).then(function (ok) {
      saving = null;
      if (again) { again = false; return save(); }
      return ok;
    });
    return saving;
  }

  function later() {
    clearTimeout(timer);
    if (!stopped && changed().length) say(status.getAttribute("data-unsaved"));
    timer = setTimeout(save, 1200);
  }

  form.addEventListener("change", function () { showIf(); later(); });
  form.addEventListener("input", later);

  // A form post carries every answer; let a save under way finish first, so
  // the post is based on what it saved.
  form.addEventListener("submit", function (e) {
    clearTimeout(timer);
    if (saving) {
      e.preventDefault();
      var by = e.submitter;
      saving.then(function () { leaving = true; form.requestSubmit(by); });
      return;
    }
    leaving = true;
  });

  // Leaving by a link saves first; if that fails the browser asks.
  document.addEventListener("click", function (e) {
    var a = e.target.closest("a[href]");
    if (!a || a.hasAttribute("download") || a.target || a.origin !== location.origin || a.getAttribute("href").charAt(0) === "#") return;
    if (!changed().length && !saving) return;
    e.preventDefault();
    save().then(function (ok) {
      if (ok) leaving = true;
      location.href = a.href;
    });
  });

  window.addEventListener("beforeunload", function (e) {
    if (leaving || stopped && !changed().length) return;
    if (changed().length || saving) {
      e.preventDefault();
      e.returnValue = "";
    }
  });
  showIf();
})();
