// The tedee-sync dashboard: the recent-events panel, newest first, the last 50. Events that come
// in a burst (a get-all of 500 locks) are drawn once per animation frame, only the ones that stay.
'use strict';

(() => {
  const app = window.tedeeSync;
  const { $, el, words, clock } = app;
  const EVENTS_SHOWN = 50;

  const waiting = [];
  let frame = 0;

  function add(event, id) {
    waiting.push({ event, id });
    if (waiting.length > EVENTS_SHOWN) {
      waiting.splice(0, waiting.length - EVENTS_SHOWN);
    }
    if (!frame) {
      frame = requestAnimationFrame(flush);
    }
  }

  function flush() {
    frame = 0;
    const list = $('#event-list');
    const rows = waiting.splice(0).map(({ event, id }) => row(event, id)).reverse();
    list.prepend(...rows);
    while (list.children.length > EVENTS_SHOWN) {
      list.lastElementChild.remove();
    }
    drawEmpty();
  }

  function row(event, id) {
    const item = el('li', { class: 'event', 'data-event-id': String(id || ''), 'data-type': event.type || '' },
      el('time', { datetime: event.occurredAt || '' }, event.occurredAt ? clock(event.occurredAt) : ''),
      el('span', { class: 'event-what' }, el('strong', {}, subject(event)), ' ', describe(event)),
      el('span', { class: 'source' }, words(event.source || '')));
    if (event.serialNumber) {
      item.dataset.serial = event.serialNumber;
    }
    return item;
  }

  function clear() {
    waiting.length = 0;
    $('#event-list').textContent = '';
    drawEmpty();
  }

  function drawEmpty() {
    $('#events-empty').hidden = $('#event-list').children.length > 0;
  }

  function subject(event) {
    if (!event.serialNumber) {
      return 'Account ' + (event.account || '');
    }
    const lock = app.model.lock(event.serialNumber);
    return (lock && lock.name) || (event.lock && event.lock.name) || event.serialNumber;
  }

  function describe(event) {
    const state = (name) => (name ? words(name) : 'unknown');
    switch (event.type) {
      case 'Added': return 'added' + (!event.lock ? '' : event.lock.isConnected === false ? ' (disconnected)'
        : event.lock.state ? ' (' + words(event.lock.state) + ')' : '');
      case 'Removed': return 'removed from the account';
      case 'IdChanged': return 're-added (new id ' + event.lockId + ')';
      case 'StateChanged': return (event.from ? state(event.from) + ' → ' : '') + state(event.to);
      case 'DoorStateChanged': return 'door ' + (event.from ? state(event.from) + ' → ' : '') + state(event.to);
      case 'ConnectionChanged': return event.connected ? 'connected' : 'disconnected';
      case 'BatteryChanged': return 'battery ' + (event.from !== null && event.from !== undefined ? event.from + ' % → ' : '') + event.to + ' %';
      case 'ChargingChanged': return event.charging ? 'started charging' : 'stopped charging';
      case 'SettingsChanged': return event.previousName && event.previousName !== event.name
        ? 'renamed from ' + event.previousName : 'settings changed';
      case 'BellPressed': return 'bell pressed';
      case 'AccountDegraded': return 'degraded: ' + (event.reason || 'no reason given');
      case 'AccountRecovered': return 'recovered';
      case 'AccountFailed': return 'failed: ' + (event.reason || 'no reason given');
      default: return words(event.type || 'event');
    }
  }

  app.events = { add, clear, drawEmpty, EVENTS_SHOWN };
})();
