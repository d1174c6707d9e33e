// The lock page's shared parts, used by lock-history.js and lock-page.js (loaded after this file): the page's
// state (one `view` object), talking to the service through the dashboard's api hook, and small DOM and text
// helpers. They keep their own `el` and `words` rather than core.js's: this page uses window.tedeeDashboard
// only, and its `el` keeps attributes whose value is '' (`hidden: ''`), which core.js's drops.
//
// window.tedeeLockShared is internal to the lock page's files and may change.
'use strict';

(() => {
  const view = {
    serial: null, lock: null, history: null, problem: null, historyProblem: null,
    range: '24h',                    // lock-history.js sets the one stored
    stateRequest: 0, historyRequest: 0,
    allowedAt: 0, retryAt: 0,        // when "Sync now" is allowed: by the lock view, by a 429's Retry-After
    busy: null,                      // 'sync' or an operation in flight
    debounce: null, firstWaiting: 0, stateTimer: null, countdown: null,
    unsubscribe: null, observer: null, width: 0, draws: 0,
    skew: 0,                         // the server's clock minus the browser's (from the answers' Date header)
    historyTags: {},                 // range -> {serial, etag}: the last history drawn, for If-None-Match
  };

  const $ = (selector) => document.querySelector(selector);
  const root = () => document.getElementById('lock-page');
  const board = () => window.tedeeDashboard || {};
  const path = (suffix) => '/api/locks/' + encodeURIComponent(view.serial) + (suffix || '');

  // ---- talking to the service

  /** {status, ok, body, retryAfter} from the dashboard's api hook (a fetch Response). */
  async function call(url, options) {
    if (!board().api) {
      throw new Error('the dashboard is not loaded');
    }
    const answer = await board().api(url, options || {});
    if (!answer || typeof answer.json !== 'function') {
      return { status: answer.status, ok: answer.ok, body: answer.body, retryAfter: null }; // an already parsed answer
    }
    const serverNow = answer.headers ? Date.parse(answer.headers.get('Date') || '') : NaN;
    if (Number.isFinite(serverNow)) {
      // The Date header has whole seconds: a difference within 2 s is the header's rounding, not a skew.
      const skew = serverNow - Date.now();
      view.skew = Math.abs(skew) > 2000 ? skew : 0;
    }
    let body = null;
    if (answer.status !== 304) {
      try {
        body = await answer.json();
      } catch (notJson) {
        body = null;
      }
    }
    return { status: answer.status, ok: answer.ok, body, retryAfter: answer.headers ? answer.headers.get('Retry-After') : null,
      etag: answer.headers ? answer.headers.get('ETag') : null };
  }

  function reason(answer) {
    return answer.status === 401 ? 'the API token is missing or refused (enter it on the fleet view)'
      : (answer.body && answer.body.message) || 'HTTP ' + answer.status;
  }

  // ---- small helpers

  function el(tag, attributes, ...children) {
    const element = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes || {})) {
      if (value !== null && value !== undefined) {
        element.setAttribute(name, value);
      }
    }
    children.forEach((child) => child !== null && child !== undefined && child !== '' && element.append(child));
    return element;
  }

  function words(constant) {
    if (board().words) return board().words(constant);
    const special = { SEMI_LOCKED: 'Semi-locked', NOT_PAIRED: 'No sensor', POSITION_UNKNOWN: 'Position unknown' };
    if (special[constant]) return special[constant];
    const text = String(constant).replace(/_/g, ' ').toLowerCase();
    return text.charAt(0).toUpperCase() + text.slice(1);
  }

  /** "1 Dec, 14:03:07" in the browser's time zone. */
  function when(iso) {
    return new Date(iso).toLocaleString([], { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });
  }

  /** 45 s, 12 min, 3 h 20 min, 2 d 4 h. */
  function duration(ms) {
    const seconds = Math.round(ms / 1000);
    if (seconds < 60) return seconds + ' s';
    const minutes = Math.floor(seconds / 60);
    if (minutes < 60) return minutes + ' min';
    const hours = Math.floor(minutes / 60);
    if (hours < 24) return hours + ' h' + (minutes % 60 ? ' ' + (minutes % 60) + ' min' : '');
    return Math.floor(hours / 24) + ' d' + (hours % 24 ? ' ' + (hours % 24) + ' h' : '');
  }

  window.tedeeLockShared = { view, $, root, board, path, call, reason, el, words, when, duration };
})();
