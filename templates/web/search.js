/* Search the archive in the page: the index (search-index.js) maps jieba terms to articles. */
(function () {
  "use strict";
  var index = window.HUIKAN_SEARCH || { docs: [], terms: {} };
  var root = document.documentElement.getAttribute("data-root") || "";
  var box = document.getElementById("search-box");
  var list = document.getElementById("search-results");
  if (!box || !list) { return; }

  function has(term) { return Object.prototype.hasOwnProperty.call(index.terms, term); }

  // The articles having every term of QUERY: a known term as it is, otherwise the query is covered
  // left to right by the longest terms the index knows (质量管理小组活动 → 质量管理小组 + 活动).
  function find(query) {
    var q = query.toLowerCase().replace(/\s+/g, "");
    if (!q) { return []; }
    if (has(q)) { return index.terms[q]; }
    var found = null, i = 0;
    while (i < q.length) {
      var j = Math.min(q.length, i + 16);
      while (j > i + 1 && !has(q.slice(i, j))) { j -= 1; }
      var term = q.slice(i, j);
      if (!has(term)) { return []; }
      var docs = index.terms[term];
      found = found === null ? docs.slice() : found.filter(function (d) { return docs.indexOf(d) >= 0; });
      i = j;
    }
    return found || [];
  }

  function show() {
    list.textContent = "";
    var query = box.value.trim();
    if (!query) { return; }
    var hits = find(query);
    if (!hits.length) {
      var none = document.createElement("li");
      none.textContent = "没有找到“" + query + "”";
      list.appendChild(none);
      return;
    }
    hits.slice(0, 20).forEach(function (n) {
      var doc = index.docs[n], item = document.createElement("li"), link = document.createElement("a");
      link.href = root + doc[1];
      link.textContent = doc[0];
      var where = document.createElement("span");
      where.className = "where";
      where.textContent = doc[2];
      item.appendChild(link);
      item.appendChild(where);
      list.appendChild(item);
    });
  }

  box.addEventListener("input", show);
})();
