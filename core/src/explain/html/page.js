// symdiff explain --format html: highlighting and stepping over what the page already shows.
// Every number comes from the JSON data written by symdiff; nothing is computed or fetched here.
(function () {
  'use strict';
  var errors = [];
  window.addEventListener('error', function (ev) { errors.push('error: ' + ev.message); });
  document.addEventListener('securitypolicyviolation', function (ev) {
    errors.push('blocked by the page\'s policy: ' + ev.violatedDirective + ' ' + ev.blockedURI);
  });
  var consoleError = console.error;
  console.error = function () {
    errors.push('console.error: ' + Array.prototype.join.call(arguments, ' '));
    return consoleError.apply(console, arguments);
  };

  var data = JSON.parse(document.getElementById('symdiff-data').textContent);
  var svg = document.querySelector('#graph svg');
  var state = { wrt: null, path: -1, step: 0 };
  var vertexIndex = {};
  data.vertices.forEach(function (name, i) { vertexIndex[name] = i; });
  var variables = {};
  data.variables.forEach(function (v) { variables[v.name] = v; });

  // Edges (their paths and labels) by `from` and `to`; vertices by name.
  var edges = {};
  var vertices = {};
  if (svg) {
    svg.querySelectorAll('path.edge, .edge-label').forEach(function (el) {
      var key = el.getAttribute('data-from') + '\u0000' + el.getAttribute('data-to');
      (edges[key] = edges[key] || []).push(el);
    });
    svg.querySelectorAll('.vertex').forEach(function (el) {
      vertices[el.getAttribute('data-name')] = el;
    });
  }

  function $(id) { return document.getElementById(id); }
  function all(selector, root) { return Array.prototype.slice.call((root || document).querySelectorAll(selector)); }

  // The edges of a path listed from the differentiated vertex down: [E, y, s2, ...].
  function pathEdges(path) {
    var out = [];
    for (var i = 0; i + 1 < path.length; i++) out.push([path[i + 1], path[i]]);
    return out;
  }

  // The edges to highlight for the current choice, as [from, to] pairs.
  function chosenEdges() {
    var v = variables[state.wrt];
    if (!v) return [];
    if (v.paths.length && state.path >= 0) return pathEdges(v.paths[state.path]);
    if (v.paths.length) return [].concat.apply([], v.paths.map(pathEdges));
    var on = {};
    v.on.forEach(function (n) { on[n] = true; });
    return Object.keys(edges).map(function (k) { return k.split('\u0000'); })
      .filter(function (e) { return on[e[0]] && on[e[1]]; });
  }

  // What the last render marked, so that the next one touches only that and the new choice
  // (a 1,000-weight page has a thousand blocks and buttons).
  var marked = { elements: [], wrt: null };
  var sections = {};
  all('.derivative').forEach(function (sec) {
    if (!sec.classList.contains('adjoint')) sections[sec.getAttribute('data-wrt')] = sec;
  });
  var picks = {};
  all('.pick').forEach(function (b) { picks[b.getAttribute('data-wrt')] = b; });

  function markSection(wrt, on) {
    var sec = sections[wrt];
    if (!sec) return;
    sec.classList.toggle('selected', on);
    all('tr[data-term]', sec).forEach(function (tr) {
      var t = Number(tr.getAttribute('data-term'));
      tr.classList.toggle('active', on && state.path >= 0 && t === state.path);
      tr.classList.toggle('dimmed', on && state.path >= 0 && t !== state.path);
    });
  }

  function render() {
    marked.elements.forEach(function (el) { el.classList.remove('hl'); el.classList.remove('on'); });
    marked.elements = [];
    if (svg) svg.classList.toggle('selecting', !!state.wrt);
    var seen = {};
    chosenEdges().forEach(function (e) {
      var key = e[0] + '\u0000' + e[1];
      if (seen[key]) return;
      seen[key] = true;
      (edges[key] || []).forEach(function (el) { el.classList.add('hl'); marked.elements.push(el); });
      [e[0], e[1]].forEach(function (n) {
        if (vertices[n]) { vertices[n].classList.add('on'); marked.elements.push(vertices[n]); }
      });
    });
    if (marked.wrt !== null && marked.wrt !== state.wrt) {
      markSection(marked.wrt, false);
      if (picks[marked.wrt]) picks[marked.wrt].setAttribute('aria-pressed', 'false');
    }
    if (state.wrt !== null) {
      markSection(state.wrt, true);
      if (picks[state.wrt]) picks[state.wrt].setAttribute('aria-pressed', 'true');
    }
    marked.wrt = state.wrt;
    var label = $('path-label');
    var v = variables[state.wrt];
    if (!v) label.textContent = 'Choose a derivative to follow its paths.';
    else if (!v.paths.length) label.textContent = v.note || ('Factored form of ' + v.count + ' paths: every edge on them is highlighted.');
    else if (state.path < 0) label.textContent = 'All ' + v.paths.length + (v.paths.length === 1 ? ' path' : ' paths') + ' of ∂' + data.of + '/∂' + v.name;
    else label.textContent = 'Path ' + (state.path + 1) + ' of ' + v.paths.length + ': ' + v.paths[state.path].slice().reverse().join(' → ');
  }

  function select(wrt) {
    state.wrt = wrt;
    state.path = -1;
    render();
  }

  function stepPath(delta) {
    var v = variables[state.wrt];
    if (!v || !v.paths.length) return;
    var n = v.paths.length;
    state.path = state.path < 0 ? (delta > 0 ? 0 : n - 1) : (state.path + delta + n) % n;
    render();
  }

  function short(text) {
    var x = Number(text);
    return isFinite(x) && text !== '' ? String(Number(x.toPrecision(4))) : text;
  }

  function setStep(s) {
    var step = data.steps[s];
    if (!step) return;
    state.step = s;
    all('[data-v]').forEach(function (td) { td.textContent = step.v[Number(td.getAttribute('data-v'))]; });
    all('[data-a]').forEach(function (td) { td.textContent = step.a[Number(td.getAttribute('data-a'))]; });
    Object.keys(vertices).forEach(function (name) {
      var i = vertexIndex[name];
      var text = vertices[name].querySelector('text.value');
      if (text && i !== undefined && step.v[i] !== '?') text.textContent = short(step.v[i]);
    });
    all('tr[data-alt]').forEach(function (tr) {
      var alt = data.alt[Number(tr.getAttribute('data-alt'))];
      var row = tr.querySelector('td.f semantics > mrow');
      var tex = tr.querySelector('td.f annotation');
      if (row && alt.m[s] !== undefined) row.innerHTML = alt.m[s];
      if (tex && alt.t[s] !== undefined) tex.textContent = alt.t[s];
    });
    all('.training tbody tr').forEach(function (tr) {
      tr.classList.toggle('current', Number(tr.getAttribute('data-step')) === s);
    });
    var out = $('gd-out');
    if (out) out.textContent = String(s);
    var params = $('gd-params');
    if (params) {
      params.textContent = data.params.map(function (p) {
        return p + ' = ' + step.v[vertexIndex[p]];
      }).concat([data.of + ' = ' + step.loss]).join(', ');
    }
    if (info.shown) showVertex(info.shown);
  }

  var info = { shown: null };
  function showVertex(name) {
    var box = $('vertex-info');
    var i = vertexIndex[name];
    var step = data.steps[state.step];
    info.shown = name;
    if (i === undefined || !step) {
      box.textContent = data.vertices.length
        ? name + ': no values (give a point with --at)'
        : name + ': its values are in the Definitions table, and each gradient under its derivative';
      return;
    }
    box.textContent = '';
    var p = document.createElement('p');
    p.textContent = name + ' = ' + step.v[i] + '    ∂' + data.of + '/∂' + name + ' = ' + step.a[i];
    box.appendChild(p);
  }

  function copy(button) {
    var tex = button.closest('tr').querySelector('annotation');
    var text = tex ? tex.textContent : '';
    function done(ok) {
      button.textContent = ok ? 'Copied' : 'Copy failed';
      setTimeout(function () { button.textContent = 'Copy LaTeX'; }, 1200);
    }
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(text).then(function () { done(true); }, function () { done(fallback(text)); });
    } else {
      done(fallback(text));
    }
  }
  function fallback(text) {
    var area = document.createElement('textarea');
    area.value = text;
    document.body.appendChild(area);
    area.select();
    var ok = false;
    try { ok = document.execCommand('copy'); } catch (e) { ok = false; }
    area.remove();
    return ok;
  }

  // Wiring.
  $('controls').hidden = false;
  $('vertex-info').hidden = false;
  all('.copy').forEach(function (b) {
    b.hidden = false;
    b.setAttribute('aria-label', 'Copy the LaTeX of this line');
    b.addEventListener('click', function () { copy(b); });
  });
  all('.pick').forEach(function (b) {
    b.addEventListener('click', function () { select(b.getAttribute('data-wrt')); });
  });
  $('path-prev').addEventListener('click', function () { stepPath(-1); });
  $('path-next').addEventListener('click', function () { stepPath(1); });
  $('path-all').addEventListener('click', function () { state.path = -1; render(); });
  Object.keys(vertices).forEach(function (name) {
    var el = vertices[name];
    el.addEventListener('mouseenter', function () { showVertex(name); });
    el.addEventListener('focus', function () { showVertex(name); });
    el.addEventListener('click', function () { if (variables[name]) select(name); });
    el.addEventListener('keydown', function (ev) {
      if ((ev.key === 'Enter' || ev.key === ' ') && variables[name]) { ev.preventDefault(); select(name); }
    });
  });
  // Indexed networks: one element's explanation at a time.
  all('select.element-pick').forEach(function (select) {
    var box = select.closest('details');
    select.closest('label').hidden = false;
    function show() {
      all('pre.element', box).forEach(function (pre) { pre.hidden = pre.getAttribute('data-element') !== select.value; });
    }
    select.addEventListener('change', show);
    show();
  });
  var slider = $('gd-step');
  if (slider) {
    slider.max = String(data.steps.length - 1);
    slider.addEventListener('input', function () { setStep(Number(slider.value)); });
  }
  document.addEventListener('keydown', function (ev) {
    var tag = ev.target && ev.target.tagName;
    if (tag === 'INPUT' || tag === 'TEXTAREA' || ev.altKey || ev.ctrlKey || ev.metaKey) return;
    if (ev.key === 'ArrowRight') { stepPath(1); } else if (ev.key === 'ArrowLeft') { stepPath(-1); } else if (ev.key === 'Escape') { state.path = -1; render(); }
  });
  // A state in the address: #w1 chooses ∂E/∂w1, #w1/2 its second path, #w1/2/step=1 also
  // the first gradient-descent step, so a lecturer can link to one moment of the explanation.
  function fromHash() {
    var parts = decodeURIComponent(location.hash.slice(1)).split('/');
    if (variables[parts[0]]) {
      state.wrt = parts[0];
      var n = Number(parts[1]);
      state.path = n >= 1 && n <= variables[parts[0]].paths.length ? n - 1 : -1;
    }
    var step = /^step=(\d+)$/.exec(parts[parts.length - 1] || '');
    if (step && slider && data.steps[Number(step[1])]) {
      slider.value = step[1];
      return Number(step[1]);
    }
    return 0;
  }
  setStep(fromHash());
  render();
  window.addEventListener('hashchange', function () {
    if (location.hash === '#selftest') return;
    setStep(fromHash());
    render();
  });
  $('vertex-info').textContent = 'Point at a vertex, or focus it with Tab, to see its value and its adjoint ∂' + data.of + '/∂vertex.';

  // The browser tests' hook: with #selftest in the URL, go through every interaction and write
  // what the page showed into the DOM, for `chromium --headless --dump-dom` to read.
  // What a formula cell shows (its MathML, not the LaTeX annotation beside it).
  function shownText(td) {
    var row = td.querySelector('semantics > mrow');
    return (row || td).textContent;
  }
  function highlighted() {
    return all('path.edge.hl', svg || document).map(function (el) {
      return el.getAttribute('data-from') + '->' + el.getAttribute('data-to');
    }).sort();
  }
  function selftest() {
    var result = { variables: [], steps: [], blocks: {}, ready: performance.now(), slowest: 0 };
    function timed(f) {
      var t = performance.now();
      f();
      result.slowest = Math.max(result.slowest, performance.now() - t);
    }
    all('.derivative').forEach(function (sec) {
      result.blocks[sec.getAttribute('data-wrt') + (sec.classList.contains('adjoint') ? ' (adjoint)' : '')] =
        all('tr.line', sec).map(function (tr) { return shownText(tr.querySelector('td.f')); });
    });
    data.variables.forEach(function (v) {
      timed(function () { all('.pick').filter(function (b) { return b.getAttribute('data-wrt') === v.name; })[0].click(); });
      var entry = { name: v.name, pressed: document.querySelector('.pick[aria-pressed="true"]').getAttribute('data-wrt'),
        selected: all('.derivative.selected').map(function (s) { return s.id; }),
        all: highlighted(), label: $('path-label').textContent, paths: [] };
      for (var i = 0; i < v.paths.length; i++) {
        timed(function () { $('path-next').click(); });
        entry.paths.push({ label: $('path-label').textContent, edges: highlighted(),
          active: all('.derivative.selected tr.active').map(function (tr) { return Number(tr.getAttribute('data-term')); }),
          activeText: all('.derivative.selected tr.active td.f').map(shownText) });
      }
      $('path-all').click();
      entry.afterAll = highlighted();
      result.variables.push(entry);
    });
    if (slider) {
      for (var s = 0; s < data.steps.length; s++) {
        slider.value = String(s);
        timed(function () { slider.dispatchEvent(new Event('input')); });
        var values = {};
        all('tr[data-vertex]').forEach(function (tr) {
          var cell = tr.querySelector('[data-v]');
          if (cell) values[tr.getAttribute('data-vertex')] = cell.textContent;
        });
        result.steps.push({ step: Number($('gd-out').textContent), params: $('gd-params').textContent, values: values,
          valueLines: all('.derivative tr.value td.f').map(shownText),
          graph: Object.keys(vertices).map(function (n) { var t = vertices[n].querySelector('text.value'); return n + '=' + (t ? t.textContent : ''); }) });
      }
      slider.value = '0';
      slider.dispatchEvent(new Event('input'));
    }
    result.elements = {};
    all('select.element-pick').forEach(function (select) {
      var box = select.closest('details');
      var shown = all('pre.element', box).filter(function (pre) { return !pre.hidden; });
      result.elements[select.getAttribute('data-param')] = { options: select.options.length, shown: shown.length,
        text: shown.length ? shown[0].textContent : '' };
    });
    var v0 = Object.keys(vertices)[0];
    if (v0) {
      // Focus events, dispatched: a headless window may not hold the system's focus.
      vertices[v0].dispatchEvent(new FocusEvent('focus'));
      result.focused = { name: v0, info: $('vertex-info').textContent };
      var last = Object.keys(vertices)[Object.keys(vertices).length - 1];
      vertices[last].dispatchEvent(new MouseEvent('mouseenter'));
      result.hovered = { name: last, info: $('vertex-info').textContent };
    }
    result.resources = performance.getEntriesByType('resource').map(function (r) { return r.name; });
    result.errors = errors;
    var pre = document.createElement('pre');
    pre.id = 'selftest-result';
    pre.textContent = JSON.stringify(result);
    document.body.appendChild(pre);
  }
  if (location.hash === '#selftest') {
    try { selftest(); } catch (e) {
      var pre = document.createElement('pre');
      pre.id = 'selftest-result';
      pre.textContent = JSON.stringify({ crashed: String(e && e.stack || e), errors: errors });
      document.body.appendChild(pre);
    }
  }
})();
