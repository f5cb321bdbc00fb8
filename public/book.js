// Progressive enhancement for /book/:slug: when the visitor hasn't chosen a zone yet, show the
// times in the zone their browser reports. Without JavaScript the page uses the coach's zone and
// the select still works.
(function () {
  var form = document.getElementById('zone-form');
  if (!form || form.getAttribute('data-zone-given') === '1') return;
  var zone;
  try {
    zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  } catch (e) {
    return;
  }
  var select = document.getElementById('tz');
  if (!zone || !select || select.value === zone) return;
  var option = Array.prototype.find.call(select.options, function (o) { return o.value === zone; });
  if (!option) {
    option = document.createElement('option');
    option.value = zone;
    option.textContent = zone.replace(/_/g, ' ');
    select.insertBefore(option, select.firstChild);
  }
  select.value = zone;
  form.submit();
})();
