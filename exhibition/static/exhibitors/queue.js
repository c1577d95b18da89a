// Applications queue and visitor vetting: a box that ticks every row on the page (an enhancement:
// without JavaScript each row is ticked on its own).
(function () {
  "use strict";
  var all = document.getElementById("select-all");
  if (!all) { return; }
  var boxes = Array.prototype.slice.call(all.closest("table").querySelectorAll("input[name='ids']"));
  all.hidden = false;
  all.addEventListener("change", function () {
    boxes.forEach(function (b) { b.checked = all.checked; });
  });
  boxes.forEach(function (b) {
    b.addEventListener("change", function () {
      var ticked = boxes.filter(function (x) { return x.checked; }).length;
      all.checked = ticked === boxes.length;
      all.indeterminate = ticked > 0 && ticked < boxes.length;
    });
  });
})();
