// The meeting desk's small helpers (policies/admin/desk.py). The page works without them: every change is a
// plain form. Drag and drop only fills and submits the reorder form; "All present" only ticks the radios; the
// live quorum counts the ticked rows with the numbers the server put on the sheet (members, required, whether
// delegates count), the rule of policies.queries.meetings.quorum_status.
(function () {
  "use strict";

  function sortableAgenda(list) {
    var form = document.getElementById("agenda-reorder");
    if (!list || !form) return;
    var dragged = null;
    list.addEventListener("dragstart", function (event) {
      dragged = event.target.closest(".agenda-item");
      if (!dragged) return;
      dragged.classList.add("dragging");
      event.dataTransfer.effectAllowed = "move";
      event.dataTransfer.setData("text/plain", dragged.dataset.itemId);
    });
    list.addEventListener("dragover", function (event) {
      if (!dragged) return;
      event.preventDefault();
      var over = event.target.closest(".agenda-item");
      if (!over || over === dragged) return;
      var box = over.getBoundingClientRect();
      var after = event.clientY > box.top + box.height / 2;
      list.insertBefore(dragged, after ? over.nextSibling : over);
    });
    list.addEventListener("drop", function (event) {
      event.preventDefault();
    });
    list.addEventListener("dragend", function () {
      if (!dragged) return;
      dragged.classList.remove("dragging");
      dragged = null;
      var ids = Array.prototype.map.call(list.querySelectorAll(".agenda-item"), function (item) {
        return item.dataset.itemId;
      });
      var current = Array.prototype.map.call(form.querySelectorAll("input[name=item]"), function (input) {
        return input.value;
      });
      if (ids.join(",") === current.join(",")) return;
      form.querySelectorAll("input[name=item]").forEach(function (input) { input.remove(); });
      ids.forEach(function (id) {
        var input = document.createElement("input");
        input.type = "hidden";
        input.name = "item";
        input.value = id;
        form.appendChild(input);
      });
      list.classList.add("saving");
      form.submit();
    });
  }

  function format(template, values) {
    return template.replace(/%\((\w+)\)s/g, function (_, name) { return values[name]; });
  }

  function attendanceSheet(sheet) {
    if (!sheet) return;
    var live = document.getElementById("quorum-live");
    var members = Number(sheet.dataset.members);
    var required = Number(sheet.dataset.required);
    var delegatesCount = sheet.dataset.delegatesCount === "true";

    function update() {
      var attending = 0;
      sheet.querySelectorAll(".attendance-row").forEach(function (row) {
        var checked = row.querySelector("input.attendance-status:checked");
        var delegate = row.querySelector("input.attendance-delegate");
        var status = checked ? checked.value : "";
        if (delegate) delegate.disabled = status !== "represented";
        if (status === "present" || (status === "represented" && delegatesCount)) attending += 1;
      });
      var template = attending >= required ? sheet.dataset.textReached : sheet.dataset.textMissing;
      live.textContent = format(template, { attending: attending, members: members, required: required });
      live.classList.toggle("quorum-reached", attending >= required);
    }

    sheet.addEventListener("change", update);
    var allPresent = document.getElementById("all-present");
    if (allPresent) {
      allPresent.addEventListener("click", function (event) {
        event.preventDefault();
        sheet.querySelectorAll("input.attendance-status[value=present]").forEach(function (radio) {
          radio.checked = true;
        });
        update();
      });
    }
    update();
  }

  document.addEventListener("DOMContentLoaded", function () {
    sortableAgenda(document.querySelector("#agenda-list[data-sortable]"));
    attendanceSheet(document.getElementById("attendance-sheet"));
  });
})();
