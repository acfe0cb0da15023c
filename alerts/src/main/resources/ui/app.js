'use strict';
// The nurse UI: plain JS against /api. The list is re-read whenever the server pushes a change.
(function () {
  const $ = (id) => document.getElementById(id);
  let me = null;
  let source = null;
  let reloadTimer = null;
  let refresher = null;

  async function api(path, options) {
    const res = await fetch(path, Object.assign({ credentials: 'same-origin' }, options || {}));
    if (res.status === 401) {
      showLogin();
      throw new Error('signed out');
    }
    return res;
  }

  function showLogin() {
    if (source) { source.close(); source = null; }
    $('app').hidden = true;
    $('who').hidden = true;
    $('login').hidden = false;
  }

  async function start() {
    const res = await fetch('/api/me', { credentials: 'same-origin' });
    if (res.status !== 200) { showLogin(); return; }
    me = await res.json();
    $('login').hidden = true;
    $('app').hidden = false;
    $('who').hidden = false;
    $('user').textContent = me.user;
    $('teams').textContent = me.teams.join(', ');
    await load();
    listen();
    // Alerts that cleared by themselves leave the list after a while without any event.
    if (!refresher) { refresher = setInterval(() => { if (source) { load(); } }, 60000); }
  }

  function listen() {
    source = new EventSource('/api/stream');
    source.addEventListener('ready', () => setLive(true));
    source.addEventListener('alert', () => scheduleReload());
    source.onerror = () => setLive(false);
  }

  function setLive(on) {
    const el = $('live');
    el.textContent = on ? 'live' : 'reconnecting';
    el.className = 'live ' + (on ? 'on' : 'off');
    if (on) { scheduleReload(); }
  }

  function scheduleReload() {
    clearTimeout(reloadTimer);
    reloadTimer = setTimeout(load, 150);
  }

  async function load() {
    const res = await api('/api/alerts');
    if (!res.ok) { $('message').textContent = 'Could not load alerts (' + res.status + ')'; return; }
    render(await res.json());
  }

  function render(cards) {
    const list = $('alerts');
    list.replaceChildren(...cards.map(card));
    $('empty').hidden = cards.length > 0;
  }

  function pct(x) { return x == null ? '–' : Math.round(x * 100) + '%'; }

  function age(iso) {
    const mins = Math.max(0, Math.round((Date.now() - Date.parse(iso)) / 60000));
    return mins < 60 ? mins + ' min' : Math.floor(mins / 60) + ' h ' + (mins % 60) + ' min';
  }

  function clock(iso) {
    const d = new Date(iso);
    const sameDay = d.toDateString() === new Date().toDateString();
    const time = d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
    return sameDay ? time : d.toLocaleDateString([], { day: 'numeric', month: 'short' }) + ' ' + time;
  }

  function card(c) {
    const a = c.alert;
    const r = c.risk || {};
    const li = $('card').content.firstElementChild.cloneNode(true);
    li.dataset.alertId = a.alertId;
    li.classList.add(a.priority, a.category);
    li.querySelector('.priority').textContent = a.priority;
    li.querySelector('.patient').textContent = a.patient;
    const status = li.querySelector('.status');
    status.textContent = a.status + (a.tier > 0 ? ' · ' + a.tierName : '');
    status.classList.add(a.status);
    li.querySelector('.cause').textContent =
      a.cause.replace(/_/g, ' ').toLowerCase() + (a.category === 'TECHNICAL' ? ' (technical)' : '');
    const late = li.querySelector('.late');
    if (a.lateData) {
      // Late readings describe the past: say which window, in the ward's local time.
      late.hidden = false;
      late.textContent = 'Late data: readings for the window ending ' + clock(a.lateWindowEnd) +
        ' arrived after it closed' +
        (a.lateRevision > 0 ? ' (re-scored, revision ' + a.lateRevision + ')' : '');
    }
    const cleared = li.querySelector('.cleared');
    if (a.cleared && a.status !== 'RESOLVED') {
      // A latched HIGH alarm: the condition is gone, but nobody has seen it yet.
      cleared.hidden = false;
      cleared.textContent = 'Condition cleared before anyone acknowledged: acknowledge to close';
    }
    if (a.clearedBySelf) {
      // A MEDIUM/LOW alarm that went away before anyone looked: say so before it leaves the list.
      li.classList.add('self-cleared');
      cleared.hidden = false;
      cleared.textContent = 'Cleared by itself at ' + clock(a.resolvedAt) +
        ', never acknowledged (leaves the list at ' + clock(a.listedUntil) + ')';
    }
    li.querySelector('.lstm').textContent = 'LSTM risk ' + pct(r.lstmRisk != null ? r.lstmRisk : a.lstmRisk);
    li.querySelector('.news2').textContent =
      'NEWS2 ' + (r.news2Total != null ? r.news2Total : (a.news2Total != null ? a.news2Total : '–')) +
      (r.news2Complete === false ? ' (incomplete)' : '');
    li.querySelector('.age').textContent = 'raised ' + age(a.raisedAt) + ' ago';
    const sub = r.news2SubScores || {};
    li.querySelector('.subscores').textContent =
      Object.keys(sub).map((k) => k + ' ' + sub[k]).join(' · ');
    li.querySelector('.contributors').textContent = (r.contributors || []).length
      ? 'Top vitals: ' + r.contributors.map((x) => x.vital.replace(/_/g, ' ')).join(', ') : '';
    spark(li.querySelector('.spark'), r.trend || []);
    li.querySelector('.note').textContent =
      a.acknowledgedBy ? 'Acknowledged by ' + a.acknowledgedBy : (a.lastNote || '');
    const ack = li.querySelector('.ack');
    ack.disabled = a.status === 'ACKNOWLEDGED';
    ack.addEventListener('click', () => act(a.alertId, 'acknowledge', ack));
    const resolve = li.querySelector('.resolve');
    resolve.addEventListener('click', () => act(a.alertId, 'resolve', resolve));
    if (a.status === 'RESOLVED') { ack.hidden = true; resolve.hidden = true; }
    return li;
  }

  function spark(svg, trend) {
    const ns = 'http://www.w3.org/2000/svg';
    // The right edge is the newest window (event time), so replays of past stays draw too.
    const now = trend.length ? Date.parse(trend[trend.length - 1].t) : Date.now();
    const from = now - 24 * 3600 * 1000;
    const pts = trend.filter((p) => p.lstmRisk != null || p.news2 != null).map((p) => {
      const x = Math.max(0, (Date.parse(p.t) - from) / (now - from)) * 240;
      const v = p.lstmRisk != null ? p.lstmRisk : Math.min(1, p.news2 / 20);
      return x.toFixed(1) + ',' + (40 - v * 38 - 1).toFixed(1);
    });
    svg.setAttribute('aria-label', '24 hour risk trend, ' + pts.length + ' windows');
    const line = document.createElementNS(ns, 'polyline');
    line.setAttribute('points', pts.join(' '));
    svg.appendChild(line);
  }

  async function act(id, verb, button) {
    button.disabled = true;
    $('message').textContent = '';
    try {
      const res = await api('/api/alerts/' + encodeURIComponent(id) + '/' + verb, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-Vigil-Csrf': me.csrfToken },
        body: '{}'
      });
      if (res.status !== 202) {
        const p = await res.json().catch(() => ({}));
        $('message').textContent = p.detail || ('Failed: ' + res.status);
        button.disabled = false;
      }
    } catch (e) {
      button.disabled = false;
    }
  }

  $('login').addEventListener('submit', async (ev) => {
    ev.preventDefault();
    $('login-error').textContent = '';
    const res = await fetch('/login', {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ username: $('username').value, password: $('password').value })
    });
    if (res.ok) { $('password').value = ''; start(); } else if (res.status === 429) {
      const wait = res.headers.get('Retry-After') || '60';
      $('login-error').textContent =
        'Too many failed sign-ins. Try again in ' + wait + ' seconds.';
    } else {
      $('login-error').textContent = 'Wrong user name or password.';
    }
  });

  $('logout').addEventListener('click', async () => {
    await fetch('/logout', { method: 'POST', credentials: 'same-origin' });
    showLogin();
  });

  start();
})();
