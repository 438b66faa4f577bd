/* Progressive enhancement: remember the place a reader last searched the directory for,
   in their own browser, and carry it into "Find a practitioner" links and place fields.
   The server keeps no such state, so directory pages depend only on their URL and can be
   cached for every reader. Without JavaScript the reader types the place again. */
(function () {
  "use strict";
  var KEY = "acuevidence.directory.place";
  var storage;
  try {
    storage = window.localStorage;
    storage.getItem(KEY);
  } catch (e) {
    return; // storage disabled: nothing to remember
  }

  var searched = document.querySelector("form[data-searched-place]");
  if (searched) {
    var text = searched.getAttribute("data-searched-place");
    if (text) storage.setItem(KEY, text);
    else if (new URLSearchParams(window.location.search).has("place")) storage.removeItem(KEY);
  }

  var saved = storage.getItem(KEY);
  if (!saved) return;
  document.querySelectorAll("a[data-directory-link]").forEach(function (link) {
    var url = new URL(link.href, window.location.href);
    if (url.searchParams.get("place")) return;
    url.searchParams.set("place", saved);
    link.href = url.pathname + url.search + url.hash;
  });
  document.querySelectorAll("input[data-remembered-place]").forEach(function (input) {
    if (!input.value) input.value = saved;
  });
})();
