// Progressive enhancement for every form page (the pages work without it):
// - the error summary takes focus (GOV.UK pattern), and its links move focus to the field;
// - [data-slug-from] fields suggest a web address from another field while untouched;
// - [data-filter-for] inputs filter the options of a <select> (the time-zone picker);
// - [data-detect-zone] offers the browser's own zone in the zone picker.
(function () {
  var summary = document.querySelector('[data-error-summary]');
  if (summary) {
    if (document.activeElement !== summary) summary.focus();
    summary.addEventListener('click', function (e) {
      var a = e.target.closest && e.target.closest('a[href^="#"]');
      if (!a) return;
      var field = document.getElementById(a.getAttribute('href').slice(1));
      if (!field) return;
      e.preventDefault();
      var label = document.querySelector('label[for="' + field.id + '"]');
      (label || field).scrollIntoView();
      field.focus();
    });
  }

  function slugify(s) {
    return s.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase()
      .replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 80).replace(/-+$/, '');
  }
  document.querySelectorAll('[data-slug-from]').forEach(function (slug) {
    var source = document.getElementById(slug.getAttribute('data-slug-from'));
    if (!source) return;
    var touched = slug.value !== '' && slug.value !== slugify(source.value);
    slug.addEventListener('input', function () { touched = slug.value !== ''; });
    source.addEventListener('input', function () { if (!touched) slug.value = slugify(source.value); });
  });

  document.querySelectorAll('[data-filter-for]').forEach(function (input) {
    var select = document.getElementById(input.getAttribute('data-filter-for'));
    if (!select) return;
    input.hidden = false;
    var label = document.querySelector('label[for="' + input.id + '"]');
    if (label) label.hidden = false;
    var all = Array.prototype.slice.call(select.querySelectorAll('option'));
    input.addEventListener('input', function () {
      var q = input.value.trim().toLowerCase();
      var first = null;
      all.forEach(function (o) {
        var show = !q || o.selected || o.textContent.toLowerCase().indexOf(q) >= 0 || o.value.toLowerCase().indexOf(q) >= 0;
        o.hidden = !show;
        o.disabled = !show && !o.selected;
        if (show && !first && !o.selected) first = o;
      });
      select.querySelectorAll('optgroup').forEach(function (g) {
        g.hidden = !Array.prototype.some.call(g.children, function (o) { return !o.hidden; });
      });
      if (q && first && select.options[select.selectedIndex] && select.options[select.selectedIndex].hidden) select.value = first.value;
    });
  });

  document.querySelectorAll('[data-detect-zone]').forEach(function (box) {
    var select = document.getElementById(box.getAttribute('data-detect-zone'));
    var zone;
    try { zone = Intl.DateTimeFormat().resolvedOptions().timeZone; } catch (e) { return; }
    if (!select || !zone) return;
    var aliases = JSON.parse(box.getAttribute('data-aliases') || '{}');
    zone = aliases[zone] || zone;
    var option = Array.prototype.find.call(select.options, function (o) { return o.value === zone; });
    if (!option || select.value === zone) return;
    var button = box.querySelector('button');
    box.querySelector('[data-zone-name]').textContent = option.textContent;
    box.hidden = false;
    if (box.getAttribute('data-preselect') === '1') select.value = zone;
    button.addEventListener('click', function () { select.value = zone; select.focus(); box.hidden = true; });
  });

  // Weekly hours: "Add hours" and "Remove" change the rows in place (without JavaScript they
  // reload the form with the rows changed; nothing is saved either way until "Save hours").
  document.querySelectorAll('fieldset.day-hours[data-day]').forEach(function (fieldset) {
    var day = fieldset.getAttribute('data-day');
    var name = fieldset.querySelector('legend').textContent;
    var addButton = fieldset.querySelector('button[name="add"]');
    var empty = fieldset.querySelector('[data-no-hours]');
    function rows() { return fieldset.querySelectorAll('.hours-row'); }
    function refresh() {
      var n = rows().length;
      if (empty) empty.hidden = n > 0;
      if (addButton) addButton.hidden = n >= 6;
    }
    function removeRow(row) {
      var next = row.nextElementSibling;
      while (next && next.classList.contains('field-error')) { var gone = next; next = next.nextElementSibling; gone.remove(); }
      row.remove();
      refresh();
      (addButton || fieldset).focus();
    }
    function input(id, labelText, value) {
      var wrap = document.createElement('div');
      var label = document.createElement('label');
      label.setAttribute('for', id);
      label.textContent = labelText;
      var hidden = document.createElement('span');
      hidden.className = 'visually-hidden';
      hidden.textContent = ' (' + name + ')';
      label.appendChild(hidden);
      var field = document.createElement('input');
      field.id = id; field.name = id; field.type = 'time'; field.step = '900'; field.value = value;
      wrap.appendChild(label); wrap.appendChild(field);
      return wrap;
    }
    fieldset.addEventListener('click', function (e) {
      var button = e.target.closest && e.target.closest('button');
      if (!button) return;
      if (button.name === 'remove') {
        e.preventDefault();
        removeRow(button.closest('.hours-row'));
      } else if (button.name === 'add') {
        e.preventDefault();
        var used = Array.prototype.map.call(rows(), function (r) { return r.getAttribute('data-row'); });
        var i = 0;
        while (used.indexOf(String(i)) >= 0) i++;
        if (i >= 6) return;
        var first = rows().length === 0;
        var row = document.createElement('div');
        row.className = 'hours-row';
        row.setAttribute('data-row', String(i));
        row.appendChild(input('day' + day + '-start-' + i, 'From', first ? '09:00' : ''));
        row.appendChild(input('day' + day + '-end-' + i, 'Until', first ? '17:00' : ''));
        var remove = document.createElement('button');
        remove.type = 'submit'; remove.name = 'remove'; remove.value = day + '-' + i; remove.className = 'link-button';
        remove.textContent = 'Remove';
        var hiddenName = document.createElement('span');
        hiddenName.className = 'visually-hidden';
        hiddenName.textContent = ' ' + name + ' hours';
        remove.appendChild(hiddenName);
        row.appendChild(remove);
        fieldset.insertBefore(row, addButton);
        refresh();
        row.querySelector('input').focus();
      }
    });
  });
})();
