// The tedee-sync dashboard: talking to the service (the API token, JSON requests) and following
// /api/events/stream. When the stream drops, the browser reconnects with Last-Event-ID and the server
// replays what was missed; when the browser gives up (an error status), this retries itself after
// checking that the token is still good. Each new event goes to app.onStreamEvent (app.js).
'use strict';

(() => {
  const app = window.tedeeSync;
  const { $, icon } = app;
  const TOKEN_KEY = 'tedee-sync.api-token';

  const page = {
    token: sessionStorage.getItem(TOKEN_KEY),
    config: null,
    accounts: [],            // from /health
    lastEventId: 0,          // the newest event shown
    liveFrom: 0,             // events up to this id are already reflected in the locks loaded
    stream: null,
    streamDown: false,
    retryTimer: null,
    retryDelay: 1000,
  };
  app.page = page;

  class Unauthorized extends Error {}

  /** fetch with the API token; the Response as it came, except that a 401 throws Unauthorized. */
  async function fetchWithToken(path, options = {}) {
    const headers = { Accept: 'application/json', ...(options.headers || {}) };
    if (page.token) {
      headers.Authorization = 'Bearer ' + page.token;
    }
    const response = await fetch(path, { cache: 'no-store', ...options, headers });
    if (response.status === 401) {
      throw new Unauthorized();
    }
    return response;
  }

  /** A JSON call: {status, ok, body, etag}; body null when there is none (204, 304) or it is not JSON. */
  async function api(path, options = {}) {
    const response = await fetchWithToken(path, options);
    let body = null;
    if (response.status !== 204 && response.status !== 304) {
      try {
        body = await response.json();
      } catch (notJson) {
        body = null;
      }
    }
    return { status: response.status, ok: response.ok, body, etag: response.headers.get('ETag') };
  }

  function message(response) {
    return (response.body && response.body.message) || 'HTTP ' + response.status;
  }

  /** A failed start or refresh: ask for the token on a 401, else say so and retry (if given) in 5 s. */
  function handleFailure(error, retry) {
    if (error instanceof Unauthorized) {
      const refused = Boolean(page.token);
      page.token = null;
      sessionStorage.removeItem(TOKEN_KEY);
      askForToken(refused ? 'That token was refused. Check it and try again.' : null);
      return;
    }
    if (!retry) {
      return;
    }
    app.showProblem('Cannot reach tedee-sync (' + error.message + '). Trying again…');
    clearTimeout(page.retryTimer);
    page.retryTimer = setTimeout(retry, 5000);
  }

  function keepToken() {
    if (page.token) {
      sessionStorage.setItem(TOKEN_KEY, page.token);
    }
  }

  // ---- the API token

  function askForToken(error) {
    stopStream();
    app.stopTicker();
    app.closeAccounts();
    app.leaveLockPage();
    $('#dashboard').hidden = true;
    $('#accounts').hidden = true;
    $('#views').hidden = true;
    $('#token').hidden = false;
    setConnection('offline', 'Not signed in');
    const text = $('#token-error');
    text.textContent = error || '';
    text.hidden = !error;
    const input = $('#token-input');
    input.value = '';
    input.focus();
  }

  $('#token-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const token = $('#token-input').value.trim();
    if (token) {
      page.token = token;
      app.start();
    }
  });

  $('#forget-token').addEventListener('click', () => {
    page.token = null;
    sessionStorage.removeItem(TOKEN_KEY);
    askForToken(null);
  });

  // ---- the event stream

  function openStream(after) {
    stopStream();
    const query = new URLSearchParams({ after: String(after) });
    if (page.token) {
      query.set('access_token', page.token);
    }
    const stream = new EventSource('/api/events/stream?' + query);
    page.stream = stream;
    stream.onopen = () => {
      page.retryDelay = 1000;
      setConnection('live', 'Live');
      if (page.streamDown) {
        // The stream replays the missed events (Last-Event-ID); this also catches what no event says,
        // such as a copy that turned stale meanwhile.
        page.streamDown = false;
        app.refreshLocks();
        app.refreshHealth();
      }
    };
    stream.onmessage = receive;
    stream.onerror = () => {
      page.streamDown = true;
      setConnection('reconnecting', 'Reconnecting…');
      if (stream.readyState === EventSource.CLOSED) {
        // The browser gave up (an error status rather than a dropped connection): retry ourselves,
        // from the last event shown, after checking that the token is still good.
        stream.close();
        clearTimeout(page.retryTimer);
        page.retryTimer = setTimeout(reopenStream, page.retryDelay);
        page.retryDelay = Math.min(page.retryDelay * 2, 30000);
      }
    };
  }

  async function reopenStream() {
    try {
      await api('/api/config');
      openStream(page.lastEventId);
    } catch (error) {
      if (error instanceof Unauthorized) {
        handleFailure(error);
        return;
      }
      // Still unreachable: the notice keeps saying "Reconnecting…"; try again a little later.
      page.retryTimer = setTimeout(reopenStream, page.retryDelay);
      page.retryDelay = Math.min(page.retryDelay * 2, 30000);
    }
  }

  function stopStream() {
    clearTimeout(page.retryTimer);
    if (page.stream) {
      page.stream.close();
      page.stream = null;
    }
  }

  function receive(message) {
    const id = Number(message.lastEventId);
    if (id && id <= page.lastEventId) {
      return;
    }
    let event;
    try {
      event = JSON.parse(message.data);
    } catch (malformed) {
      return;
    }
    if (id) {
      page.lastEventId = id;
    }
    app.onStreamEvent(event, id, id > page.liveFrom);
  }

  function setConnection(kind, text) {
    const notice = $('#connection');
    notice.dataset.connection = kind;
    notice.textContent = '';
    notice.append(icon(kind === 'live' ? 'live' : kind === 'reconnecting' ? 'moving' : 'unknown'), text);
  }

  Object.assign(app, {
    Unauthorized, fetchWithToken, api, message, handleFailure, keepToken, askForToken, openStream, stopStream,
  });
})();
