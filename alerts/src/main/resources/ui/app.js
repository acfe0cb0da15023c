'use strict';
// The nurse UI: plain JS against /api. The ward overview is read once, then kept current by the
// live stream's `patient` events (one row per changed patient); the alert list is re-read when an
// `alert` event says an alert changed.
(function () {
  const $ = (id) => document.getElementById(id);
  let me = null;
  let source = null;
  let reloadTimer = null;
  let evidenceRetry = null;    // asks the list again while some card's evidence is unavailable
  let refresher = null;
  let ageTimer = null;
  let staleAfterMs = 15 * 60000;
  const rows = new Map();      // patient key -> row from the API
  const rowEls = new Map();    // patient key -> <tr>
  const pending = new Set();   // patients changed since the last paint
  let paintQueued = false;
  let alerts = [];             // the last alert list
  const seenHigh = new Set();  // HIGH alerts already announced
  let firstAlertLoad = true;
  let riskChart = null;
  let shownPatient = null;

  // Words a nurse uses.
  const CAUSES = {
    NEWS2_HIGH: 'NEWS2 7 or more',
    NEWS2_MEDIUM: 'NEWS2 5 or 6',
    NEWS2_SINGLE_PARAMETER: 'single parameter scored 3',
    LSTM_RISK: 'LSTM risk above the ward\'s threshold',
    READINGS_STOPPED: 'readings stopped',
    DELIVERY_FAILED: 'alert could not be delivered'
  };
  const SUBSCORES = {
    respirationRate: 'RR', spo2: 'SpO2', airOrOxygen: 'air or oxygen', systolicBp: 'BP sys',
    pulse: 'HR', consciousness: 'ACVPU', temperature: 'Temp'
  };
  const MISSING = {
    RESPIRATION_RATE: 'RR', SPO2: 'SpO2', AIR_OR_OXYGEN: 'air or oxygen', SYSTOLIC_BP: 'BP sys',
    PULSE: 'HR', CONSCIOUSNESS: 'ACVPU', TEMPERATURE: 'Temp'
  };
  const VITALS = {
    heart_rate: 'HR', respiratory_rate: 'RR', oxygen_saturation: 'SpO2', body_temperature: 'Temp',
    systolic_bp: 'BP sys', diastolic_bp: 'BP dia', mean_bp: 'mean BP'
  };
  const ACVPU = { A: 'alert', C: 'new confusion', V: 'responds to voice', P: 'responds to pain', U: 'unresponsive' };
  const REASONS = [
    ['REVIEWING_PATIENT', 'Reviewing the patient now'],
    ['CONTACTING_PATIENT', 'Contacting the patient'],
    ['CHECKING_DEVICE', 'Checking the device or its placement'],
    ['KNOWN_CONDITION_PLAN_IN_PLACE', 'Known condition, plan in place'],
    ['OTHER', 'Other (say what in the note)']
  ];
  const OUTCOMES = [
    ['ESCALATED_TO_CLINICIAN', 'Escalated to clinician'],
    ['FALSE_ALARM_ARTEFACT', 'False alarm: artefact'],
    ['FALSE_ALARM_EXPECTED', 'False alarm: expected for this patient'],
    ['OTHER', 'Other (say what in the note)']
  ];
  const label = (list, v) => (list.find((x) => x[0] === v) || [v, v])[1];
  const causeWords = (c) => CAUSES[c] || c.replace(/_/g, ' ').toLowerCase();

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
    document.title = 'Vigil ward';
  }

  async function start() {
    const res = await fetch('/api/me', { credentials: 'same-origin' });
    if (res.status !== 200) { showLogin(); return; }
    me = await res.json();
    $('login').hidden = true;
    $('app').hidden = false;
    $('who').hidden = false;
    $('user').textContent = me.user;
    $('teams').textContent = (me.teams || []).join(', ');
    const filter = $('team-filter');
    filter.replaceChildren(new Option('All my teams', ''), ...(me.teams || []).map((t) => new Option(t, t)));
    $('sound').checked = localStorage.getItem('vigil.sound') === 'on';
    showNotifyState();
    await Promise.all([loadWard(), loadAlerts()]);
    listen();
    // Alerts that cleared by themselves leave the list after a while without any event.
    if (!refresher) { refresher = setInterval(() => { if (source) { loadAlerts(); } }, 60000); }
    if (!ageTimer) { ageTimer = setInterval(refreshAges, 15000); }
  }

  function listen() {
    source = new EventSource('/api/stream');
    source.addEventListener('ready', () => setLive(true));
    source.addEventListener('alert', (ev) => { announce(JSON.parse(ev.data)); scheduleReload(); });
    source.addEventListener('patient', (ev) => upsert(JSON.parse(ev.data)));
    source.onerror = () => setLive(false);
  }

  function setLive(on) {
    const el = $('live');
    el.textContent = on ? 'live' : 'reconnecting';
    el.className = 'live ' + (on ? 'on' : 'off');
    // After a reconnect, what changed meanwhile is read whole once.
    if (on) { scheduleReload(); loadWard(); }
  }

  function scheduleReload() {
    clearTimeout(reloadTimer);
    reloadTimer = setTimeout(loadAlerts, 150);
  }

  // ---- ward overview ----

  async function loadWard() {
    const res = await api('/api/ward');
    if (!res.ok) { $('message').textContent = 'Could not load the ward (' + res.status + ')'; return; }
    const ward = await res.json();
    staleAfterMs = ward.staleAfterMinutes * 60000;
    const t0 = performance.now();
    rows.clear();
    (ward.patients || []).forEach((r) => rows.set(r.patient, r));
    rowEls.forEach((el) => el.remove());
    rowEls.clear();
    pending.clear();
    const body = $('ward-rows');
    const frag = document.createDocumentFragment();
    sortedKeys().forEach((k) => { const el = rowElement(rows.get(k)); rowEls.set(k, el); frag.appendChild(el); });
    body.appendChild(frag);
    applyFilter();
    window.__vigilWardRendered = { patients: rows.size, ms: performance.now() - t0, at: performance.now() };
    loadThresholds().catch(() => {});
  }

  // The LSTM threshold each of my teams uses and how it was chosen, in one line.
  async function loadThresholds() {
    const res = await api('/api/teams/thresholds');
    if (!res.ok) { $('lstm-thresholds').textContent = ''; return; }
    const fmt = (x, d) => (x == null ? '?' : Number(x).toFixed(d));
    const parts = ((await res.json()).teams || []).map((t) => {
      if (t.source === 'BUDGET') {
        const changed = t.changedAt ? ', changed ' + new Date(t.changedAt).toLocaleString() : '';
        return t.team + ': ' + fmt(t.threshold, 4) + ' from the alert budget of ' + fmt(t.budget, 2) +
          ' alerts per patient-day (' + fmt(t.observedRate, 2) + ' observed over ' +
          fmt(t.patientDays, 1) + ' patient-days' + changed + ')';
      }
      if (t.source === 'FIXED') { return t.team + ': ' + fmt(t.threshold, 4) + ', fixed'; }
      if (t.budget != null) {
        return t.team + ': the model\'s' + (t.threshold == null ? '' : ' ' + fmt(t.threshold, 4)) +
          ' while the alert budget of ' + fmt(t.budget, 2) + ' per patient-day warms up (' +
          fmt(t.patientDays, 1) + ' patient-days so far)';
      }
      return t.team + ': the model\'s';
    });
    $('lstm-thresholds').textContent = parts.length ? 'LSTM threshold · ' + parts.join(' · ') : '';
  }

  function upsert(r) {
    if (r.gone) { rows.delete(r.patient); } else {
      const old = rows.get(r.patient);
      // The alert columns come from the alert list, not from the readings' stream.
      if (old) { Object.assign(r, alertFields(old)); }
      rows.set(r.patient, r);
    }
    pending.add(r.patient);
    queuePaint();
  }

  function alertFields(r) {
    return { openAlerts: r.openAlerts, unacknowledged: r.unacknowledged,
      highestPriority: r.highestPriority, escalated: r.escalated };
  }

  function queuePaint() {
    if (paintQueued) { return; }
    paintQueued = true;
    requestAnimationFrame(paint);
  }

  // Replaces only the rows that changed, then moves rows whose place in the order changed.
  function paint() {
    paintQueued = false;
    const t0 = performance.now();
    pending.forEach((k) => {
      const old = rowEls.get(k);
      const r = rows.get(k);
      if (!r) { if (old) { old.remove(); rowEls.delete(k); } return; }
      const el = rowElement(r);
      if (old) { old.replaceWith(el); } else { $('ward-rows').appendChild(el); }
      rowEls.set(k, el);
    });
    pending.clear();
    const body = $('ward-rows');
    let prev = null;
    sortedKeys().forEach((k) => {
      const el = rowEls.get(k);
      const want = prev ? prev.nextElementSibling : body.firstElementChild;
      if (el !== want) { body.insertBefore(el, want); }
      prev = el;
    });
    applyFilter();
    const ms = performance.now() - t0;
    window.__vigilPaints = (window.__vigilPaints || 0) + 1;
    window.__vigilLongestPaintMs = Math.max(window.__vigilLongestPaintMs || 0, ms);
  }

  function acuity(a, b) {
    const high = (b.highestPriority === 'HIGH') - (a.highestPriority === 'HIGH');
    if (high) { return high; }
    const n = (b.news2 == null ? -1 : b.news2) - (a.news2 == null ? -1 : a.news2);
    if (n) { return n; }
    const r = (b.risk == null ? -1 : b.risk) - (a.risk == null ? -1 : a.risk);
    if (r) { return r; }
    return a.patient < b.patient ? -1 : a.patient > b.patient ? 1 : 0;
  }

  function sortedKeys() {
    return Array.from(rows.values()).sort(acuity).map((r) => r.patient);
  }

  function applyFilter() {
    const team = $('team-filter').value;
    const q = $('search').value.trim().toLowerCase();
    let shown = 0;
    rowEls.forEach((el, k) => {
      const r = rows.get(k);
      const visible = (!team || r.team === team) && (!q || k.toLowerCase().includes(q));
      el.hidden = !visible;
      if (visible) { shown++; }
    });
    $('ward-count').textContent = '(' + shown + (shown === rows.size ? '' : ' of ' + rows.size) + ')';
    $('ward-empty').hidden = rows.size > 0;
  }

  function fmt(v, digits) { return v == null ? '–' : Number(v).toFixed(digits); }

  function td(cls, text, title) {
    const c = document.createElement('td');
    c.className = cls;
    c.textContent = text;
    if (title) { c.title = title; }
    return c;
  }

  function vitalCell(cls, reading, digits, name) {
    const c = td('vital ' + cls, reading && reading.value != null ? fmt(reading.value, digits) : '–');
    c.dataset.label = name;
    if (reading && reading.at) {
      c.dataset.at = reading.at;
      c.title = name + ' measured ' + clock(reading.at) + ' (' + age(reading.at) + ' ago)';
      appendAge(c, reading.at);
    }
    return c;
  }

  // A reading's age on a line under its value, kept current by refreshAges.
  function appendAge(cell, at) {
    const small = document.createElement('span');
    small.className = 'age';
    small.dataset.at = at;
    small.textContent = age(at);
    cell.appendChild(document.createElement('br'));
    cell.appendChild(small);
  }

  function rowElement(r) {
    const tr = document.createElement('tr');
    tr.className = 'patient-row';
    tr.dataset.patient = r.patient;
    tr.dataset.team = r.team;
    const v = {};
    (r.vitals || []).forEach((x) => { v[x.vital] = x; });
    const who = document.createElement('td');
    who.className = 'who';
    who.dataset.label = 'Patient';
    const open = document.createElement('button');
    open.type = 'button';
    open.className = 'linkish';
    open.textContent = r.patient;
    open.setAttribute('aria-label', 'Open patient ' + r.patient);
    open.addEventListener('click', () => showPatient(r.patient));
    who.appendChild(open);
    const team = document.createElement('span');
    team.className = 'team muted';
    team.textContent = ' ' + r.team.substring(r.team.indexOf('/') + 1);
    who.appendChild(team);
    tr.appendChild(who);

    const badge = td('badge', '');
    badge.dataset.label = 'Alerts';
    if (r.openAlerts > 0) {
      const b = document.createElement('span');
      b.className = 'alert-badge ' + (r.highestPriority || '') + (r.escalated ? ' escalated' : '');
      b.textContent = r.highestPriority + ' ' + r.openAlerts + (r.unacknowledged ? ' (' + r.unacknowledged + ' new)' : '') +
        (r.escalated ? ' · escalated' : '');
      badge.appendChild(b);
    }
    tr.appendChild(badge);

    const news = td('news2 ' + (r.news2Band ? 'band-' + r.news2Band : ''),
      r.news2 == null ? '–' : String(r.news2) + (r.news2Complete ? '' : '*'),
      r.news2 == null ? 'not scored yet' : 'NEWS2 ' + r.news2 + ', ' + r.news2Band + (r.news2Complete ? '' : ' (incomplete: missing parameters)') +
        (r.singleParameter3 ? ', a single parameter scored 3' : ''));
    news.dataset.label = 'NEWS2';
    if (r.news2Band) { news.setAttribute('aria-label', 'NEWS2 ' + r.news2 + ', ' + r.news2Band); }
    tr.appendChild(news);

    const arrow = { up: ' ↑', down: ' ↓', steady: ' →' }[r.riskTrend] || '';
    const risk = td('risk' + (r.riskThreshold != null && r.risk != null && r.risk >= r.riskThreshold ? ' above' : ''),
      r.risk == null ? '–' : pct(r.risk) + arrow,
      r.risk == null ? 'no LSTM risk' : 'LSTM risk ' + pct(r.risk) +
        (r.previousRisk != null ? ', was ' + pct(r.previousRisk) : '') +
        (r.riskThreshold != null ? '; threshold ' + pct(r.riskThreshold) : ''));
    risk.dataset.label = 'LSTM risk';
    tr.appendChild(risk);

    tr.appendChild(vitalCell('hr', v.HR, 0, 'HR'));
    tr.appendChild(vitalCell('rr', v.RR, 0, 'RR'));
    tr.appendChild(vitalCell('spo2', v.SpO2, 0, 'SpO2'));
    const sys = v['BP sys'];
    const dia = v['BP dia'];
    const bp = td('vital bp', (sys && sys.value != null ? fmt(sys.value, 0) : '–') + '/' +
      (dia && dia.value != null ? fmt(dia.value, 0) : '–'));
    bp.dataset.label = 'BP';
    if (sys && sys.at) {
      bp.title = 'BP measured ' + clock(sys.at);
      appendAge(bp, sys.at);
    }
    tr.appendChild(bp);
    tr.appendChild(vitalCell('temp', v.Temp, 1, 'Temp'));
    const acvpu = td('acvpu', r.acvpu || '–', r.acvpu ? ACVPU[r.acvpu] : 'not reported');
    acvpu.dataset.label = 'ACVPU';
    tr.appendChild(acvpu);
    const last = td('fresh', '');
    last.dataset.label = 'Last reading';
    if (r.lastReading) { last.dataset.last = r.lastReading; }
    freshness(tr, last);
    tr.appendChild(last);
    return tr;
  }

  function freshness(tr, cell) {
    const at = cell.dataset.last;
    if (!at) { cell.textContent = 'no readings yet'; tr.classList.add('stale'); return; }
    const ms = Date.now() - Date.parse(at);
    const stale = ms > staleAfterMs;
    tr.classList.toggle('stale', stale);
    cell.textContent = stale ? 'no readings for ' + age(at) : clock(at) + ' (' + age(at) + ' ago)';
  }

  function refreshAges() {
    document.querySelectorAll('span.age[data-at]').forEach((s) => { s.textContent = age(s.dataset.at); });
    document.querySelectorAll('td.fresh').forEach((c) => freshness(c.parentElement, c));
    document.querySelectorAll('.card .age[data-raised]').forEach((s) => {
      s.textContent = 'raised ' + age(s.dataset.raised) + ' ago';
    });
  }

  $('team-filter').addEventListener('change', applyFilter);
  $('search').addEventListener('input', applyFilter);

  // ---- alerts ----

  async function loadAlerts() {
    const res = await api('/api/alerts');
    if (!res.ok) { $('message').textContent = 'Could not load alerts (' + res.status + ')'; return; }
    render(await res.json());
    loadOutcomes();
  }

  function render(cards) {
    alerts = cards;
    clearTimeout(evidenceRetry);
    if (cards.some((c) => c.riskUnavailable)) { evidenceRetry = setTimeout(loadAlerts, 3000); }
    const list = $('alerts');
    list.replaceChildren(...cards.map(card));
    $('empty').hidden = cards.length > 0;
    const unacked = cards.filter((c) => c.alert.status !== 'RESOLVED' && !c.alert.acknowledgedBy).length;
    $('alert-count').textContent = unacked ? '(' + unacked + ' unacknowledged)' : '';
    document.title = (unacked ? '(' + unacked + ') ' : '') + 'Vigil ward';
    if (firstAlertLoad) {
      cards.forEach((c) => { if (c.alert.priority === 'HIGH') { seenHigh.add(c.alert.alertId); } });
      firstAlertLoad = false;
    }
    badges(cards);
  }

  // The alert columns of the overview follow the alert list.
  function badges(cards) {
    const by = new Map();
    cards.forEach((c) => {
      const a = c.alert;
      if (!a.patient || a.status === 'RESOLVED') { return; }
      const b = by.get(a.patient) || { openAlerts: 0, unacknowledged: 0, highestPriority: null, escalated: false, team: a.patient.split('/')[0] + '/' + a.careTeam };
      b.openAlerts++;
      if (!a.acknowledgedBy) { b.unacknowledged++; if (a.tier > 0) { b.escalated = true; } }
      const rank = { HIGH: 0, MEDIUM: 1, LOW: 2 };
      if (b.highestPriority == null || rank[a.priority] < rank[b.highestPriority]) { b.highestPriority = a.priority; }
      by.set(a.patient, b);
    });
    rows.forEach((r, k) => {
      const b = by.get(k) || { openAlerts: 0, unacknowledged: 0, highestPriority: null, escalated: false };
      const before = JSON.stringify(alertFields(r));
      Object.assign(r, alertFields(b));
      if (JSON.stringify(alertFields(r)) !== before) { pending.add(k); }
    });
    by.forEach((b, k) => {
      if (!rows.has(k)) {
        rows.set(k, Object.assign({ patient: k, team: b.team, vitals: [] }, alertFields(b)));
        pending.add(k);
      }
    });
    if (pending.size) { queuePaint(); }
  }

  async function loadOutcomes() {
    const res = await api('/api/outcomes');
    if (!res.ok) { return; }
    const list = await res.json();
    const body = $('outcomes').tBodies[0];
    body.replaceChildren(...list.map((o) => {
      const tr = document.createElement('tr');
      tr.className = o.outcome.startsWith('FALSE_ALARM') ? 'false-alarm' : '';
      [o.team, causeWords(o.cause), label(OUTCOMES, o.outcome), String(o.count)].forEach((t) => {
        const c = document.createElement('td'); c.textContent = t; tr.appendChild(c);
      });
      return tr;
    }));
    if (!list.length) {
      const tr = document.createElement('tr');
      const c = document.createElement('td');
      c.colSpan = 4; c.textContent = 'No alert resolved with an outcome yet.';
      tr.appendChild(c); body.appendChild(tr);
    }
  }

  function pct(x) { return x == null ? '–' : Math.round(x * 100) + '%'; }

  function age(iso) {
    const mins = Math.max(0, Math.round((Date.now() - Date.parse(iso)) / 60000));
    if (mins < 60) { return mins + ' min'; }
    if (mins < 48 * 60) { return Math.floor(mins / 60) + ' h ' + (mins % 60) + ' min'; }
    return Math.floor(mins / 1440) + ' days';
  }

  // Formatters made once: creating one per call costs more than the rest of a row.
  const TIME = new Intl.DateTimeFormat([], { hour: '2-digit', minute: '2-digit' });
  const DAY = new Intl.DateTimeFormat([], { day: 'numeric', month: 'short' });

  function clock(iso) {
    const d = new Date(iso);
    const now = new Date();
    const sameDay = d.getFullYear() === now.getFullYear() && d.getMonth() === now.getMonth() &&
      d.getDate() === now.getDate();
    const time = TIME.format(d);
    return sameDay ? time : DAY.format(d) + ' ' + time;
  }

  function subscoreWords(sub) {
    return Object.keys(sub || {}).map((k) => (SUBSCORES[k] || k) + ' ' + sub[k]).join(' · ');
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
      causeWords(a.cause) + (a.category === 'TECHNICAL' ? ' (technical)' : '');
    if (a.tier > 0 && a.status !== 'RESOLVED' && !a.acknowledgedBy) {
      li.classList.add('escalated');
      const esc = li.querySelector('.escalation');
      esc.hidden = false;
      esc.textContent = 'Escalated to the ' + a.tierName + ': nobody acknowledged it in time';
    }
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
    const ageEl = li.querySelector('.age');
    ageEl.dataset.raised = a.raisedAt;
    ageEl.textContent = 'raised ' + age(a.raisedAt) + ' ago';
    ageEl.title = 'raised ' + clock(a.raisedAt);
    const subscores = li.querySelector('.subscores');
    if (c.riskUnavailable) {
      // Not "no evidence": the instance holding it cannot answer now; the list asks again.
      subscores.textContent = 'NEWS2 sub-scores, top vitals and trend: evidence unavailable, retrying (' +
        c.riskUnavailable + ').';
      subscores.classList.add('unavailable');
      li.querySelector('.spark').style.display = 'none';
    } else {
      subscores.textContent = subscoreWords(r.news2SubScores);
      spark(li.querySelector('.spark'), r.trend || []);
    }
    li.querySelector('.contributors').textContent = (r.contributors || []).length
      ? 'Top vitals: ' + r.contributors.map((x) => VITALS[x.vital] || x.vital.replace(/_/g, ' ')).join(', ') : '';
    li.querySelector('.note').textContent =
      a.acknowledgedBy ? 'Acknowledged by ' + a.acknowledgedBy +
        (a.acknowledgeReason ? ': ' + label(REASONS, a.acknowledgeReason).toLowerCase() : '') : (a.lastNote || '');
    const ack = li.querySelector('.ack');
    ack.disabled = a.status === 'ACKNOWLEDGED';
    ack.setAttribute('aria-label', 'Acknowledge ' + a.priority + ' alert for ' + a.patient);
    ack.addEventListener('click', () => openAction(a, 'acknowledge', ack));
    const resolve = li.querySelector('.resolve');
    resolve.setAttribute('aria-label', 'Resolve ' + a.priority + ' alert for ' + a.patient);
    resolve.addEventListener('click', () => openAction(a, 'resolve', resolve));
    const open = li.querySelector('.open-patient');
    if (a.patient) {
      open.setAttribute('aria-label', 'Open patient ' + a.patient);
      open.addEventListener('click', () => showPatient(a.patient));
    } else { open.hidden = true; }
    if (a.status === 'RESOLVED') { ack.hidden = true; resolve.hidden = true; }
    if (a.category === 'TECHNICAL' && !a.patient) { ack.hidden = true; resolve.hidden = true; }
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

  // ---- acting on an alert: a reason or an outcome from the short list, and a note ----

  let acting = null;

  function openAction(a, verb, button) {
    acting = { a, verb, button };
    const ack = verb === 'acknowledge';
    $('act-title').textContent = (ack ? 'Acknowledge ' : 'Resolve ') + a.priority + ' alert';
    $('act-what').textContent = a.patient + ': ' + causeWords(a.cause);
    $('act-choice-name').textContent = ack ? 'Reason' : 'Outcome';
    const choice = $('act-choice');
    choice.replaceChildren(new Option('Choose…', ''), ...(ack ? REASONS : OUTCOMES).map((x) => new Option(x[1], x[0])));
    $('act-note').value = '';
    $('act-error').textContent = '';
    $('act-dialog').showModal();
    choice.focus();
  }

  $('act-cancel').addEventListener('click', () => { $('act-dialog').close(); if (acting) { acting.button.focus(); } acting = null; });

  $('act-form').addEventListener('submit', async (ev) => {
    ev.preventDefault();
    if (!acting) { return; }
    const choice = $('act-choice').value;
    const note = $('act-note').value.trim();
    if (!choice) { $('act-error').textContent = 'Choose a ' + $('act-choice-name').textContent.toLowerCase() + '.'; return; }
    if (choice === 'OTHER' && !note) { $('act-error').textContent = 'Say in the note what the other ' + $('act-choice-name').textContent.toLowerCase() + ' is.'; return; }
    const body = { note: note || null };
    body[acting.verb === 'acknowledge' ? 'reason' : 'outcome'] = choice;
    const { a, verb, button } = acting;
    button.disabled = true;
    $('act-confirm').disabled = true;
    try {
      const res = await api('/api/alerts/' + encodeURIComponent(a.alertId) + '/' + verb, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-Vigil-Csrf': me.csrfToken },
        body: JSON.stringify(body)
      });
      if (res.status === 202) {
        $('act-dialog').close();
        acting = null;
      } else {
        const p = await res.json().catch(() => ({}));
        $('act-error').textContent = p.detail || ('Failed: ' + res.status);
        button.disabled = false;
      }
    } catch (e) {
      button.disabled = false;
    } finally {
      $('act-confirm').disabled = false;
    }
  });

  // ---- attention: opt-in sound and browser notifications for new HIGH alerts ----

  function announce(a) {
    if (a.priority !== 'HIGH' || a.status === 'RESOLVED' || a.acknowledgedBy || seenHigh.has(a.alertId)) { return; }
    seenHigh.add(a.alertId);
    window.__vigilAnnounced = (window.__vigilAnnounced || 0) + 1;
    if ($('sound').checked) { beep(); }
    if ('Notification' in window && Notification.permission === 'granted') {
      const n = new Notification('HIGH alert: ' + a.patient, { body: causeWords(a.cause), tag: a.alertId });
      window.__vigilNotified = (window.__vigilNotified || 0) + 1;
      n.onclick = () => { window.focus(); showPatient(a.patient); };
    }
  }

  function beep() {
    try {
      const ctx = new (window.AudioContext || window.webkitAudioContext)();
      const o = ctx.createOscillator();
      const g = ctx.createGain();
      o.frequency.value = 880;
      g.gain.value = 0.2;
      o.connect(g); g.connect(ctx.destination);
      o.start();
      o.stop(ctx.currentTime + 0.4);
      window.__vigilBeeps = (window.__vigilBeeps || 0) + 1;
    } catch (e) { /* no audio device */ }
  }

  $('sound').addEventListener('change', () => {
    localStorage.setItem('vigil.sound', $('sound').checked ? 'on' : 'off');
    if ($('sound').checked) { beep(); }
  });

  function showNotifyState() {
    const supported = 'Notification' in window;
    const p = supported ? Notification.permission : 'unsupported';
    $('notify').hidden = !supported || p !== 'default';
    $('notify-state').textContent = p === 'granted' ? 'Notifications on' : p === 'denied'
      ? 'Notifications blocked in this browser' : (supported ? '' : 'No notifications in this browser');
  }

  $('notify').addEventListener('click', async () => {
    await Notification.requestPermission();
    showNotifyState();
  });

  // ---- views ----

  function showView(name) {
    ['ward', 'alerts', 'patient'].forEach((v) => { $(v + '-view').hidden = v !== name; });
    $('tab-ward').setAttribute('aria-pressed', String(name === 'ward'));
    $('tab-alerts').setAttribute('aria-pressed', String(name === 'alerts'));
  }

  $('tab-ward').addEventListener('click', () => { shownPatient = null; showView('ward'); });
  $('tab-alerts').addEventListener('click', () => { shownPatient = null; showView('alerts'); });
  $('back').addEventListener('click', () => { shownPatient = null; showView('ward'); $('tab-ward').focus(); });

  let historyRetry = null;

  // refresh: asked again because part of the history was unavailable; keeps the nurse's focus.
  async function showPatient(key, refresh) {
    clearTimeout(historyRetry);
    const res = await api('/api/patient?key=' + encodeURIComponent(key));
    if (refresh && shownPatient !== key) { return; }
    if (!res.ok) {
      const p = await res.json().catch(() => ({}));
      $('message').textContent = p.detail || ('Could not open the patient (' + res.status + ')');
      return;
    }
    shownPatient = key;
    const page = await res.json();
    showView('patient');
    const r = page.patient;
    $('patient-heading').textContent = r.patient;
    const summary = $('patient-summary');
    summary.textContent = 'Team ' + r.team.substring(r.team.indexOf('/') + 1) +
      (r.news2 != null ? ' · NEWS2 ' + r.news2 + ' (' + r.news2Band + ')' : ' · not scored yet') +
      (r.risk != null ? ' · LSTM risk ' + pct(r.risk) : '') +
      (r.lastReading ? ' · last reading ' + clock(r.lastReading) + ' (' : ' · no readings');
    if (r.lastReading) {
      // Updated with the overview's ages, without a request.
      const ago = document.createElement('span');
      ago.className = 'age';
      ago.dataset.at = r.lastReading;
      ago.textContent = age(r.lastReading);
      summary.append(ago, ' ago)');
    }
    const dl = $('patient-vitals');
    dl.replaceChildren();
    (r.vitals || []).forEach((x) => {
      const dt = document.createElement('dt'); dt.textContent = x.vital;
      const dd = document.createElement('dd');
      dd.textContent = x.value == null ? 'no reading' : fmt(x.value, x.vital === 'Temp' ? 1 : 0) + ' ' +
        unitWords(x.unit) + ' at ' + clock(x.at);
      dl.append(dt, dd);
    });
    const dt = document.createElement('dt'); dt.textContent = 'ACVPU';
    const dd = document.createElement('dd');
    dd.textContent = r.acvpu ? ACVPU[r.acvpu] + (r.acvpuAt ? ' at ' + clock(r.acvpuAt) : '') : 'not reported';
    dl.append(dt, dd);
    const risk = page.risk || {};
    // A part another instance holds may be unreachable for a moment (partitions moving): say so
    // and ask again, never draw empty charts as if nothing had been measured.
    const missing = new Map((page.unavailable || []).map((u) => [u.part, u.detail]));
    const status = $('history-status');
    status.hidden = !missing.size;
    status.textContent = missing.size
      ? (missing.has('risk') && missing.has('vitals') ? 'Risk and vital-sign history'
        : missing.has('risk') ? 'Risk history' : 'Vital-sign history') +
        ' unavailable, retrying every few seconds.'
      : '';
    if (missing.size) {
      historyRetry = setTimeout(() => { if (shownPatient === key) { showPatient(key, true); } }, 3000);
    }
    $('patient-news2').textContent = missing.has('risk') ? 'NEWS2 breakdown: history unavailable, retrying.'
      : risk.news2Total == null ? 'No scored window yet.'
      : 'NEWS2 ' + risk.news2Total + ' from ' + (subscoreWords(risk.news2SubScores) || 'no parameter') +
        ((risk.news2Missing || []).length ? '; missing: ' + risk.news2Missing.map((m) => MISSING[m] || m).join(', ') +
          ' (counted as 0, so the total may be higher)' : '; complete');
    $('patient-contributors').textContent = missing.has('risk') ? ''
      : (risk.contributors || []).length
      ? 'The LSTM risk rose most because of ' + risk.contributors.map((x) => (VITALS[x.vital] || x.vital) +
        ' (+' + Math.round(x.attribution * 100) + ' points)').join(', ') + '.'
      : 'No vital stood out behind the LSTM risk (explanations are given only above the explanation level).';
    if (missing.has('vitals')) {
      unavailableChart('vital-charts', 'Vital-sign charts: history unavailable, retrying (' + missing.get('vitals') + ').');
    } else {
      drawVitals(page.vitalSigns || [], page.from, page.to, r);
    }
    if (missing.has('risk')) {
      unavailableChart('risk-chart', '');
      $('risk-chart-text').textContent = 'Risk trend: history unavailable, retrying (' + missing.get('risk') + ').';
    } else {
      drawRisk(risk.trend || [], r.riskThreshold, page.from, page.to);
    }
    const box = $('patient-alerts');
    box.replaceChildren();
    const palerts = page.alerts || [];
    if (!palerts.length) { box.textContent = 'No alerts for this patient.'; }
    palerts.forEach((x) => {
      const h = document.createElement('h4');
      h.textContent = x.alert.priority + ' · ' + causeWords(x.alert.cause) + ' · ' + x.alert.status;
      const table = document.createElement('table');
      table.className = 'history';
      const head = table.createTHead().insertRow();
      ['When', 'What', 'Who', 'Note'].forEach((t) => { const th = document.createElement('th'); th.scope = 'col'; th.textContent = t; head.appendChild(th); });
      const tb = table.createTBody();
      (x.history || []).forEach((e) => {
        const tr = tb.insertRow();
        tr.insertCell().textContent = clock(e.time);
        tr.insertCell().textContent = e.type.toLowerCase() + (e.tier > 0 ? ' (tier ' + e.tier + ')' : '') +
          (e.reason ? ': ' + label(REASONS, e.reason) : '') + (e.outcome ? ': ' + label(OUTCOMES, e.outcome) : '');
        tr.insertCell().textContent = e.actor;
        tr.insertCell().textContent = e.note || '';
      });
      box.append(h, table);
    });
    if (!refresh) {
      $('patient-heading').setAttribute('tabindex', '-1');
      $('patient-heading').focus();
    }
  }

  function unavailableChart(id, text) {
    if (id === 'vital-charts') { vitalCharts.forEach((c) => c.destroy()); vitalCharts = []; window.__vigilCharts = {}; }
    if (id === 'risk-chart' && riskChart) { riskChart.destroy(); riskChart = null; }
    const box = $(id);
    box.replaceChildren();
    if (text) {
      const p = document.createElement('p');
      p.className = 'unavailable';
      p.textContent = text;
      box.appendChild(p);
    }
  }

  // NEWS2 points of value ranges (RCP 2017 chart 1), as [from, to, points]; edges halfway between
  // the chart's whole numbers. BP dia is not part of NEWS2.
  function news2Ranges(vital, r) {
    const INF = 1e9;
    switch (vital) {
      case 'HR': return [[-INF, 40.5, 3], [40.5, 50.5, 1], [50.5, 90.5, 0], [90.5, 110.5, 1], [110.5, 130.5, 2], [130.5, INF, 3]];
      case 'RR': return [[-INF, 8.5, 3], [8.5, 11.5, 1], [11.5, 20.5, 0], [20.5, 24.5, 2], [24.5, INF, 3]];
      case 'BP sys': return [[-INF, 90.5, 3], [90.5, 100.5, 2], [100.5, 110.5, 1], [110.5, 219.5, 0], [219.5, INF, 3]];
      case 'Temp': return [[-INF, 35.05, 3], [35.05, 36.05, 1], [36.05, 38.05, 0], [38.05, 39.05, 1], [39.05, INF, 2]];
      case 'SpO2':
        if (r.spo2Scale2) {
          return r.oxygen
            ? [[-INF, 83.5, 3], [83.5, 85.5, 2], [85.5, 87.5, 1], [87.5, 92.5, 0], [92.5, 94.5, 1], [94.5, 96.5, 2], [96.5, INF, 3]]
            : [[-INF, 83.5, 3], [83.5, 85.5, 2], [85.5, 87.5, 1], [87.5, INF, 0]];
        }
        return [[-INF, 91.5, 3], [91.5, 93.5, 2], [93.5, 95.5, 1], [95.5, INF, 0]];
      default: return [];
    }
  }
  const SHADE = ['rgba(46,112,49,0.10)', 'rgba(242,182,0,0.22)', 'rgba(239,143,0,0.30)', 'rgba(179,38,30,0.25)'];
  const RANGE = { HR: [30, 160], RR: [5, 35], SpO2: [80, 100], 'BP sys': [70, 230], 'BP dia': [30, 130], Temp: [34, 41] };
  let vitalCharts = [];

  function drawVitals(series, from, to, row) {
    vitalCharts.forEach((c) => c.destroy());
    vitalCharts = [];
    window.__vigilCharts = {};
    const box = $('vital-charts');
    box.replaceChildren();
    const hoursInView = Math.max(1, Math.round((Date.parse(to) - Date.parse(from)) / 3600000));
    series.forEach((s) => {
      const fig = document.createElement('figure');
      fig.className = 'vital-chart';
      const cap = document.createElement('figcaption');
      const hours = s.hours || [];
      const unit = unitWords({ HR: '/min', RR: '/min', SpO2: '%', 'BP sys': 'mm[Hg]', 'BP dia': 'mm[Hg]', Temp: 'Cel' }[s.vital]);
      const digits = s.vital === 'Temp' ? 1 : 0;
      const pctHours = Math.round(100 * hours.length / hoursInView);
      if (!hours.length) {
        cap.textContent = s.vital + ': no readings in these 72 hours (completeness 0%)';
        fig.appendChild(cap);
        box.appendChild(fig);
        return;
      }
      const lo = Math.min(...hours.map((h) => h.min));
      const hi = Math.max(...hours.map((h) => h.max));
      const last = hours[hours.length - 1];
      cap.textContent = s.vital + ' (' + unit + '): readings in ' + hours.length + ' of ' + hoursInView +
        ' hours (completeness ' + pctHours + '%), lowest ' + fmt(lo, digits) + ', highest ' + fmt(hi, digits) +
        ', last ' + fmt(last.last, digits) + ' at ' + clock(last.lastAt);
      const chart = document.createElement('div');
      chart.className = 'chart';
      chart.setAttribute('role', 'img');
      chart.setAttribute('aria-label', cap.textContent);
      fig.append(cap, chart);
      box.appendChild(fig);
      const xs = hours.map((h) => Date.parse(h.hour) / 1000 + 1800);
      window.__vigilCharts[s.vital] = { x: xs, min: hours.map((h) => h.min), max: hours.map((h) => h.max),
        last: hours.map((h) => h.last) };
      // Every hour of the view on the x axis, null where there were no readings: gaps stay gaps.
      const byHour = new Map(hours.map((h) => [Date.parse(h.hour), h]));
      const first = Math.floor(Date.parse(from) / 3600000) * 3600000;
      const grid = [];
      for (let t = first; t <= Date.parse(to); t += 3600000) { grid.push(t); }
      const at = (t, f) => (byHour.has(t) ? byHour.get(t)[f] : null);
      const data = [grid.map((t) => t / 1000 + 1800), grid.map((t) => at(t, 'min')),
        grid.map((t) => at(t, 'max')), grid.map((t) => at(t, 'last'))];
      if (typeof uPlot === 'undefined') { return; }
      const ranges = news2Ranges(s.vital, row);
      const span = RANGE[s.vital] || [lo, hi];
      const yMin = Math.min(span[0], lo - 1);
      const yMax = Math.max(span[1], hi + 1);
      vitalCharts.push(new uPlot({
        width: Math.min(720, box.clientWidth || 340), height: 150,
        scales: { x: { time: true, range: [Date.parse(from) / 1000, Date.parse(to) / 1000 + 3600] }, y: { range: [yMin, yMax] } },
        series: [{}, { label: 'lowest', stroke: '#5f6670', width: 1 }, { label: 'highest', stroke: '#5f6670', width: 1 },
          { label: 'last', stroke: '#13315c', width: 2, points: { show: true, size: 5 } }],
        axes: [{}, { label: unit }],
        hooks: {
          drawClear: [(u) => {
            const ctx = u.ctx;
            ranges.forEach(([a, b, points]) => {
              const top = u.valToPos(Math.min(b, yMax), 'y', true);
              const bottom = u.valToPos(Math.max(a, yMin), 'y', true);
              if (bottom <= top) { return; }
              ctx.fillStyle = SHADE[points];
              ctx.fillRect(u.bbox.left, top, u.bbox.width, bottom - top);
            });
          }]
        }
      }, data, chart));
    });
  }

  function unitWords(u) { return { '/min': '/min', '%': '%', 'mm[Hg]': 'mmHg', Cel: '°C' }[u] || u; }

  // Over the same 72 h as the vital-sign charts, so a rise lines up with the vitals behind it.
  function drawRisk(trend, threshold, from, to) {
    const box = $('risk-chart');
    if (riskChart) { riskChart.destroy(); riskChart = null; }
    box.replaceChildren();
    const pts = trend.filter((p) => p.lstmRisk != null);
    $('risk-chart-text').textContent = pts.length
      ? pts.length + ' scored windows; latest LSTM risk ' + pct(pts[pts.length - 1].lstmRisk) +
        (threshold != null ? ', threshold in use ' + pct(threshold) : '')
      : 'No LSTM risk in the last 72 h.';
    if (!pts.length || typeof uPlot === 'undefined') { return; }
    const xs = pts.map((p) => Date.parse(p.t) / 1000);
    const data = [xs, pts.map((p) => p.lstmRisk * 100)];
    const series = [{}, { label: 'LSTM risk %', stroke: '#1f4e8c', width: 2, points: { show: true } }];
    if (threshold != null) {
      data.push(xs.map(() => threshold * 100));
      series.push({ label: 'threshold %', stroke: '#b3261e', dash: [6, 4], width: 1, points: { show: false } });
    }
    riskChart = new uPlot({
      width: Math.min(720, box.clientWidth || 340), height: 200, series,
      axes: [{}, { label: '%' }],
      scales: { x: { time: true, range: [Date.parse(from) / 1000, Date.parse(to) / 1000 + 3600] }, y: { range: [0, 100] } }
    }, data, box);
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
