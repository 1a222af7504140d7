// Every page with a refused form: the error summary takes focus when the
// page loads, and its links move focus to the field they name; each field
// with an error is marked for assistive technology. The pages work without
// this script (the supplier's sections mark their fields on the server).
(function () {
  "use strict";
  // The menu button folds the menu on a narrow screen (the style sheet
  // shows the button only there); without script the menu stays open.
  var toggle = document.querySelector(".menu-toggle"), nav = document.getElementById("main-nav");
  if (toggle && nav) {
    toggle.hidden = false;
    toggle.setAttribute("aria-expanded", "false");
    nav.classList.add("folded");
    toggle.addEventListener("click", function () {
      var open = nav.classList.toggle("folded") === false;
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
    });
  }
})();
(function () {
  "use strict";
  var summary = document.querySelector(".error-summary");
  if (!summary) return;
  if (!summary.hasAttribute("tabindex")) summary.setAttribute("tabindex", "-1");
  summary.focus();
  summary.addEventListener("click", function (e) {
    var a = e.target.closest("a[href^='#']");
    var target = a && document.getElementById(a.getAttribute("href").slice(1));
    if (!target) return;
    var field = target.matches("input, select, textarea") ? target
      : (target.closest(".field, fieldset") || target).querySelector("input:not([type=hidden]), select, textarea");
    if (!field) return;
    e.preventDefault();
    (field.closest(".field, fieldset") || field).scrollIntoView();
    field.focus({ preventScroll: true });
  });
  document.querySelectorAll(".field .field-error").forEach(function (p, i) {
    var field = p.closest(".field").querySelector("input:not([type=hidden]), select, textarea");
    if (!field || field.hasAttribute("aria-invalid")) return;
    if (!p.id) p.id = "field-error-" + i;
    field.setAttribute("aria-invalid", "true");
    var by = field.getAttribute("aria-describedby");
    field.setAttribute("aria-describedby", by ? by + " " + p.id : p.id);
  });
})();
(function () {
  "use strict";
  // A form marked data-keep (the plan) is saved a moment after typing
  // stops, as its save button would (data-autosave names the button's
  // value), and warns before the page is left with text not yet saved.
  document.querySelectorAll("form[data-keep]").forEach(function (form) {
    var dirty = false, timer = null, status = form.querySelector("[data-autosave-status]");
    function save() {
      var body = new FormData(form);
      body.set("do", form.dataset.autosave);
      var sent = dirty;
      dirty = false;
      fetch(form.action, { method: "POST", body: body, redirect: "manual", credentials: "same-origin" }).then(function (res) {
        if (res.type === "opaqueredirect" || res.ok) { // saved: the answer is the page to go to
          if (status) status.textContent = status.dataset.saved + " " + new Date().toLocaleTimeString(document.documentElement.lang, { hour: "2-digit", minute: "2-digit" });
        } else {
          dirty = dirty || sent;
          if (status) status.textContent = status.dataset.failed;
        }
      }, function () { dirty = dirty || sent; if (status) status.textContent = status.dataset.failed; });
    }
    form.addEventListener("input", function () {
      dirty = true;
      if (form.dataset.autosave) { clearTimeout(timer); timer = setTimeout(save, 1500); }
    });
    form.addEventListener("submit", function () { dirty = false; clearTimeout(timer); });
    window.addEventListener("beforeunload", function (e) {
      if (dirty) { e.preventDefault(); e.returnValue = ""; }
    });
  });
})();
(function () {
  "use strict";
  // On a narrow screen the sections are one line to scroll: show the current one.
  var current = document.querySelector("ol.steps .current");
  var steps = current && current.parentElement;
  if (steps && steps.scrollWidth > steps.clientWidth) {
    steps.scrollLeft = current.offsetLeft - steps.offsetLeft - 16;
  }
})();
(function () {
  "use strict";
  // A long list to pick from (every country): a filter field shows the
  // names that match, under letters opened for them; a name ticked moves
  // to the chosen ones on top. Without script the letters open by hand.
  function fold(s) { return s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase().trim(); }
  document.querySelectorAll("[data-picker]").forEach(function (picker) {
    var filter = picker.querySelector(".pick-filter"), input = filter.querySelector("input");
    var count = filter.querySelector("[role=status]"), fs = picker.previousElementSibling;
    var chips = fs.querySelector("[data-chips]"), none = fs.querySelector("[data-none]");
    var groups = picker.querySelectorAll("details.pick-group");
    filter.hidden = false;
    input.addEventListener("input", function () {
      var term = fold(input.value), n = 0;
      picker.classList.toggle("filtering", term !== "");
      groups.forEach(function (g) {
        var any = false;
        g.querySelectorAll("label").forEach(function (l) {
          var show = term === "" || fold(l.textContent).indexOf(term) >= 0;
          l.hidden = !show;
          if (show && term !== "") { any = true; n++; }
        });
        g.open = any;
        g.hidden = term !== "" && !any;
      });
      count.textContent = term === "" ? "" : (n === 1 ? picker.dataset.foundOne : picker.dataset.foundMany).replace("%d", n);
    });
    picker.addEventListener("change", function (e) {
      var box = e.target;
      if (box.type !== "checkbox" || !box.checked) return;
      var li = document.createElement("li");
      var label = box.closest("label");
      label.classList.add("chip");
      li.appendChild(label);
      chips.appendChild(li);
      if (none) none.hidden = true;
      box.focus();
    });
  });
})();
(function () {
  "use strict";
  // On a phone the list's filters fold away, so the list comes first; the
  // page works open without script.
  if (!window.matchMedia("(max-width: 40rem)").matches) return;
  document.querySelectorAll("details[data-fold-narrow]").forEach(function (d) { d.open = false; });
})();
(function () {
  "use strict";
  // A deviation remedied by another's action needs nothing more: its own
  // action's fields step aside. Without script they stay, and are ignored.
  document.querySelectorAll("select[data-same-as]").forEach(function (sel) {
    var own = sel.closest("fieldset.deviation").querySelector(".own-action");
    if (!own) return;
    var toggle = function () { own.hidden = sel.value !== ""; };
    sel.addEventListener("change", toggle);
    toggle();
  });
})();
