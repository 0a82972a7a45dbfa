/* nianbao reviewers' app: small progressive enhancements; every page also works without script. */
(function () {
  "use strict";
  var csrf = function () {
    var el = document.querySelector("input[name=csrf_token]");
    return el ? el.value : "";
  };

  /* ---- sortable and filterable tables */
  function cellValue(row, idx, kind) {
    var cell = row.cells[idx];
    if (!cell) return "";
    var v = cell.getAttribute("data-sort-value");
    if (v === null) v = cell.textContent.trim();
    if (kind === "num") { var n = parseFloat(v.replace(/[,，]/g, "")); return isNaN(n) ? -Infinity : n; }
    return v;
  }
  document.querySelectorAll("table.sortable").forEach(function (table) {
    table.querySelectorAll("thead th[data-sort]").forEach(function (th) {
      th.addEventListener("click", function () {
        var idx = Array.prototype.indexOf.call(th.parentNode.children, th);
        var kind = th.getAttribute("data-sort");
        var asc = !th.classList.contains("asc");
        table.querySelectorAll("thead th").forEach(function (o) { o.classList.remove("asc", "desc"); });
        th.classList.add(asc ? "asc" : "desc");
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var x = cellValue(a, idx, kind), y = cellValue(b, idx, kind);
          var r = kind === "num" ? x - y : String(x).localeCompare(String(y), "zh-CN");
          return asc ? r : -r;
        });
        rows.forEach(function (r) { body.appendChild(r); });
      });
    });
  });
  function applyFilters(tableId) {
    var table = document.getElementById(tableId);
    if (!table) return;
    var text = document.querySelector("[data-filter-table='" + tableId + "']");
    var status = document.querySelector("[data-filter-status='" + tableId + "']");
    var q = text ? text.value.trim().toLowerCase() : "";
    var s = status ? status.value : "";
    Array.prototype.forEach.call(table.tBodies[0].rows, function (row) {
      var ok = !q || row.textContent.toLowerCase().indexOf(q) >= 0;
      if (ok && s === "findings") ok = parseInt(row.getAttribute("data-findings") || "0", 10) > 0;
      else if (ok && s) ok = row.getAttribute("data-status") === s;
      row.classList.toggle("hidden", !ok);
    });
  }
  document.querySelectorAll("[data-filter-table],[data-filter-status]").forEach(function (el) {
    var id = el.getAttribute("data-filter-table") || el.getAttribute("data-filter-status");
    el.addEventListener("input", function () { applyFilters(id); });
    el.addEventListener("change", function () { applyFilters(id); });
  });

  /* ---- confirmation before destructive forms */
  document.querySelectorAll("form[data-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (e) {
      if (!window.confirm(form.getAttribute("data-confirm"))) e.preventDefault();
    });
  });

  /* ---- upload with a progress bar and limits checked before sending */
  var form = document.getElementById("upload-form");
  if (form) {
    var errorBox = document.getElementById("upload-error");
    var bar = document.getElementById("upload-progress");
    var showError = function (msg) { errorBox.textContent = msg; errorBox.classList.remove("hidden"); };
    form.addEventListener("submit", function (e) {
      var files = document.getElementById("upload-files").files;
      var maxFile = parseInt(form.getAttribute("data-max-file"), 10);
      var maxFiles = parseInt(form.getAttribute("data-max-files"), 10);
      var maxTotal = parseInt(form.getAttribute("data-max-total"), 10);
      var total = 0, i;
      if (!files.length) { e.preventDefault(); showError("请选择至少一个文件。"); return; }
      if (files.length > maxFiles) { e.preventDefault(); showError("文件数量超过上限（每次最多 " + maxFiles + " 个）。"); return; }
      for (i = 0; i < files.length; i++) {
        total += files[i].size;
        if (files[i].size > maxFile) { e.preventDefault(); showError("文件“" + files[i].name + "”过大（上限 " + Math.round(maxFile / 1048576) + " MB）。"); return; }
      }
      if (total > maxTotal) { e.preventDefault(); showError("上传内容合计过大（上限 " + Math.round(maxTotal / 1048576) + " MB）。"); return; }
      e.preventDefault();
      var xhr = new XMLHttpRequest();
      xhr.open("POST", form.action);
      xhr.setRequestHeader("X-CSRF-Token", csrf());
      xhr.setRequestHeader("Accept", "application/json");
      bar.classList.remove("hidden");
      xhr.upload.onprogress = function (ev) { if (ev.lengthComputable) bar.value = Math.round(100 * ev.loaded / ev.total); };
      xhr.onload = function () {
        var data = {};
        try { data = JSON.parse(xhr.responseText); } catch (err) { data = {}; }
        if (xhr.status === 200 && data.url) { window.location.href = data.url; return; }
        bar.classList.add("hidden");
        showError(data.detail || ("上传失败（HTTP " + xhr.status + "）。"));
      };
      xhr.onerror = function () { bar.classList.add("hidden"); showError("上传失败：无法连接服务器。"); };
      xhr.send(new FormData(form));
    });
  }

  /* ---- batch progress: poll until every file is processed, then show the full results */
  var batch = document.getElementById("batch");
  if (batch && batch.getAttribute("data-finished") !== "true") {
    var url = batch.getAttribute("data-status-url");
    var poll = function () {
      fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (r) { return r.json(); })
        .then(function (d) {
          document.getElementById("batch-progress").value = d.done;
          document.getElementById("batch-progress-text").textContent =
            "已处理 " + d.done + " / " + d.total + " 个文件" + (d.finished ? "，全部完成。" : "，正在处理……");
          if (d.finished) { window.location.reload(); } else { window.setTimeout(poll, 800); }
        })
        .catch(function () { window.setTimeout(poll, 2000); });
    };
    window.setTimeout(poll, 500);
  }

  /* ---- report page: click a value → its findings and where it came from */
  var panel = document.getElementById("cell-panel");
  if (panel) {
    var reportId = panel.getAttribute("data-report");
    var findingRows = document.querySelectorAll("#findings-table tbody tr.finding");
    var loadInto = function (url) {
      var src = document.getElementById("cell-panel-source");
      src.textContent = "正在载入来源……";
      fetch(url, { credentials: "same-origin" })
        .then(function (r) { return r.text(); })
        .then(function (html) {
          /* The fragment is rendered by the server with autoescape: report text arrives escaped. */
          var doc = new DOMParser().parseFromString(html, "text/html");
          src.textContent = "";
          Array.prototype.forEach.call(doc.body.childNodes, function (n) { src.appendChild(document.importNode(n, true)); });
        })
        .catch(function () { src.textContent = "无法载入来源。"; });
    };
    var open = function (td) {
      document.querySelectorAll("td.val.selected").forEach(function (x) { x.classList.remove("selected"); });
      td.classList.add("selected");
      var ref = td.getAttribute("data-ref");
      panel.classList.remove("hidden");
      document.getElementById("cell-panel-title").textContent = "单元格详情";
      var box = document.getElementById("cell-panel-findings");
      box.textContent = "";
      (td.getAttribute("data-findings") || "").split(",").filter(Boolean).forEach(function (i) {
        var tr = null;
        findingRows.forEach(function (r) { if (r.getAttribute("data-index") === i) tr = r; });
        if (!tr) return;
        var item = document.createElement("div");
        item.className = "finding-item sev-" + tr.getAttribute("data-severity");
        var rule = document.createElement("code");
        rule.textContent = tr.cells[1].querySelector("code").textContent;
        var msg = document.createElement("div");
        msg.textContent = tr.querySelector(".message .msg-text").textContent;
        var state = document.createElement("div");
        state.className = "muted";
        state.textContent = "审核：" + tr.querySelector(".decision-state").textContent;
        var link = document.createElement("a");
        link.href = "#" + tr.id;
        link.textContent = "在列表中查看";
        item.appendChild(rule); item.appendChild(msg); item.appendChild(state); item.appendChild(link);
        box.appendChild(item);
      });
      loadInto("/reports/" + reportId + "/source?ref=" + encodeURIComponent(ref));
    };
    document.querySelectorAll("td.val.clickable").forEach(function (td) {
      td.addEventListener("click", function () { open(td); });
      td.addEventListener("keydown", function (e) { if (e.key === "Enter" || e.key === " ") { e.preventDefault(); open(td); } });
    });
    document.getElementById("cell-panel-close").addEventListener("click", function () {
      panel.classList.add("hidden");
      document.querySelectorAll("td.val.selected").forEach(function (x) { x.classList.remove("selected"); });
    });
    document.querySelectorAll("a.cell-link").forEach(function (a) {
      a.addEventListener("click", function (e) {
        e.preventDefault();
        var td = document.querySelector("td.val[data-ref='" + a.getAttribute("data-ref") + "']");
        if (td) { td.scrollIntoView({ block: "center" }); open(td); }
      });
    });
    document.querySelectorAll("a.finding-source").forEach(function (a) {
      a.addEventListener("click", function (e) {
        e.preventDefault();
        document.querySelectorAll("td.val.selected").forEach(function (x) { x.classList.remove("selected"); });
        panel.classList.remove("hidden");
        document.getElementById("cell-panel-title").textContent = "核查发现所在原文";
        document.getElementById("cell-panel-findings").textContent = "";
        loadInto(a.getAttribute("href"));
      });
    });
    if (window.location.hash.indexOf("#finding-") === 0) {
      var target = document.getElementById(window.location.hash.slice(1));
      if (target) target.classList.add("target");
    }
  }
})();
