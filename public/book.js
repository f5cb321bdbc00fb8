// Progressive enhancement for the booking pages: show times in the zone the visitor's browser
// reports. On /book the "See open times" links carry that zone (no extra page load); on
// /book/:slug reached without one, the zone form is submitted once. Without JavaScript the pages
// use the coach's zone and the select still works.
(function () {
  var zone;
  try {
    zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  } catch (e) {
    return;
  }
  if (!zone) return;
  Array.prototype.forEach.call(document.querySelectorAll('a[data-add-zone]'), function (a) {
    var url = new URL(a.getAttribute('href'), window.location.href);
    url.searchParams.set('tz', zone);
    a.setAttribute('href', url.pathname + url.search);
  });
  var form = document.getElementById('zone-form');
  if (!form || form.getAttribute('data-zone-given') === '1') return;
  var select = document.getElementById('tz');
  if (!select || select.value === zone) return;
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
