// TEMPORARY ADAPTER, for the lock-page branch until the fleet dashboard (app.js of issue 13) is merged:
// a stand-in for the window.tedeeDashboard hooks lock-page.js uses (api, onEvent, config) and the
// #lock/<serial> routing app.js will do. It does nothing when app.js defines window.tedeeDashboard, so
// it is harmless after the merge; then drop this file, its line in DashboardFiles.FILES and its <script>
// in index.html.
'use strict';

(() => {
  if (window.tedeeDashboard) {
    return;
  }
  const TOKEN_KEY = 'tedee-sync.api-token'; // where today's app.js keeps the API token
  const listeners = [];
  let config = null;
  let stream = null;

  function token() {
    return sessionStorage.getItem(TOKEN_KEY);
  }

  /** fetch with the API token, as app.js's hook will: resolves to the Response. */
  function api(path, options = {}) {
    const headers = { Accept: 'application/json', ...(options.headers || {}) };
    if (token()) {
      headers.Authorization = 'Bearer ' + token();
    }
    return fetch(path, { ...options, headers, cache: 'no-store' });
  }

  const ready = api('/api/config').then((response) => (response.ok ? response.json() : null))
    .then((body) => { config = body; }, () => {});

  /** Every event of the stream from now on, parsed; the browser reconnects with Last-Event-ID itself. */
  function onEvent(listener) {
    listeners.push(listener);
    ready.then(() => {
      if (stream) {
        return;
      }
      const query = new URLSearchParams({ after: String((config && config.lastEventId) || 0) });
      if (token()) {
        query.set('access_token', token());
      }
      stream = new EventSource('/api/events/stream?' + query);
      stream.onmessage = (message) => {
        let event;
        try {
          event = JSON.parse(message.data);
        } catch (malformed) {
          return;
        }
        listeners.forEach((each) => each(event));
      };
    });
  }

  window.tedeeDashboard = { api, onEvent, config: () => config, standalone: true };

  // Routing: today's app.js shows the fleet for any fragment but #accounts, so on #lock/... the fleet is
  // hidden again whenever app.js shows it (its start is asynchronous).
  const fleet = ['dashboard', 'accounts'].map((id) => document.getElementById(id)).filter(Boolean);
  const lockSerial = () => {
    const match = /^#lock\/(.+)$/.exec(location.hash);
    return match ? decodeURIComponent(match[1]) : null;
  };
  new MutationObserver(() => {
    if (lockSerial() !== null) {
      fleet.filter((element) => !element.hidden).forEach((element) => { element.hidden = true; });
    }
  }).observe(document.body, { attributes: true, attributeFilter: ['hidden'], subtree: true });

  function route() {
    const serial = lockSerial();
    if (!window.tedeeLockPage) {
      return;
    }
    if (serial === null) {
      window.tedeeLockPage.hide();
      return;
    }
    fleet.forEach((element) => { element.hidden = true; });
    window.tedeeLockPage.show(serial);
  }

  window.addEventListener('hashchange', route);
  document.addEventListener('DOMContentLoaded', route); // deferred scripts, lock-page.js too, have run by then
})();
