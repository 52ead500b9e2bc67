// The "Explore" panel of `tcnnc explain --format html`: pick a layer, a
// batch element and a channel, click any output cell, and read how that
// value was computed (receptive field, kernel, substitution, calculated vs
// actual) and where its gradient goes in the backward pass (upstream
// gradient, each contribution, full sums). Everything is recomputed here
// from the tensors the interpreter produced, embedded in the page as JSON
// (#tcnn-explorer-data): no server, works offline.
//
// A test opens the page with `#explore=LAYER,n,c,h,w`: the page then
// selects that layer and dispatches a click on that cell, as a reader
// would, and the numbers it shows are compared with PyTorch.
(function () {
  'use strict';
  var holder = document.getElementById('tcnn-explorer-data');
  var root = document.getElementById('explorer');
  if (!holder || !root) return;
  var data = JSON.parse(holder.textContent);
  var layers = data.layers;
  if (!layers.length) return;

  // ---- numbers and tensors ---------------------------------------------
  function fmt(v) {
    if (v === null || v === undefined) return '—';
    if (Math.abs(v) < 5e-7) v = 0; // never -0.000000
    return v.toFixed(6);
  }
  function signed(v) { return v < 0 ? '(' + fmt(v) + ')' : fmt(v); }
  function flat(shape, idx) {
    var f = 0;
    for (var d = 0; d < shape.length; ++d) f = f * shape[d] + idx[d];
    return f;
  }
  function get(t, idx) { return t.data[flat(t.shape, idx)]; }
  function pos(idx) { return '(' + idx.join(', ') + ')'; }
  function agree(a, b) {
    return Math.abs(a - b) <= 1e-6 + 1e-5 * Math.max(Math.abs(a), Math.abs(b));
  }
  function el(tag, attrs, html) {
    var e = document.createElement(tag);
    for (var k in attrs || {}) e.setAttribute(k, attrs[k]);
    if (html !== undefined) e.innerHTML = html;
    return e;
  }
  function verdict(a, b) {
    return agree(a, b) ? '<span class="ok">they agree</span>'
                       : '<span class="bad">⚠ MISMATCH</span>';
  }
  function pair(a, d) { return a && a.length === 2 ? a : [d, d]; }

  // A table of rows (arrays of cells); `id` lets a test find it.
  function table(id, head, rows) {
    var s = '<table id="' + id + '"><thead><tr>';
    head.forEach(function (h) { s += '<th>' + h + '</th>'; });
    s += '</tr></thead><tbody>';
    rows.forEach(function (r) {
      s += '<tr>';
      r.forEach(function (c) { s += '<td>' + c + '</td>'; });
      s += '</tr>';
    });
    return s + '</tbody></table>';
  }
  // A kh x kw grid of cells; `cell(p, q)` gives each one's text.
  function grid(caption, kh, kw, cell) {
    var s = '<table class="grid"><caption>' + caption + '</caption><tr><th></th>';
    for (var q = 0; q < kw; ++q) s += '<th>' + q + '</th>';
    s += '</tr>';
    for (var p = 0; p < kh; ++p) {
      s += '<tr><th>' + p + '</th>';
      for (var q2 = 0; q2 < kw; ++q2) s += '<td>' + cell(p, q2) + '</td>';
      s += '</tr>';
    }
    return s + '</table>';
  }
  function sumList(terms, limit) {
    var shown = terms.slice(0, limit).join(' + ');
    if (terms.length > limit)
      shown += ' + … (' + (terms.length - limit) + ' more terms, in the sum)';
    return shown;
  }

  // ---- what each layer kind computes ------------------------------------
  // Each returns {forward: html, backward: html} for output position `at`.
  var kinds = {};

  kinds.conv2d = function (L, at) {
    var x = L.input, w = L.weight, b = L.bias, a = L.attrs;
    var s = pair(a.stride, 1), p = pair(a.padding, 0), d = pair(a.dilation, 1);
    var groups = a.groups || 1, KH = w.shape[2], KW = w.shape[3];
    var cinG = w.shape[1], coutG = L.output.shape[1] / groups;
    var n = at[0], co = at[1], oh = at[2], ow = at[3];
    var g = Math.floor(co / coutG);
    var sum = b ? get(b, [co]) : 0, terms = [], fields = '', dxRows = [], dwRows = [];
    var dy = L.outputGrad ? get(L.outputGrad, at) : null;
    for (var ci = 0; ci < cinG; ++ci) {
      var c = g * cinG + ci;
      var rf = [], kern = [];
      for (var kh = 0; kh < KH; ++kh) {
        rf.push([]); kern.push([]);
        for (var kw = 0; kw < KW; ++kw) {
          var ih = oh * s[0] - p[0] + kh * d[0], iw = ow * s[1] - p[1] + kw * d[1];
          var inside = ih >= 0 && ih < x.shape[2] && iw >= 0 && iw < x.shape[3];
          var xv = inside ? get(x, [n, c, ih, iw]) : 0, wv = get(w, [co, ci, kh, kw]);
          rf[kh].push(inside ? fmt(xv) : 'pad 0');
          kern[kh].push(fmt(wv));
          sum += xv * wv;
          terms.push(inside ? signed(xv) + '·' + signed(wv) : '0·' + signed(wv));
          if (dy !== null) {
            if (inside)
              dxRows.push([pos([n, c, ih, iw]), fmt(wv), fmt(dy * wv)]);
            dwRows.push([pos([co, ci, kh, kw]), inside ? fmt(xv) : 'pad 0', fmt(dy * xv)]);
          }
        }
      }
      if (ci < 4)
        fields += '<div class="pair">' +
          grid('receptive field x[' + n + ', ' + c + ', ·, ·] (rows from ' +
               (oh * s[0] - p[0]) + ', columns from ' + (ow * s[1] - p[1]) + ')',
               KH, KW, function (r, q) { return rf[r][q]; }) +
          grid('kernel w[' + co + ', ' + ci + ', ·, ·]', KH, KW,
               function (r, q) { return kern[r][q]; }) + '</div>';
    }
    if (cinG > 4) fields += '<p>… and ' + (cinG - 4) + ' more input channels (in the sum).</p>';
    var actual = get(L.output, at);
    var f = '<p>y[n, c_out, h, w] = b[c_out] + Σ<sub>c_in, k_h, k_w</sub> ' +
            'x[n, c_in, h·s<sub>h</sub> − p<sub>h</sub> + k_h·d<sub>h</sub>, ' +
            'w·s<sub>w</sub> − p<sub>w</sub> + k_w·d<sub>w</sub>] · w[c_out, c_in, k_h, k_w], ' +
            'with s = (' + s + '), p = (' + p + '), d = (' + d + ')' +
            (groups > 1 ? ', ' + groups + ' groups (c_in of group ' + g + ')' : '') + '.</p>' +
            fields +
            '<p class="subst">y' + pos(at) + ' = ' + (b ? signed(get(b, [co])) + ' + ' : '') +
            sumList(terms, 36) + '</p>' +
            '<p>Calculated: <b id="ex-calc">' + fmt(sum) + '</b>; actual (the interpreter\'s): ' +
            '<b id="ex-actual">' + fmt(actual) + '</b> — ' + verdict(sum, actual) + '.</p>';
    var bw = '';
    if (dy !== null) {
      var full = 0;
      for (var nn = 0; nn < L.output.shape[0]; ++nn)
        for (var i = 0; i < L.output.shape[2]; ++i)
          for (var j = 0; j < L.output.shape[3]; ++j)
            full += get(L.outputGrad, [nn, co, i, j]);
      bw = upstream(L, at, dy) +
        '<p>This output reaches the loss through every input and weight it read. ' +
        'Its contributions to <b>∂L/∂x</b> (dy · w, at each input position it read; ' +
        'padding receives nothing):</p>' +
        table('ex-dx', ['input position', 'w', 'dy · w'], dxRows) +
        '<p>Its contributions to <b>∂L/∂w</b> (dy · x, at each kernel position):</p>' +
        table('ex-dw', ['weight position', 'x', 'dy · x'], dwRows) +
        (b ? '<p>Its contribution to ∂L/∂b[' + co + '] is dy itself, ' + fmt(dy) +
             '. The <b>full sum</b> over every batch element and output position of ' +
             'channel ' + co + ': <b id="ex-db-calc">' + fmt(full) + '</b>; actual ' +
             '<b id="ex-db-actual">' + fmt(L.biasGrad ? get(L.biasGrad, [co]) : NaN) +
             '</b> — ' + (L.biasGrad ? verdict(full, get(L.biasGrad, [co])) : '') + '.</p>'
           : '');
    }
    return {forward: f, backward: bw};
  };

  // The window of pooling output `at`: its input positions, in row-major
  // order, with null for padding.
  function windowOf(L, at) {
    var a = L.attrs, k = pair(a.kernel_size, 1), s = pair(a.stride, 1);
    var p = pair(a.padding, 0), d = pair(a.dilation, 1), x = L.input, cells = [];
    for (var r = 0; r < k[0]; ++r)
      for (var q = 0; q < k[1]; ++q) {
        var ih = at[2] * s[0] - p[0] + r * d[0], iw = at[3] * s[1] - p[1] + q * d[1];
        var inside = ih >= 0 && ih < x.shape[2] && iw >= 0 && iw < x.shape[3];
        cells.push({r: r, q: q, idx: inside ? [at[0], at[1], ih, iw] : null});
      }
    return {k: k, cells: cells};
  }

  kinds.max_pool2d = function (L, at) {
    var win = windowOf(L, at), best = null, arg = null;
    win.cells.forEach(function (c) {
      if (!c.idx) return;
      var v = get(L.input, c.idx);
      if (best === null || v > best) { best = v; arg = c; } // first maximum
    });
    var actual = get(L.output, at);
    var f = '<p>y' + pos(at) + ' = the largest value of its window (padding never wins; ' +
            'among equal values the first in row-major order, as PyTorch).</p>' +
            grid('window of x[' + at[0] + ', ' + at[1] + ', ·, ·]', win.k[0], win.k[1],
                 function (r, q) {
                   var c = win.cells[r * win.k[1] + q];
                   var t = c.idx ? fmt(get(L.input, c.idx)) : 'pad';
                   return c === arg ? '<b>' + t + '</b>' : t;
                 }) +
            '<p>Calculated: <b id="ex-calc">' + fmt(best) + '</b> at ' + pos(arg.idx) +
            '; actual: <b id="ex-actual">' + fmt(actual) + '</b> — ' + verdict(best, actual) + '.</p>';
    var bw = '';
    var dy = L.outputGrad ? get(L.outputGrad, at) : null;
    if (dy !== null)
      bw = upstream(L, at, dy) + '<p>All of it goes to the maximum\'s position; ' +
           'the other positions of the window receive nothing from this output:</p>' +
           table('ex-dx', ['input position', 'weight', 'contribution'],
                 [[pos(arg.idx), '1', fmt(dy)]]);
    return {forward: f, backward: bw};
  };

  kinds.avg_pool2d = function (L, at) {
    var a = L.attrs, win = windowOf(L, at), sum = 0, count = 0;
    win.cells.forEach(function (c) { if (c.idx) { sum += get(L.input, c.idx); ++count; } });
    var include = a.count_include_pad === undefined ? true : a.count_include_pad;
    var divisor = a.divisor_override ? a.divisor_override
                : include ? win.k[0] * win.k[1] : count;
    // ceil_mode windows may hang over the padded input too: PyTorch counts
    // only up to the padded edge, which this panel does not model.
    var calc = sum / divisor, actual = get(L.output, at);
    var f = '<p>y' + pos(at) + ' = (sum of its window) / ' + divisor +
            (include ? ' (padding counts as 0 and in the divisor)' : ' (its input positions only)') +
            '.</p>' +
            grid('window of x[' + at[0] + ', ' + at[1] + ', ·, ·]', win.k[0], win.k[1],
                 function (r, q) {
                   var c = win.cells[r * win.k[1] + q];
                   return c.idx ? fmt(get(L.input, c.idx)) : 'pad 0';
                 }) +
            '<p>Calculated: ' + fmt(sum) + ' / ' + divisor + ' = <b id="ex-calc">' + fmt(calc) +
            '</b>; actual: <b id="ex-actual">' + fmt(actual) + '</b> — ' + verdict(calc, actual) + '.</p>';
    var bw = '';
    var dy = L.outputGrad ? get(L.outputGrad, at) : null;
    if (dy !== null) {
      var rows = [];
      win.cells.forEach(function (c) {
        if (c.idx) rows.push([pos(c.idx), '1/' + divisor, fmt(dy / divisor)]);
      });
      bw = upstream(L, at, dy) + '<p>It is spread evenly over the window:</p>' +
           table('ex-dx', ['input position', 'weight', 'contribution'], rows);
    }
    return {forward: f, backward: bw};
  };

  kinds.linear = function (L, at) {
    var x = L.input, w = L.weight, b = L.bias, n = at[0], j = at[1];
    var IN = w.shape[1], sum = b ? get(b, [j]) : 0, terms = [], dxRows = [], dwRows = [];
    var dy = L.outputGrad ? get(L.outputGrad, at) : null;
    for (var i = 0; i < IN; ++i) {
      var xv = get(x, [n, i]), wv = get(w, [j, i]);
      sum += xv * wv;
      terms.push(signed(xv) + '·' + signed(wv));
      if (dy !== null) {
        dxRows.push([pos([n, i]), fmt(wv), fmt(dy * wv)]);
        dwRows.push([pos([j, i]), fmt(xv), fmt(dy * xv)]);
      }
    }
    var actual = get(L.output, at);
    var f = '<p>y[n, j] = b[j] + Σ<sub>i</sub> x[n, i] · w[j, i] over ' + IN + ' inputs.</p>' +
            '<p class="subst">y' + pos(at) + ' = ' + (b ? signed(get(b, [j])) + ' + ' : '') +
            sumList(terms, 36) + '</p>' +
            '<p>Calculated: <b id="ex-calc">' + fmt(sum) + '</b>; actual: <b id="ex-actual">' +
            fmt(actual) + '</b> — ' + verdict(sum, actual) + '.</p>';
    var bw = '';
    if (dy !== null)
      bw = upstream(L, at, dy) +
           '<p>Contributions to <b>∂L/∂x</b> (dy · w):</p>' +
           table('ex-dx', ['input position', 'w', 'dy · w'], dxRows) +
           '<p>Contributions to <b>∂L/∂w</b> (dy · x):</p>' +
           table('ex-dw', ['weight position', 'x', 'dy · x'], dwRows);
    return {forward: f, backward: bw};
  };

  kinds.relu = function (L, at) {
    var xv = get(L.input, at), calc = Math.max(0, xv), actual = get(L.output, at);
    var f = '<p>y' + pos(at) + ' = max(0, x' + pos(at) + ') = max(0, ' + fmt(xv) + ') = ' +
            '<b id="ex-calc">' + fmt(calc) + '</b>; actual: <b id="ex-actual">' + fmt(actual) +
            '</b> — ' + verdict(calc, actual) + '.</p>';
    var bw = '';
    var dy = L.outputGrad ? get(L.outputGrad, at) : null;
    if (dy !== null)
      bw = upstream(L, at, dy) + '<p>' + (xv > 0 ? 'x > 0: it passes unchanged.'
                                                  : 'x ≤ 0: it stops here (0).') + '</p>' +
           table('ex-dx', ['input position', 'weight', 'contribution'],
                 [[pos(at), xv > 0 ? '1' : '0', fmt(xv > 0 ? dy : 0)]]);
    return {forward: f, backward: bw};
  };

  function upstream(L, at, dy) {
    return '<p><b>Upstream gradient</b> ∂L/∂y' + pos(at) + ' (the gradient of the loss ' +
           'with respect to this output, from the layers after it): <b id="ex-dy">' +
           fmt(dy) + '</b>.</p>';
  }

  // ---- the heatmap ------------------------------------------------------
  function heatmap(L, n, c, selected) {
    var t = L.output, four = t.shape.length === 4;
    var rows = four ? t.shape[2] : 1, cols = four ? t.shape[3] : t.shape[1];
    var at = function (i, j) { return four ? [n, c, i, j] : [n, j]; };
    var scale = 0;
    for (var i = 0; i < rows; ++i)
      for (var j = 0; j < cols; ++j) scale = Math.max(scale, Math.abs(get(t, at(i, j))));
    var cell = Math.max(8, Math.min(44, Math.floor(440 / Math.max(rows, cols))));
    var left = 28, top = 22, legend = 40;
    var width = left + cols * cell + 8, height = top + rows * cell + legend;
    var svg = '<svg xmlns="http://www.w3.org/2000/svg" width="' + width + '" height="' +
              height + '" font-family="sans-serif" font-size="10">';
    for (var jj = 0; jj < cols; ++jj)
      if (cell >= 14 || jj % 4 === 0)
        svg += '<text x="' + (left + jj * cell + cell / 2) + '" y="' + (top - 6) +
               '" text-anchor="middle">' + jj + '</text>';
    for (var ii = 0; ii < rows; ++ii)
      if (cell >= 14 || ii % 4 === 0)
        svg += '<text x="' + (left - 4) + '" y="' + (top + ii * cell + cell / 2 + 3) +
               '" text-anchor="end">' + ii + '</text>';
    for (var r = 0; r < rows; ++r)
      for (var q = 0; q < cols; ++q) {
        var idx = at(r, q), v = get(t, idx);
        var sel = selected && idx.join() === selected.join();
        svg += '<rect class="cell" data-pos="' + idx.join(',') + '" x="' + (left + q * cell) +
               '" y="' + (top + r * cell) + '" width="' + cell + '" height="' + cell +
               '" fill="' + color(v, scale) + '" stroke="' + (sel ? '#2a9d3a' : '#ccc') +
               '" stroke-width="' + (sel ? 3 : 0.5) + '"><title>' + pos(idx) + ': ' + fmt(v) +
               '</title></rect>';
        if (cell >= 40)
          svg += '<text pointer-events="none" x="' + (left + q * cell + cell / 2) + '" y="' +
                 (top + r * cell + cell / 2 + 3) + '" text-anchor="middle" font-size="9">' +
                 v.toFixed(2) + '</text>';
      }
    // The colour legend: blue -max, white 0, red +max.
    var ly = top + rows * cell + 12, lw = Math.min(cols * cell, 200);
    svg += '<defs><linearGradient id="legend-grad"><stop offset="0" stop-color="' +
           color(-1, 1) + '"/><stop offset="0.5" stop-color="#ffffff"/><stop offset="1" ' +
           'stop-color="' + color(1, 1) + '"/></linearGradient></defs>' +
           '<rect x="' + left + '" y="' + ly + '" width="' + lw + '" height="8" ' +
           'fill="url(#legend-grad)" stroke="#999" stroke-width="0.5"/>' +
           '<text x="' + left + '" y="' + (ly + 20) + '">' + fmt(-scale) + '</text>' +
           '<text x="' + (left + lw) + '" y="' + (ly + 20) + '" text-anchor="end">' +
           fmt(scale) + '</text><text x="' + (left + lw / 2) + '" y="' + (ly + 20) +
           '" text-anchor="middle">0</text></svg>';
    return svg;
  }
  function color(v, scale) {
    var t = scale > 0 ? Math.max(-1, Math.min(1, v / scale)) : 0;
    var fade = Math.round(255 * (1 - Math.abs(t)));
    return t >= 0 ? 'rgb(255,' + fade + ',' + fade + ')' : 'rgb(' + fade + ',' + fade + ',255)';
  }

  // ---- the panel --------------------------------------------------------
  var state = {layer: 0, n: 0, c: 0, at: null};
  root.innerHTML =
    '<div class="controls">Layer <select id="ex-layer"></select> ' +
    'batch element <select id="ex-n"></select> <span id="ex-c-label">channel ' +
    '<select id="ex-c"></select></span></div>' +
    '<div id="ex-map"></div><div id="ex-result"><p>Click a cell of the output.</p></div>';
  var layerSel = document.getElementById('ex-layer');
  layers.forEach(function (L, k) {
    layerSel.appendChild(el('option', {value: k}, L.name + ' (' + L.layer + ')'));
  });
  function fill(sel, count) {
    sel.innerHTML = '';
    for (var k = 0; k < count; ++k) sel.appendChild(el('option', {value: k}, String(k)));
  }
  function draw() {
    var L = layers[state.layer], four = L.output.shape.length === 4;
    document.getElementById('ex-c-label').style.display = four ? '' : 'none';
    document.getElementById('ex-map').innerHTML =
      '<p class="caption">' + L.name + ' output [' + L.output.shape.join(', ') + ']' +
      (four ? ', batch element ' + state.n + ', channel ' + state.c : '') +
      ' (rows down, columns across; click a cell)</p>' +
      heatmap(L, state.n, state.c, state.at);
    var cells = document.querySelectorAll('#ex-map rect.cell');
    for (var k = 0; k < cells.length; ++k)
      cells[k].addEventListener('click', onClick);
  }
  function onClick(event) {
    var at = event.currentTarget.getAttribute('data-pos').split(',').map(Number);
    state.at = at;
    var L = layers[state.layer];
    var out = kinds[L.kind](L, at);
    document.getElementById('ex-result').innerHTML =
      '<h4>Forward: ' + L.name + ' (' + L.layer + ') at ' + pos(at) + '</h4>' + out.forward +
      (out.backward ? '<h4>Backward: where the gradient of ' + pos(at) + ' goes</h4>' +
                      out.backward
                    : '<p>(No backward pass: the model has no loss.)</p>');
    draw();
  }
  function selectLayer(k) {
    state.layer = k;
    var L = layers[k];
    fill(document.getElementById('ex-n'), L.output.shape[0]);
    fill(document.getElementById('ex-c'), L.output.shape.length === 4 ? L.output.shape[1] : 1);
    state.n = 0; state.c = 0; state.at = null;
    document.getElementById('ex-result').innerHTML = '<p>Click a cell of the output.</p>';
    draw();
  }
  layerSel.addEventListener('change', function () { selectLayer(+layerSel.value); });
  document.getElementById('ex-n').addEventListener('change', function (e) {
    state.n = +e.target.value; state.at = null; draw();
  });
  document.getElementById('ex-c').addEventListener('change', function (e) {
    state.c = +e.target.value; state.at = null; draw();
  });
  selectLayer(0);

  // #explore=LAYER,n,c,h,w (or LAYER,n,j for a 2-D output): select and
  // click, exactly as a reader would.
  var m = /^#explore=([^,]+),(.*)$/.exec(decodeURIComponent(location.hash));
  if (m) {
    var k = layers.findIndex(function (L) { return L.name === m[1]; });
    var at = m[2].split(',').map(Number);
    if (k >= 0) {
      layerSel.value = k;
      selectLayer(k);
      state.n = at[0];
      document.getElementById('ex-n').value = at[0];
      if (at.length === 4) {
        state.c = at[1];
        document.getElementById('ex-c').value = at[1];
      }
      draw();
      var cell = document.querySelector('#ex-map rect.cell[data-pos="' + at.join(',') + '"]');
      if (cell) cell.dispatchEvent(new MouseEvent('click', {bubbles: true}));
    }
  }
})();
