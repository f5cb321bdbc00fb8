// Progressive enhancement for the reflection form: saves a few seconds after typing stops, and
// warns before leaving with unsaved text. Without JavaScript the form's Save button does the same.
(function () {
  'use strict';
  var form = document.querySelector('form[data-autosave]');
  if (!form || !window.fetch || !window.URLSearchParams) return;
  var textarea = form.querySelector('textarea[name="text"]');
  var status = document.getElementById('autosave-status');
  var timer = null;
  var dirty = false;
  var saving = false;

  function say(message) {
    if (status) status.textContent = message;
  }

  function payload() {
    var params = new URLSearchParams();
    // The CSRF token and the text: nothing about sharing ever travels with an autosave.
    var fields = form.querySelectorAll('input[name="_csrf"], textarea[name="text"]');
    for (var i = 0; i < fields.length; i++) params.append(fields[i].name, fields[i].value);
    return params;
  }

  function save() {
    if (saving) { timer = setTimeout(save, 1000); return; }
    saving = true;
    dirty = false;
    say('Saving…');
    // (form.action would be the button named "action": read the attribute.)
    fetch(form.getAttribute('action'), {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-autosave': '1', accept: 'application/json' },
      body: payload().toString(),
    }).then(function (res) {
      if (!res.ok) throw new Error(String(res.status));
      say('Saved ' + new Date().toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' }) + '.');
    }).catch(function () {
      dirty = true;
      say('Not saved yet. Your text is still here; press Save to keep it.');
    }).then(function () { saving = false; });
  }

  function changed() {
    dirty = true;
    say('Unsaved changes…');
    if (timer) clearTimeout(timer);
    timer = setTimeout(save, 2000);
  }

  // Only the text is autosaved: sharing is a separate form with its own confirmation.
  textarea.addEventListener('input', changed);
  form.addEventListener('submit', function () { dirty = false; if (timer) clearTimeout(timer); });
  window.addEventListener('beforeunload', function (e) {
    if (dirty) { e.preventDefault(); e.returnValue = ''; }
  });
})();
