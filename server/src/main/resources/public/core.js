// The tedee-sync dashboard: the shared namespace and the small helpers every part uses
// (DOM building, words for wire constants, times, icons). Plain DOM, no framework, no build step.
//
// The parts are classic `defer` scripts run in document order (index.html lists them); each is an IIFE
// that adds what it owns to `window.tedeeSync` (internal, may change). The lock page and anything else
// outside these files uses `window.tedeeDashboard` only (app.js), which is the contract.
'use strict';

(() => {
  const app = { };
  window.tedeeSync = app;

  const $ = (selector, root = document) => root.querySelector(selector);

  function el(tag, attributes, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes || {})) {
      if (value !== '' && value !== null && value !== undefined && value !== false) {
        node.setAttribute(name, value === true ? '' : value);
      }
    }
    for (const child of children) {
      if (child !== null && child !== undefined && child !== '' && child !== false) {
        node.append(child);
      }
    }
    return node;
  }

  function fact(term, value) {
    return el('div', {}, el('dt', {}, term), el('dd', {}, value));
  }

  function slug(text) {
    return String(text).replace(/[^A-Za-z0-9_-]/g, '_');
  }

  const STATE_NAMES = { SEMI_LOCKED: 'Semi-locked', NOT_PAIRED: 'No sensor', GET_ALL: 'get-all' };

  /** LOCK_PRO -> "Lock pro": a wire constant as words. */
  function words(constant) {
    if (STATE_NAMES[constant]) {
      return STATE_NAMES[constant];
    }
    const text = String(constant ?? '').replace(/_/g, ' ').toLowerCase();
    return text.charAt(0).toUpperCase() + text.slice(1);
  }

  function typeName(type) {
    return { LOCK_PRO: 'Lock PRO', LOCK_GO: 'Lock GO', GATE: 'Gate', DRY_CONTACT: 'Dry contact' }[type] || words(type);
  }

  const numbers = new Intl.NumberFormat('en');
  // Made once: toLocaleString() and its kin build a new formatter on every call, which cost more than the
  // rest of a table row together.
  const formats = {
    date: new Intl.DateTimeFormat(),
    long: new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' }),
    time: new Intl.DateTimeFormat([], { hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' }),
    monthDay: new Intl.DateTimeFormat([], { month: 'short', day: 'numeric' }),
    day: new Intl.DateTimeFormat([], { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }),
    dayWithYear: new Intl.DateTimeFormat([], { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }),
  };

  /** 5000 -> "5,000". */
  function count(value) {
    return numbers.format(value);
  }

  function seconds(value) {
    if (!value) {
      return '?';
    }
    return value % 60 === 0 && value >= 120 ? value / 60 + ' min' : value + ' s';
  }

  function ago(iso) {
    const elapsed = Math.max(0, (Date.now() - Date.parse(iso)) / 1000);
    if (elapsed < 10) return 'just now';
    if (elapsed < 60) return Math.floor(elapsed) + ' s ago';
    if (elapsed < 3600) return Math.floor(elapsed / 60) + ' min ago';
    if (elapsed < 86400) return Math.floor(elapsed / 3600) + ' h ago';
    return formats.date.format(new Date(iso));
  }

  /** A <time> saying "3 min ago", kept current by the page's 5 s ticker (updateTimes). */
  function timeAgo(iso) {
    return el('time', { class: 'ago', datetime: iso, title: longTime(iso) }, ago(iso));
  }

  /** The browser's own long form of an instant (for titles). */
  function longTime(iso) {
    return formats.long.format(new Date(iso));
  }

  function updateTimes(root) {
    root.querySelectorAll('time.ago').forEach((node) => {
      node.textContent = ago(node.getAttribute('datetime'));
    });
  }

  function clock(iso) {
    const date = new Date(iso);
    const today = new Date().toDateString() === date.toDateString();
    const time = formats.time.format(date);
    return today ? time : formats.monthDay.format(date) + ' ' + time;
  }

  /** "Dec 1, 11:46" in the browser's time zone, with the year when it is not this one. */
  function day(iso) {
    const date = new Date(iso);
    return (date.getFullYear() !== new Date().getFullYear() ? formats.dayWithYear : formats.day).format(date);
  }

  function showProblem(text) {
    const box = $('#problem');
    box.textContent = text || '';
    box.hidden = !text;
  }

  /** What a lock is shown as: one of six looks, never "locked" or "unlocked" for an offline lock. */
  function look(lock) {
    if (!lock.isConnected) {
      return { kind: 'disconnected', label: 'Disconnected' };
    }
    switch (lock.state) {
      case 'LOCKED': return { kind: 'locked', label: 'Locked' };
      case 'UNLOCKED': return { kind: 'unlocked', label: 'Unlocked' };
      case 'PULLED': return { kind: 'unlocked', label: 'Pulled (unlocked)' };
      case 'SEMI_LOCKED': return { kind: 'semi-locked', label: 'Semi-locked' };
      case 'LOCKING': return { kind: 'moving', label: 'Locking…' };
      case 'UNLOCKING': return { kind: 'moving', label: 'Unlocking…' };
      case 'PULLING': return { kind: 'moving', label: 'Pulling…' };
      case 'UNCALIBRATED': return { kind: 'unknown', label: 'Uncalibrated' };
      case 'CALIBRATING': return { kind: 'unknown', label: 'Calibrating' };
      case 'UPDATING': return { kind: 'unknown', label: 'Updating' };
      case undefined:
      case null: return { kind: 'unknown', label: 'Position unknown' };
      default: return { kind: 'unknown', label: 'Unknown' + (lock.stateCode !== undefined && lock.stateCode !== 9 ? ' (code ' + lock.stateCode + ')' : '') };
    }
  }

  /** Runs fn after `wait` ms without another call. */
  function debounce(fn, wait) {
    let timer = null;
    return (...args) => {
      clearTimeout(timer);
      timer = setTimeout(() => fn(...args), wait);
    };
  }

  // Icons: inline SVG, drawn with currentColor, always next to a word (never colour alone).
  const ICONS = {
    locked: '<rect x="5" y="11" width="14" height="10" rx="2"/><path d="M8 11V7a4 4 0 0 1 8 0v4"/><path d="M12 15v2"/>',
    unlocked: '<rect x="5" y="11" width="14" height="10" rx="2"/><path d="M8 11V7a4 4 0 0 1 7.75-1.4"/><path d="M12 15v2"/>',
    'semi-locked': '<path d="M12 3 2 20h20z"/><path d="M12 9v5"/><path d="M12 17h.01"/>',
    moving: '<path d="M20 12a8 8 0 1 1-2.34-5.66"/><path d="M20 4v4h-4"/>',
    unknown: '<circle cx="12" cy="12" r="9"/><path d="M9.6 9.2a2.5 2.5 0 1 1 3.4 2.3c-.6.3-1 .8-1 1.5v.5"/><path d="M12 17h.01"/>',
    disconnected: '<path d="M3 3l18 18"/><path d="M8.5 16.4a5 5 0 0 1 5.6-1"/><path d="M5 12.6a10 10 0 0 1 4.2-2.4"/><path d="M15 10.3a10 10 0 0 1 4 2.3"/><path d="M2 8.8a15 15 0 0 1 3.5-2.4"/><path d="M10.5 5.1A15 15 0 0 1 22 8.8"/><path d="M12 20h.01"/>',
    online: '<path d="M8.5 16.4a5 5 0 0 1 7 0"/><path d="M5 12.8a10 10 0 0 1 14 0"/><path d="M2 8.8a15 15 0 0 1 20 0"/><path d="M12 20h.01"/>',
    live: '<circle cx="12" cy="12" r="4"/><path d="M5.6 5.6a9 9 0 0 0 0 12.8"/><path d="M18.4 5.6a9 9 0 0 1 0 12.8"/>',
    ok: '<circle cx="12" cy="12" r="9"/><path d="m8 12 3 3 5-6"/>',
    warning: '<path d="M12 3 2 20h20z"/><path d="M12 9v5"/><path d="M12 17h.01"/>',
    failed: '<circle cx="12" cy="12" r="9"/><path d="m9 9 6 6"/><path d="m15 9-6 6"/>',
    clock: '<circle cx="12" cy="12" r="9"/><path d="M12 7v5l3 2"/>',
    bolt: '<path d="M13 2 4 14h7l-1 8 9-12h-7z"/>',
    door: '<path d="M5 21V4a1 1 0 0 1 1-1h12a1 1 0 0 1 1 1v17"/><path d="M3 21h18"/><path d="M15 12h.01"/>',
    'door-open': '<path d="M13 4h5a1 1 0 0 1 1 1v16"/><path d="M3 21h18"/><path d="M5 21V4.5l8-1.5v18"/><path d="M10 12h.01"/>',
    pull: '<path d="M4 12h13"/><path d="m12 7 5 5-5 5"/><path d="M20 5v14"/>',
    battery: '<rect x="2" y="7" width="18" height="10" rx="2"/><path d="M22 11v2"/><path d="M6 10v4"/>',
    all: '<rect x="3" y="3" width="7" height="7" rx="1"/><rect x="14" y="3" width="7" height="7" rx="1"/><rect x="3" y="14" width="7" height="7" rx="1"/><rect x="14" y="14" width="7" height="7" rx="1"/>',
    table: '<path d="M3 5h18"/><path d="M3 10h18"/><path d="M3 15h18"/><path d="M3 20h18"/>',
    cards: '<rect x="3" y="3" width="8" height="8" rx="2"/><rect x="13" y="3" width="8" height="8" rx="2"/><rect x="3" y="13" width="8" height="8" rx="2"/><rect x="13" y="13" width="8" height="8" rx="2"/>',
  };

  function icon(name) {
    return svg(ICONS[name] || ICONS.unknown);
  }

  function battery(level) {
    const width = Math.round(Math.max(0, Math.min(100, level)) / 100 * 14);
    return svg('<rect x="2" y="7" width="18" height="10" rx="2"/><path d="M22 11v2"/><rect class="level" x="4" y="9" width="'
      + width + '" height="6" rx="1"/>');
  }

  const parsed = new Map();   // SVG body -> a parsed icon to clone (parsing markup per row was most of a draw)

  function svg(body) {
    let template = parsed.get(body);
    if (!template) {
      template = document.createElement('span');
      template.className = 'icon';
      template.setAttribute('aria-hidden', 'true');
      template.innerHTML = '<svg viewBox="0 0 24 24" focusable="false">' + body + '</svg>';
      if (parsed.size < 200) {
        parsed.set(body, template);
      }
    }
    return template.cloneNode(true);
  }

  Object.assign(app, {
    $, el, fact, slug, words, typeName, count, seconds, ago, timeAgo, longTime, updateTimes, clock, day, showProblem, look,
    debounce, icon, battery,
  });
})();
