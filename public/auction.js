// The live auction page: state from GET …/auction, updates from Server-Sent Events, a countdown
// against the server's clock, and the bid / pass form sent to the API.
(function () {
  'use strict';
  var root = document.getElementById('auction');
  if (!root) return;
  var projectId = root.getAttribute('data-project-id');
  var texts = JSON.parse(document.getElementById('auction-texts').textContent);
  var state = JSON.parse(document.getElementById('auction-state').textContent);
  var baseTitle = document.title;
  var offset = 0; // server time minus browser time
  var live = document.getElementById('auction-live');
  var form = document.getElementById('bid-form');
  var source;

  function fill(text, values) {
    return text.replace(/%(\w+)%/g, function (_, name) { return values && values[name] !== undefined && values[name] !== null ? String(values[name]) : ''; });
  }
  function money(fen) {
    var sign = fen < 0 ? '-' : '';
    var abs = Math.abs(fen);
    return sign + '¥' + Math.floor(abs / 100).toLocaleString('en-US') + '.' + String(abs % 100).padStart(2, '0');
  }
  function setText(id, text) {
    var el = document.getElementById(id);
    if (el) el.textContent = text;
  }
  function announce(text) {
    if (!text) return;
    var item = document.createElement('p');
    item.textContent = text;
    live.appendChild(item);
    while (live.childNodes.length > 3) live.removeChild(live.firstChild);
  }
  function clock(seconds) {
    var m = Math.floor(seconds / 60);
    var s = seconds % 60;
    return (m < 10 ? '0' : '') + m + ':' + (s < 10 ? '0' : '') + s;
  }
  function secondsLeft() {
    if (!state.current) return null;
    var left = Math.ceil((Date.parse(state.current.deadline) - (Date.now() + offset)) / 1000);
    return Math.max(0, left);
  }

  function render() {
    offset = Date.parse(state.serverTime) - Date.now();
    var phase;
    if (state.phase === 'pending') phase = texts.notStarted;
    else if (state.phase === 'ended') phase = texts.ended + (state.projectStatus === 'drawing' ? ' ' + texts.tieBreakPending : '');
    else phase = fill(texts.turnOf, { round: state.current.round, rounds: state.rounds, label: state.current.label });
    if (state.you && state.you.yourTurn) phase += ' ' + texts.yourTurn;
    setText('auction-phase', phase);

    var rows = document.getElementById('auction-prices');
    rows.textContent = '';
    state.bidders.forEach(function (bidder) {
      var tr = document.createElement('tr');
      tr.setAttribute('data-label', bidder.label);
      if (state.current && state.current.label === bidder.label) tr.className = 'is-current';
      var th = document.createElement('th');
      th.scope = 'row';
      th.textContent = bidder.label + (state.you && state.you.label === bidder.label ? ' (' + texts.you + ')' : '') + (bidder.withdrawn ? ' · ' + texts.withdrawn : '');
      var initial = document.createElement('td');
      initial.textContent = money(bidder.initialFen);
      var current = document.createElement('td');
      current.className = 'auction-current';
      current.textContent = money(bidder.currentFen);
      tr.appendChild(th);
      tr.appendChild(initial);
      tr.appendChild(current);
      rows.appendChild(tr);
    });

    var log = document.getElementById('auction-log');
    log.textContent = '';
    state.log.slice().reverse().forEach(function (entry) {
      var li = document.createElement('li');
      li.textContent = entry.round + '-' + entry.turn + ' · ' + entry.label + ' · ' + (texts['outcomes.' + entry.outcome] || entry.outcome) + (entry.amountFen !== null ? ' ' + money(entry.amountFen) : '');
      log.appendChild(li);
    });

    if (form && state.you) {
      var fieldset = document.getElementById('bid-fieldset');
      var wasDisabled = fieldset.disabled;
      fieldset.disabled = !state.you.yourTurn;
      setText('bid-legend', state.you.yourTurn ? texts.yourTurn : fill(texts.turnOf, state.current ? { round: state.current.round, label: state.current.label } : {}));
      setText('bid-max', money(state.you.maxBidFen));
      if (wasDisabled && state.you.yourTurn) document.getElementById('bid-amount').focus();
    }

    var resultSection = document.getElementById('auction-result-section');
    if (state.result && state.result.ranking) {
      resultSection.hidden = false;
      var list = document.getElementById('auction-result');
      list.textContent = '';
      state.result.ranking.forEach(function (entry) {
        var li = document.createElement('li');
        li.textContent = (entry.label ? entry.label + ' · ' : '') + entry.name + ' · ' + money(entry.amountFen);
        list.appendChild(li);
      });
    }
    tick();
  }

  function tick() {
    var left = secondsLeft();
    if (left === null) {
      setText('auction-countdown', '');
      document.title = baseTitle;
      return;
    }
    setText('auction-countdown', clock(left));
    document.title = '(' + clock(left) + ') ' + state.current.label + ' · ' + baseTitle;
  }

  var refreshing = false;
  var again = false;
  function refresh() {
    if (refreshing) { again = true; return; }
    refreshing = true;
    fetch('/api/v1/projects/' + projectId + '/auction', { headers: { Accept: 'application/json' }, credentials: 'same-origin' })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (next) { if (next) { state = next; render(); } })
      .catch(function () { announce(texts.connectionLost); })
      .then(function () {
        refreshing = false;
        if (again) { again = false; refresh(); }
      });
  }

  function onEvent(event) {
    var data = JSON.parse(event.data);
    var values = { round: data.round, turn: data.turn, label: data.label, amount: data.amountFen !== undefined ? money(data.amountFen) : '' };
    if (data.type === 'ended') {
      announce(texts['announce.ended']);
      if (source) source.close();
    } else if (texts['announce.' + data.type]) {
      announce(fill(texts['announce.' + data.type], values));
    }
    refresh();
  }

  function connect() {
    if (!window.EventSource || state.phase === 'ended') return;
    source = new window.EventSource('/api/v1/projects/' + projectId + '/auction/events' + (state.lastEventId ? '?lastEventId=' + state.lastEventId : ''));
    ['started', 'turn', 'bid', 'pass', 'timeout', 'withdraw', 'ended'].forEach(function (type) {
      source.addEventListener(type, onEvent);
    });
  }

  function newKey() {
    if (window.crypto && window.crypto.randomUUID) return window.crypto.randomUUID();
    return String(Date.now()) + '-' + Math.random().toString(36).slice(2);
  }

  if (form) {
    var pending = null;
    form.addEventListener('submit', function (event) {
      event.preventDefault();
      var submitter = event.submitter || document.getElementById('bid-submit');
      var pass = submitter && submitter.value === 'pass';
      var error = document.getElementById('bid-error');
      error.textContent = '';
      var body;
      if (pass) {
        body = { pass: true };
      } else {
        var text = document.getElementById('bid-amount').value.replace(/[,，\s¥￥]/g, '');
        var match = /^(\d{1,13})(?:\.(\d{1,2}))?$/.exec(text);
        if (!match) { error.textContent = texts.bidRefused; document.getElementById('bid-amount').focus(); return; }
        body = { amountFen: Number(match[1]) * 100 + Number((match[2] || '').padEnd(2, '0')) };
      }
      // a retry of the same action keeps its key, so a lost answer never makes a second bid
      var signature = JSON.stringify(body);
      if (!pending || pending.signature !== signature) pending = { signature: signature, key: newKey() };
      fetch('/api/v1/projects/' + projectId + '/auction/bids', {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json', 'X-CSRF-Token': form.elements._csrf.value, 'Idempotency-Key': pending.key },
        body: signature,
      }).then(function (response) {
        if (response.ok) {
          pending = null;
          document.getElementById('bid-amount').value = '';
          refresh();
          return;
        }
        pending = null;
        return response.json().then(function (problem) {
          error.textContent = texts.bidRefused + ' ' + (problem.detail || '');
          refresh();
        });
      }).catch(function () {
        error.textContent = texts.connectionLost;
      });
    });
  }

  render();
  connect();
  setInterval(function () {
    var left = secondsLeft();
    tick();
    // the deadline passed and no event came yet: read the state, which settles the turn
    if (left === 0 && state.phase === 'running') refresh();
  }, 1000);
})();
