// The tedee-sync dashboard: the locks in memory and what the fleet view asks of them: filters
// (the same names and meanings as GET /api/locks, so a #locks?... fragment reads as an API query),
// sort orders, the summary counts (the definitions of GET /api/summary) and events applied in place.
// No DOM here.
'use strict';

(() => {
  const app = window.tedeeSync;

  const LOCK_STATES = ['LOCKED', 'UNLOCKED', 'SEMI_LOCKED', 'LOCKING', 'UNLOCKING', 'PULLED', 'PULLING',
    'UNCALIBRATED', 'CALIBRATING', 'UPDATING', 'UNKNOWN'];
  const DOOR_STATES = ['OPENED', 'CLOSED', 'DISCONNECTED', 'UNCALIBRATED', 'NOT_PAIRED'];
  const SORTS = ['name', 'state', 'battery', 'lastChange'];
  const DEFAULT_LOW_BATTERY = 20;

  /** serial number -> {lock (the API's view), account, name and haystack (lower case, for sort and search), changedAt}. */
  const entries = new Map();

  function entryOf(lock) {
    const name = String(lock.name || '').toLowerCase();
    return {
      serial: lock.serialNumber, lock, name, account: app.accountOf ? app.accountOf(lock) : '',
      haystack: name + '\u0000' + lock.serialNumber.toLowerCase(),
      changedAt: instantKey(lock.lastStateChangedDate),
    };
  }

  /**
   * An ISO instant as the API writes it (UTC, "Z", 0 to 9 fraction digits) as text that sorts in time
   * order to the nanosecond, which Date.parse (milliseconds) would not; null if it is not one.
   */
  function instantKey(iso) {
    const match = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?Z$/.exec(iso || '');
    if (!match) {
      const millis = Date.parse(iso);
      return Number.isNaN(millis) ? null : instantKey(new Date(millis).toISOString());
    }
    return match[1] + '.' + (match[2] || '').padEnd(9, '0');
  }

  function set(lock) {
    entries.set(lock.serialNumber, entryOf(lock));
  }

  /** Replaces every lock; the serials whose view changed, came or went. */
  function replaceAll(locks) {
    const changed = [];
    const seen = new Set();
    for (const lock of locks) {
      seen.add(lock.serialNumber);
      const before = entries.get(lock.serialNumber);
      if (!before || !sameView(before.lock, lock)) {
        set(lock);
        changed.push(lock.serialNumber);
      }
    }
    for (const serial of [...entries.keys()]) {
      if (!seen.has(serial)) {
        entries.delete(serial);
        changed.push(serial);
      }
    }
    return changed;
  }

  /** Whether two lock views say the same (they are flat: no field holds an object). */
  function sameView(a, b) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((key) => a[key] === b[key]);
  }

  function lowBatteryBelow() {
    const value = app.page.config && app.page.config.lowBatteryBelow;
    return Number.isInteger(value) && value >= 1 && value <= 100 ? value : DEFAULT_LOW_BATTERY;
  }

  /**
   * Applies a lock event to the copy in memory, from what the event carries. 'refetch' when it does not
   * carry enough (a new lock, a new id, a reconnection whose position comes with the next sync, a copy
   * marked stale that this event may have confirmed); 'changed'; 'removed'; 'none'.
   */
  function applyEvent(event) {
    const serial = event.serialNumber;
    const entry = entries.get(serial);
    if (event.type === 'Removed') {
      return entries.delete(serial) ? 'removed' : 'none';
    }
    if (event.type === 'BellPressed') {
      return 'none';
    }
    if (!entry) {
      if (event.type === 'Added' && event.lock) {
        set(provisional(event));
        return 'refetch';
      }
      return 'refetch';
    }
    const lock = { ...entry.lock };
    let enough = true;
    switch (event.type) {
      case 'StateChanged':
        setField(lock, 'state', event.to);
        setField(lock, 'stateCode', event.toCode);
        if (event.to) {
          lock.lastKnownState = event.to;
        }
        setField(lock, 'lastStateChangedDate', event.occurredAt);
        break;
      case 'DoorStateChanged':
        setField(lock, 'doorState', event.to);
        setField(lock, 'doorStateCode', event.toCode);
        break;
      case 'ConnectionChanged':
        lock.isConnected = Boolean(event.connected);
        if (!event.connected) {
          for (const field of ['state', 'stateCode', 'doorState', 'doorStateCode']) {
            delete lock[field];
          }
        } else {
          enough = false; // the position is known again only with the sync the service makes now
        }
        break;
      case 'BatteryChanged':
        setField(lock, 'batteryLevel', event.to);
        break;
      case 'ChargingChanged':
        lock.isCharging = Boolean(event.charging);
        break;
      case 'SettingsChanged':
        setField(lock, 'name', event.name);
        setField(lock, 'revision', event.revision);
        break;
      case 'IdChanged':
        setField(lock, 'id', event.lockId);
        enough = false;
        break;
      default:
        enough = false; // Added again, or an event this page does not know yet
    }
    set(lock);
    return enough && !lock.stale ? 'changed' : 'refetch';
  }

  function setField(lock, field, value) {
    if (value === null || value === undefined) {
      delete lock[field]; // as the API writes it: null fields left out
    } else {
      lock[field] = value;
    }
  }

  /** What an Added event says of a lock this page did not have, until its own view comes. */
  function provisional(event) {
    const view = event.lock;
    const lock = { serialNumber: event.serialNumber, id: event.lockId, isConnected: Boolean(view.isConnected), stale: false };
    for (const field of ['name', 'state', 'stateCode', 'doorState', 'batteryLevel', 'isCharging', 'revision']) {
      setField(lock, field, view[field]);
    }
    if (app.page.config && app.page.config.severalAccounts) {
      lock.account = event.account;
    }
    return lock;
  }

  // ---- filters: {state: [] (state names, and NO_STATE for a lock whose position is not known now, as
  // GET /api/locks takes them), account: [], connected, stale: null | boolean,
  // batteryBelow: null | 1..100, doorState: [], q: '', sort: '' | one of SORTS, desc: boolean}

  /** The API's state name for "state is null" (GET /api/locks?state=NONE). */
  const NO_STATE = 'NONE';

  function noFilters() {
    return { state: [], account: [], connected: null, stale: null, batteryBelow: null, doorState: [], q: '', sort: '', desc: false };
  }

  function list(params, name, pattern, upper) {
    return params.getAll(name).flatMap((value) => value.split(','))
      .map((value) => (upper ? value.trim().toUpperCase() : value.trim()))
      .filter((value, index, all) => pattern.test(value) && all.indexOf(value) === index);
  }

  function flag(value) {
    const text = String(value || '').toLowerCase();
    return text === 'true' ? true : text === 'false' ? false : null;
  }

  /** The filters of a fragment's query ("state=UNLOCKED&q=12"); what it cannot read it leaves out. */
  function parseFilters(query) {
    const params = new URLSearchParams(query);
    const filters = noFilters();
    filters.state = list(params, 'state', /^[A-Z_]{1,24}$/, true);
    // Old bookmarks said position=unknown, a name only the page knew; the API's is state=NONE.
    if (String(params.get('position') || '').toLowerCase() === 'unknown' && !filters.state.includes(NO_STATE)) {
      filters.state.push(NO_STATE);
    }
    filters.account = list(params, 'account', /^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/, false);
    filters.connected = flag(params.get('connected'));
    filters.stale = flag(params.get('stale'));
    const below = Number(params.get('batteryBelow'));
    filters.batteryBelow = Number.isInteger(below) && below >= 1 && below <= 100 ? below : null;
    filters.doorState = list(params, 'doorState', /^[A-Z_]{1,24}$/, true);
    filters.q = String(params.get('q') || '').trim().slice(0, 100);
    const sort = String(params.get('sort') || '').trim();
    const key = SORTS.find((name) => name.toLowerCase() === sort.replace(/^-/, '').toLowerCase());
    filters.sort = key || '';
    filters.desc = Boolean(key) && sort.startsWith('-');
    return filters;
  }

  /** The fragment query for these filters, in a fixed order ('' for none). */
  function formatFilters(filters) {
    const parts = [];
    const add = (name, value) => parts.push(name + '=' + value);
    const join = (values) => values.map(encodeURIComponent).join(',');
    if (filters.state.length) add('state', join(filters.state));
    if (filters.account.length) add('account', join(filters.account));
    if (filters.connected !== null) add('connected', String(filters.connected));
    if (filters.stale !== null) add('stale', String(filters.stale));
    if (filters.batteryBelow !== null) add('batteryBelow', String(filters.batteryBelow));
    if (filters.doorState.length) add('doorState', join(filters.doorState));
    if (filters.q) add('q', encodeURIComponent(filters.q));
    if (filters.sort) add('sort', (filters.desc ? '-' : '') + filters.sort);
    return parts.join('&');
  }

  function sameFilters(a, b) {
    return formatFilters(a) === formatFilters(b);
  }

  /** Whether any filter (not the sort) is on. */
  function filtering(filters) {
    return Boolean(filters.state.length || filters.account.length || filters.connected !== null
      || filters.stale !== null || filters.batteryBelow !== null || filters.doorState.length || filters.q);
  }

  function matches(entry, filters) {
    const lock = entry.lock;
    if (filters.state.length && !filters.state.includes(lock.state || NO_STATE)) return false;
    if (filters.account.length && !filters.account.includes(entry.account)) return false;
    if (filters.connected !== null && Boolean(lock.isConnected) !== filters.connected) return false;
    if (filters.stale !== null && Boolean(lock.stale) !== filters.stale) return false;
    if (filters.batteryBelow !== null && !(typeof lock.batteryLevel === 'number' && lock.batteryLevel < filters.batteryBelow)) return false;
    if (filters.doorState.length && !(lock.doorState && filters.doorState.includes(lock.doorState))) return false;
    if (filters.q && !entry.haystack.includes(filters.q.toLowerCase())) return false;
    return true;
  }

  const text = (a, b) => (a < b ? -1 : a > b ? 1 : 0);
  const KEYS = {
    name: (entry) => entry.name,
    state: (entry) => entry.lock.state || null,
    battery: (entry) => (typeof entry.lock.batteryLevel === 'number' ? entry.lock.batteryLevel : null),
    lastChange: (entry) => entry.changedAt,
  };

  /**
   * As GET /api/locks sorts: without a sort by account, name and serial; else by the key (nulls last
   * either way), ties by serial.
   */
  function comparator(filters) {
    if (!filters.sort) {
      return (a, b) => text(a.account, b.account) || text(a.name, b.name) || text(a.serial, b.serial);
    }
    const key = KEYS[filters.sort];
    const sign = filters.desc ? -1 : 1;
    return (a, b) => {
      const x = key(a);
      const y = key(b);
      if (x === null || y === null) {
        if (x !== y) {
          return x === null ? 1 : -1;
        }
      } else if (x !== y) {
        return sign * text(x, y);
      }
      return text(a.serial, b.serial);
    };
  }

  /** The serials that pass the filters, in their order. */
  function select(filters) {
    const chosen = [];
    for (const entry of entries.values()) {
      entry.account = app.accountOf(entry.lock);
      if (matches(entry, filters)) {
        chosen.push(entry);
      }
    }
    chosen.sort(comparator(filters));
    return chosen.map((entry) => entry.serial);
  }

  /** The counts of GET /api/summary's "total", from the locks in memory. */
  function summarize() {
    const threshold = lowBatteryBelow();
    const summary = { locks: 0, states: {}, unknownPosition: 0, offline: 0, stale: 0, lowBattery: 0, doorOpen: 0, lowBatteryBelow: threshold };
    for (const { lock } of entries.values()) {
      summary.locks += 1;
      if (lock.state) {
        summary.states[lock.state] = (summary.states[lock.state] || 0) + 1;
      } else {
        summary.unknownPosition += 1;
      }
      if (!lock.isConnected) summary.offline += 1;
      if (lock.stale) summary.stale += 1;
      if (typeof lock.batteryLevel === 'number' && lock.batteryLevel < threshold) summary.lowBattery += 1;
      if (lock.doorState === 'OPENED') summary.doorOpen += 1;
    }
    return summary;
  }

  app.model = {
    LOCK_STATES, NO_STATE, DOOR_STATES, SORTS, entries, set, replaceAll, applyEvent, lowBatteryBelow,
    noFilters, parseFilters, formatFilters, sameFilters, filtering, matches, comparator, select, summarize,
    get: (serial) => entries.get(serial),
    lock: (serial) => (entries.get(serial) || {}).lock,
    remove: (serial) => entries.delete(serial),
    size: () => entries.size,
  };
})();
