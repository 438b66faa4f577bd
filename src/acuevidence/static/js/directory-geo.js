/* Progressive enhancement: a "Use my location" button for the directory search.
   Without JavaScript (or without permission) the reader types a ZIP code or a city. */
(function () {
  "use strict";
  if (!("geolocation" in navigator)) return;
  document.querySelectorAll("input[data-geo-target]").forEach(function (input) {
    var button = document.createElement("button");
    var status = document.createElement("span");
    button.type = "button";
    button.className = "geo-button";
    button.textContent = "Use my location";
    status.setAttribute("role", "status");
    status.className = "meta";
    input.insertAdjacentElement("afterend", status);
    input.insertAdjacentElement("afterend", button);
    button.addEventListener("click", function () {
      status.textContent = "Finding your location…";
      navigator.geolocation.getCurrentPosition(
        function (position) {
          input.value = position.coords.latitude.toFixed(4) + ", " + position.coords.longitude.toFixed(4);
          status.textContent = "";
          input.form.submit();
        },
        function () {
          status.textContent = "Your location is not available. Enter a ZIP code or a city instead.";
        },
        { enableHighAccuracy: false, timeout: 10000, maximumAge: 600000 }
      );
    });
  });
})();
