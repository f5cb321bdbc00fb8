// Progressive enhancement for the post editor. Without JavaScript the form's Save, Preview and
// file fields do everything; with it:
// - drafts are autosaved to the server a few seconds after typing stops (published posts change
//   only through Save), and every version is also kept in this browser until it is saved;
// - a picture dropped on the body (or its picture field) is uploaded at once and its Markdown
//   inserted where the cursor is.
(function () {
  'use strict';
  var form = document.querySelector('form[data-editor]');
  if (!form || !window.fetch || !window.FormData) return;
  var title = form.querySelector('[name="title"]');
  var body = form.querySelector('[name="body"]');
  var csrf = form.querySelector('[name="_csrf"]');
  var status = document.getElementById('autosave-status');
  var autosaveUrl = form.getAttribute('data-autosave-url');
  var isDraft = form.getAttribute('data-post-status') === 'draft';
  var key = form.getAttribute('data-draft-key');
  var timer = null;
  var saving = false;

  function say(message) { if (status) status.textContent = message; }
  function store() {
    try { localStorage.setItem(key, JSON.stringify({ title: title.value, body: body.value, at: Date.now() })); } catch (e) { /* private mode */ }
  }
  function forget() { try { localStorage.removeItem(key); } catch (e) { /* ignore */ } }

  // A version kept in this browser that differs from what the page shows: offer it back.
  try {
    var kept = JSON.parse(localStorage.getItem(key) || 'null');
    if (kept && (kept.body !== body.value || kept.title !== title.value) && kept.body) {
      var restore = document.createElement('button');
      restore.type = 'button';
      restore.className = 'secondary';
      restore.textContent = 'Restore the unsaved text from ' + new Date(kept.at).toLocaleString();
      restore.addEventListener('click', function () {
        title.value = kept.title;
        body.value = kept.body;
        restore.remove();
        say('Restored. Save to keep it.');
      });
      status.parentNode.insertBefore(restore, status);
    }
  } catch (e) { /* ignore */ }

  function save() {
    if (!autosaveUrl || !isDraft) { say('Kept in this browser; press Save to keep it for good.'); return; }
    if (saving) { timer = setTimeout(save, 1000); return; }
    saving = true;
    say('Saving…');
    var params = new URLSearchParams();
    params.append('_csrf', csrf.value);
    params.append('title', title.value);
    params.append('body', body.value);
    fetch(autosaveUrl, {
      method: 'POST', credentials: 'same-origin',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: params.toString(),
    }).then(function (res) {
      if (!res.ok) throw new Error(String(res.status));
      return res.json();
    }).then(function (result) {
      if (result.saved) { forget(); say('Draft saved ' + new Date().toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' }) + '.'); }
      else say('Kept in this browser; press Save to keep it for good.');
    }).catch(function () {
      say('Not saved yet. Your text is kept in this browser; press Save to keep it.');
    }).then(function () { saving = false; });
  }

  function changed() {
    store();
    say('Unsaved changes…');
    clearTimeout(timer);
    timer = setTimeout(save, 3000);
  }
  title.addEventListener('input', changed);
  body.addEventListener('input', changed);
  form.addEventListener('submit', forget);

  function insertAtCursor(text) {
    var start = body.selectionStart || body.value.length;
    var end = body.selectionEnd || start;
    body.value = body.value.slice(0, start) + text + body.value.slice(end);
    body.selectionStart = body.selectionEnd = start + text.length;
    changed();
  }

  var MAX_BYTES = 10 * 1024 * 1024;

  function upload(file) {
    if (file.size > MAX_BYTES) { say(file.name + ' is larger than 10 MB. Please save a smaller copy and drop that.'); return; }
    var alt = (form.querySelector('[name="inlineAlt"]') || {}).value || '';
    var data = new FormData();
    data.append('_csrf', csrf.value);
    data.append('alt', alt);
    data.append('file', file);
    say('Uploading ' + file.name + '…');
    fetch('/coach/images', { method: 'POST', credentials: 'same-origin', headers: { accept: 'application/json' }, body: data })
      .then(function (res) {
        return res.json()
          .catch(function () { return { message: 'The upload failed (' + res.status + '). Please try the picture field instead.' }; })
          .then(function (json) { return { ok: res.ok, json: json }; });
      })
      .then(function (r) {
        if (!r.ok) throw new Error(r.json.message || 'The upload failed.');
        insertAtCursor('\n\n![' + alt.replace(/[[\]\\]/g, '\\$&') + '](' + r.json.url + ')\n');
        say('Picture added' + (alt ? '' : ': please describe it in the brackets') + '.');
      })
      .catch(function (err) { say(err.message); });
  }

  var zone = form.querySelector('.drop-zone');
  [body, zone].forEach(function (el) {
    if (!el) return;
    el.addEventListener('dragover', function (ev) { ev.preventDefault(); if (zone) zone.classList.add('dragging'); });
    el.addEventListener('dragleave', function () { if (zone) zone.classList.remove('dragging'); });
    el.addEventListener('drop', function (ev) {
      if (!ev.dataTransfer || !ev.dataTransfer.files.length) return;
      ev.preventDefault();
      if (zone) zone.classList.remove('dragging');
      for (var i = 0; i < ev.dataTransfer.files.length; i++) upload(ev.dataTransfer.files[i]);
    });
  });
  var picker = form.querySelector('[name="inlineImage"]');
  if (picker) picker.addEventListener('change', function () {
    if (picker.files && picker.files[0]) { upload(picker.files[0]); picker.value = ''; }
  });
})();
