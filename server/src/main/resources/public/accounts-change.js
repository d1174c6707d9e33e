// The tedee-sync dashboard: changing the accounts from the accounts view: "Connect an account"
// (sign in with Tedee through /oauth/start) and "Remove" (with or without the account's locks and events).
'use strict';

(() => {
  const app = window.tedeeSync;
  const { $, message } = app;
  const page = app.page;
  const { admin, adminApi, refusedToken, say, accountRowElement, loadAccounts, drawAccounts } = app;
  // As the server checks it (AccountNames): it shows up in URLs, logs, metrics and topics.
  const ACCOUNT_NAME = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/;
  const ACCOUNT_NAME_RULE = "An account name is 1 to 64 letters, digits, '.', '_', '@' or '-', starting with a letter or digit.";

  // -- connect an account (sign in with Tedee)

  function drawConnect() {
    const on = Boolean(page.config && page.config.signIn);
    $('#connect-on').hidden = !on;
    $('#connect-off').hidden = on;
  }

  function showConnectForm(open) {
    $('#connect-form').hidden = !open;
    $('#connect-open').setAttribute('aria-expanded', String(open));
    connectError(null);
    if (open) {
      $('#connect-name').focus();
    } else {
      $('#connect-open').focus();
    }
  }

  function connectError(text) {
    const box = $('#connect-error');
    box.textContent = text || '';
    box.hidden = !text;
    $('#connect-name').setAttribute('aria-invalid', text ? 'true' : 'false');
  }

  function nameProblem(name) {
    if (!name) {
      return 'Enter a name for the new account.';
    }
    return ACCOUNT_NAME.test(name) ? null : ACCOUNT_NAME_RULE;
  }

  $('#connect-open').addEventListener('click', () => showConnectForm($('#connect-form').hidden));
  $('#connect-cancel').addEventListener('click', () => showConnectForm(false));

  $('#connect-name').addEventListener('input', () => {
    const name = $('#connect-name').value.trim();
    const existing = (admin.accounts || []).find((account) => account.name === name && account.source === 'api');
    const note = $('#connect-note');
    note.textContent = existing ? 'There is an account ' + name + ' already: signing in replaces its credentials.' : '';
    note.hidden = !existing;
  });

  $('#connect-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const input = $('#connect-name');
    const name = input.value.trim();
    const problem = nameProblem(name);
    if (problem) {
      connectError(problem);
      input.focus();
      return;
    }
    connectError(null);
    const submit = $('#connect-submit');
    submit.disabled = true;
    try {
      const response = await adminApi('/oauth/start?' + new URLSearchParams({ account: name }));
      if (refusedToken(response)) {
        return;
      }
      const target = response.ok ? webAddress(response.body && response.body.authorizeUrl) : null;
      if (target) {
        say("Opening Tedee's sign-in page for " + name + '…', 'busy');
        location.href = target;
        return; // the button stays disabled while the browser leaves
      }
      connectError(response.ok ? 'The service gave no sign-in address.' : message(response));
      input.focus();
    } catch (error) {
      connectError('Cannot reach tedee-sync (' + error.message + ').');
    }
    submit.disabled = false;
  });

  // Back from Tedee's page with the browser's Back button: a page restored from the back-forward cache
  // would still say it is on its way there.
  window.addEventListener('pageshow', (event) => {
    if (event.persisted) {
      $('#connect-submit').disabled = false;
      if ($('#accounts-status').dataset.kind === 'busy') {
        say('', null);
      }
    }
  });

  /** The address if it is an http(s) URL: anything else (javascript:, data:) is not followed. */
  function webAddress(text) {
    try {
      const url = new URL(text);
      return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : null;
    } catch (notAUrl) {
      return null;
    }
  }

  // -- remove an account

  const removeDialog = $('#remove-dialog');

  $('#account-rows').addEventListener('click', (event) => {
    const button = event.target.closest('button[data-action="remove"]');
    if (button) {
      askToRemove(button.closest('tr').dataset.account);
    }
  });

  function askToRemove(name) {
    admin.removing = name;
    $('#remove-name').textContent = name;
    $('#remove-keep').checked = true;
    removeBusy(false);
    removeDialog.showModal();
    $('#remove-keep').focus();
  }

  function removeBusy(busy) {
    if (busy) {
      removeDialog.dataset.busy = 'true';
    } else {
      delete removeDialog.dataset.busy;
    }
    removeDialog.querySelectorAll('button, input').forEach((control) => {
      control.disabled = busy;
    });
    $('#remove-confirm').textContent = busy ? 'Removing…' : 'Remove';
  }

  function focusRemoveButton(name) {
    const row = accountRowElement(name);
    const button = row && row.querySelector('button[data-action="remove"]');
    (button || $('#accounts-title')).focus({ preventScroll: Boolean(button) });
  }

  $('#remove-cancel').addEventListener('click', () => {
    removeDialog.close();
    focusRemoveButton(admin.removing);
  });

  removeDialog.addEventListener('cancel', (event) => {
    if (removeDialog.dataset.busy) {
      event.preventDefault(); // Escape while the removal runs: it runs on, and says how it ended
    }
  });

  $('#remove-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const name = admin.removing;
    const purge = $('#remove-purge').checked;
    removeBusy(true);
    let response;
    try {
      response = await adminApi('/api/accounts/' + encodeURIComponent(name) + (purge ? '?purge=true' : ''), { method: 'DELETE' });
    } catch (error) {
      removeBusy(false);
      removeDialog.close();
      say('Could not remove ' + name + ': the service did not answer (' + error.message + ').', 'error');
      focusRemoveButton(name);
      loadAccounts();
      return;
    }
    removeBusy(false);
    removeDialog.close();
    if (refusedToken(response)) {
      return;
    }
    if (response.status === 204 || response.status === 404) {
      admin.accounts = (admin.accounts || []).filter((account) => account.name !== name);
      drawAccounts();
      say(response.status === 404 ? 'Account ' + name + ' was already removed.'
        : purge ? 'Account ' + name + ' removed, with its locks and events.'
          : 'Account ' + name + ' removed. Its locks and events stay in the store.', 'ok');
      $('#accounts-title').focus();
      loadAccounts();
      app.refreshLocksView();
      return;
    }
    say('Could not remove ' + name + ': ' + message(response), 'error');
    focusRemoveButton(name);
  });

  app.drawConnect = drawConnect;
})();
