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

  // ---- more layer kinds ---------------------------------------------------
  function grad(L, at) { return L.outputGrad ? get(L.outputGrad, at) : null; }
  function opnd(L, name) { return (L.operands || {})[name] || null; }
  function opndGrad(L, name) { return (L.operandGrads || {})[name] || null; }
  function dflt(v, d) { return v === undefined || v === null ? d : v; }
  function calcLine(calc, actual) {
    return '<p>Calculated: <b id="ex-calc">' + fmt(calc) + '</b>; actual (the interpreter\'s): ' +
           '<b id="ex-actual">' + fmt(actual) + '</b> — ' + verdict(calc, actual) + '.</p>';
  }
  // The full input gradient at `at`, computed here, against the one the
  // backward pass produced (when the input has one).
  function fullDx(L, at, calc, how) {
    var t = opndGrad(L, 'input');
    return '<p><b>Full ∂L/∂x' + pos(at) + '</b> (every output\'s share, ' + how + '): ' +
           '<b id="ex-dxfull-calc">' + fmt(calc) + '</b>' +
           (t ? '; actual <b id="ex-dxfull-actual">' + fmt(get(t, at)) + '</b> — ' +
                verdict(calc, get(t, at)) : '') + '.</p>';
  }
  // erf to double precision: its series up to |x| = 3, the continued
  // fraction of erfc beyond.
  function erf(x) {
    var a = Math.abs(x);
    if (a < 3) {
      var term = a, sum = a;
      for (var n = 1; n < 80; ++n) {
        term *= -a * a / n;
        sum += term / (2 * n + 1);
      }
      return Math.sign(x) * 2 / Math.sqrt(Math.PI) * sum;
    }
    var f = a;
    for (var k = 60; k >= 1; --k) f = a + (k / 2) / f;
    return Math.sign(x) * (1 - Math.exp(-a * a) / Math.sqrt(Math.PI) / f);
  }
  // Elementwise activations: the function and its derivative, with the
  // formula as text.
  var activations = {
    sigmoid: function () {
      return {text: 'σ(x) = 1 / (1 + e<sup>−x</sup>)', dtext: 'σ(x)(1 − σ(x))',
              f: function (x) { return 1 / (1 + Math.exp(-x)); },
              df: function (x) { var y = 1 / (1 + Math.exp(-x)); return y * (1 - y); }};
    },
    tanh: function () {
      return {text: 'tanh(x)', dtext: '1 − tanh²(x)', f: Math.tanh,
              df: function (x) { var y = Math.tanh(x); return 1 - y * y; }};
    },
    elu: function (a) {
      var al = dflt(a.alpha, 1);
      return {text: 'x if x > 0, else α(e<sup>x</sup> − 1), α = ' + al,
              dtext: '1 if x > 0, else α e<sup>x</sup>',
              f: function (x) { return x > 0 ? x : al * (Math.exp(x) - 1); },
              df: function (x) { return x > 0 ? 1 : al * Math.exp(x); }};
    },
    gelu: function () {
      return {text: 'x Φ(x) = x (1 + erf(x / √2)) / 2',
              dtext: 'Φ(x) + x φ(x), φ(x) = e<sup>−x²/2</sup> / √(2π)',
              f: function (x) { return x * (1 + erf(x / Math.SQRT2)) / 2; },
              df: function (x) {
                return (1 + erf(x / Math.SQRT2)) / 2 +
                       x * Math.exp(-x * x / 2) / Math.sqrt(2 * Math.PI);
              }};
    },
    leaky_relu: function (a) {
      var sl = dflt(a.negative_slope, 0.01);
      return {text: 'x if x > 0, else s x, s = ' + sl, dtext: '1 if x > 0, else s',
              f: function (x) { return x > 0 ? x : sl * x; },
              df: function (x) { return x > 0 ? 1 : sl; }};
    }
  };
  Object.keys(activations).forEach(function (kind) {
    kinds[kind] = function (L, at) {
      var act = activations[kind](L.attrs), xv = get(L.input, at);
      var calc = act.f(xv), actual = get(L.output, at), dy = grad(L, at);
      var f = '<p>y = ' + act.text + '.</p><p class="subst">y' + pos(at) + ' = f(' + fmt(xv) +
              ') = ' + fmt(calc) + '</p>' + calcLine(calc, actual);
      var bw = '';
      if (dy !== null) {
        var d = act.df(xv);
        bw = upstream(L, at, dy) + '<p>∂y/∂x = ' + act.dtext + ' = ' + fmt(d) +
             ' at x = ' + fmt(xv) + '; it passes on dy · ∂y/∂x = ' + signed(dy) + ' · ' +
             signed(d) + ':</p>' +
             table('ex-dx', ['input position', '∂y/∂x', 'contribution'],
                   [[pos(at), fmt(d), fmt(dy * d)]]) +
             fullDx(L, at, dy * d, 'only this output reads x' + pos(at));
      }
      return {forward: f, backward: bw};
    };
  });

  // The positions of `at`'s line along dimension `dim`.
  function lineOf(t, at, dim) {
    var idx = [];
    for (var j = 0; j < t.shape[dim]; ++j) {
      var i = at.slice();
      i[dim] = j;
      idx.push(i);
    }
    return idx;
  }
  function softmaxKind(log) {
    return function (L, at) {
      var x = L.input, dim = L.attrs.dim < 0 ? L.attrs.dim + x.shape.length : L.attrs.dim;
      var line = lineOf(x, at, dim), me = at[dim], m = -Infinity, S = 0, rows = [];
      line.forEach(function (i) { m = Math.max(m, get(x, i)); });
      line.forEach(function (i) { S += Math.exp(get(x, i) - m); });
      line.forEach(function (i) {
        var xv = get(x, i), e = Math.exp(xv - m);
        rows.push([pos(i), fmt(xv), fmt(xv - m), fmt(e), fmt(e / S)]);
      });
      var xi = get(x, at), calc = log ? xi - m - Math.log(S) : Math.exp(xi - m) / S;
      var actual = get(L.output, at);
      var f = '<p>Along dimension ' + dim + ' (' + line.length + ' values): m = max = ' + fmt(m) +
              ', e<sub>j</sub> = exp(x<sub>j</sub> − m) (subtracting m keeps exp from overflowing ' +
              'and changes nothing), S = Σ e<sub>j</sub> = ' + fmt(S) + '.</p>' +
              table('ex-line', ['position', 'x', 'x − m', 'e = exp(x − m)', 'e / S'], rows) +
              '<p class="subst">y' + pos(at) + ' = ' +
              (log ? fmt(xi) + ' − ' + signed(m) + ' − log ' + fmt(S)
                   : 'exp(' + fmt(xi - m) + ') / ' + fmt(S)) + '</p>' + calcLine(calc, actual);
      var bw = '', dy = grad(L, at);
      if (dy !== null) {
        var y = line.map(function (i) { return get(L.output, i); });
        var p = line.map(function (i) { return Math.exp(get(x, i) - m) / S; });
        var contrib = line.map(function (i, j) {
          var jac = log ? (j === me ? 1 : 0) - p[j] : y[me] * ((j === me ? 1 : 0) - y[j]);
          return [pos(i), fmt(jac), fmt(dy * jac)];
        });
        var dys = line.map(function (i) { return get(L.outputGrad, i); });
        var s = 0, terms = [];
        line.forEach(function (i, j) {
          var t = log ? dys[j] : dys[j] * y[j];
          s += t;
          terms.push(log ? signed(dys[j]) : signed(dys[j]) + '·' + signed(y[j]));
        });
        var full = log ? dys[me] - p[me] * s : y[me] * (dys[me] - s);
        bw = upstream(L, at, dy) +
             '<p>y' + pos(at) + ' depends on every x of its line: ∂y<sub>i</sub>/∂x<sub>j</sub> = ' +
             (log ? 'δ<sub>ij</sub> − p<sub>j</sub> (p = softmax)'
                  : 'y<sub>i</sub> (δ<sub>ij</sub> − y<sub>j</sub>)') +
             '. Its dy reaches each of them:</p>' +
             table('ex-dx', ['input position', '∂y/∂x', 'dy · ∂y/∂x'], contrib) +
             '<p>Summing every output\'s share gives the Jacobian-vector form, without the ' +
             'Jacobian: ' + (log ? 'dx<sub>i</sub> = dy<sub>i</sub> − p<sub>i</sub> Σ<sub>j</sub> dy<sub>j</sub>'
                                 : 'dx<sub>i</sub> = y<sub>i</sub> (dy<sub>i</sub> − Σ<sub>j</sub> dy<sub>j</sub> y<sub>j</sub>)') +
             ', with Σ = ' + sumList(terms, 12) + ' = ' + fmt(s) + '.</p>' +
             fullDx(L, at, full, 'the Jacobian-vector product');
      }
      return {forward: f, backward: bw};
    };
  }
  kinds.softmax = softmaxKind(false);
  kinds.log_softmax = softmaxKind(true);

  kinds.batch_norm2d = function (L, at) {
    var a = L.attrs, x = L.input, c = at[1];
    var training = dflt(a.training, true), eps = dflt(a.eps, 1e-5);
    var w = opnd(L, 'weight'), b = opnd(L, 'bias');
    var g = w ? get(w, [c]) : 1, beta = b ? get(b, [c]) : 0;
    var cells = [];
    for (var n = 0; n < x.shape[0]; ++n)
      for (var i = 0; i < x.shape[2]; ++i)
        for (var j = 0; j < x.shape[3]; ++j) cells.push([n, c, i, j]);
    var M = cells.length, mean, vr, how;
    if (training) {
      mean = 0; cells.forEach(function (q) { mean += get(x, q); }); mean /= M;
      vr = 0; cells.forEach(function (q) { var d = get(x, q) - mean; vr += d * d; }); vr /= M;
      how = 'the batch\'s statistics of channel ' + c + ' (training): over all ' + M +
            ' values x[·, ' + c + ', ·, ·], mean μ = Σ x / ' + M + ' = ' + fmt(mean) +
            ' and biased variance σ² = Σ (x − μ)² / ' + M + ' = ' + fmt(vr);
    } else {
      mean = get(opnd(L, 'runningMean'), [c]);
      vr = get(opnd(L, 'runningVar'), [c]);
      how = 'the running statistics (inference): μ = ' + fmt(mean) + ', σ² = ' + fmt(vr);
    }
    var sd = Math.sqrt(vr + eps), xv = get(x, at), xhat = (xv - mean) / sd;
    var calc = g * xhat + beta, actual = get(L.output, at);
    var f = '<p>Normalized with ' + how + '.</p>' +
            '<p class="subst">x̂' + pos(at) + ' = (x − μ) / √(σ² + ε) = (' + fmt(xv) + ' − ' +
            signed(mean) + ') / √(' + fmt(vr) + ' + ' + eps + ') = ' + fmt(xhat) + '</p>' +
            '<p class="subst">y' + pos(at) + ' = γ x̂ + β = ' + signed(g) + ' · ' + signed(xhat) +
            ' + ' + signed(beta) + '</p>' + calcLine(calc, actual);
    var bw = '', dy = grad(L, at);
    if (dy !== null) {
      var xh = function (q) { return (get(x, q) - mean) / sd; };
      var rows = [], mdy = 0, mdyx = 0, db = 0, dg = 0;
      cells.forEach(function (q) {
        var same = q.join() === at.join() ? 1 : 0;
        var jac = training ? g / sd * (same - 1 / M - xhat * xh(q) / M) : g / sd * same;
        if (training || same) rows.push([pos(q), fmt(jac), fmt(dy * jac)]);
        var d = get(L.outputGrad, q);
        mdy += d / M; mdyx += d * xh(q) / M; db += d; dg += d * xh(q);
      });
      var full = training ? g / sd * (dy - mdy - xhat * mdyx) : g / sd * dy;
      var gw = opndGrad(L, 'weight'), gb = opndGrad(L, 'bias');
      bw = upstream(L, at, dy) +
           (training ? '<p>In training, y' + pos(at) + ' depends on every x of channel ' + c +
                       ' through μ and σ²: ∂y<sub>i</sub>/∂x<sub>j</sub> = (γ/σ)(δ<sub>ij</sub> − 1/' + M +
                       ' − x̂<sub>i</sub> x̂<sub>j</sub> / ' + M + '). Its dy reaches each of them:</p>'
                     : '<p>In inference μ and σ² are constants: ∂y/∂x = γ/σ.</p>') +
           table('ex-dx', ['input position', '∂y/∂x', 'dy · ∂y/∂x'], rows) +
           '<p>The three terms of the full input gradient: dx = (γ/σ)(dy − mean(dy) − x̂ · mean(dy x̂)) = (' +
           fmt(g) + ' / ' + fmt(sd) + ') · (' + fmt(dy) + ' − ' + signed(mdy) + ' − ' + signed(xhat) +
           ' · ' + signed(mdyx) + ')' + (training ? '' : ' (inference: only dy)') + '.</p>' +
           fullDx(L, at, full, 'the three-term formula') +
           '<p>Its contributions to ∂L/∂γ[' + c + '] and ∂L/∂β[' + c + ']: dy · x̂ = ' + fmt(dy * xhat) +
           ' and dy = ' + fmt(dy) + '. The full sums over channel ' + c + ': ∂L/∂γ = Σ dy x̂ = ' +
           '<b id="ex-dgamma-calc">' + fmt(dg) + '</b>' +
           (gw ? ' (actual ' + fmt(get(gw, [c])) + ' — ' + verdict(dg, get(gw, [c])) + ')' : '') +
           ', ∂L/∂β = Σ dy = <b id="ex-dbeta-calc">' + fmt(db) + '</b>' +
           (gb ? ' (actual ' + fmt(get(gb, [c])) + ' — ' + verdict(db, get(gb, [c])) + ')' : '') + '.</p>';
    }
    return {forward: f, backward: bw};
  };

  // Adaptive pooling: window i covers rows floor(i H / O) to
  // ceil((i + 1) H / O) - 1.
  function adaptiveWindow(L, at) {
    var x = L.input, o = L.output.shape, cells = [];
    var h0 = Math.floor(at[2] * x.shape[2] / o[2]), h1 = Math.ceil((at[2] + 1) * x.shape[2] / o[2]);
    var w0 = Math.floor(at[3] * x.shape[3] / o[3]), w1 = Math.ceil((at[3] + 1) * x.shape[3] / o[3]);
    for (var r = h0; r < h1; ++r)
      for (var q = w0; q < w1; ++q) cells.push({r: r - h0, q: q - w0, idx: [at[0], at[1], r, q]});
    return {k: [h1 - h0, w1 - w0], cells: cells, from: [h0, w0]};
  }
  kinds.adaptive_max_pool2d = function (L, at) {
    var win = adaptiveWindow(L, at), best = null, arg = null;
    win.cells.forEach(function (c) {
      var v = get(L.input, c.idx);
      if (best === null || v > best) { best = v; arg = c; }
    });
    var f = '<p>Window rows ' + win.from[0] + '–' + (win.from[0] + win.k[0] - 1) + ', columns ' +
            win.from[1] + '–' + (win.from[1] + win.k[1] - 1) + ' (floor(i·H/O) to ceil((i+1)·H/O) − 1); ' +
            'y = its largest value (the first, among equal ones).</p>' +
            grid('window of x[' + at[0] + ', ' + at[1] + ', ·, ·]', win.k[0], win.k[1],
                 function (r, q) {
                   var c = win.cells[r * win.k[1] + q], t = fmt(get(L.input, c.idx));
                   return c === arg ? '<b>' + t + '</b>' : t;
                 }) + calcLine(best, get(L.output, at));
    var bw = '', dy = grad(L, at);
    if (dy !== null)
      bw = upstream(L, at, dy) + '<p>All of it goes to the maximum\'s position:</p>' +
           table('ex-dx', ['input position', 'weight', 'contribution'], [[pos(arg.idx), '1', fmt(dy)]]);
    return {forward: f, backward: bw};
  };
  kinds.adaptive_avg_pool2d = function (L, at) {
    var win = adaptiveWindow(L, at), sum = 0, count = win.cells.length;
    win.cells.forEach(function (c) { sum += get(L.input, c.idx); });
    var f = '<p>Window rows ' + win.from[0] + '–' + (win.from[0] + win.k[0] - 1) + ', columns ' +
            win.from[1] + '–' + (win.from[1] + win.k[1] - 1) + ' (floor(i·H/O) to ceil((i+1)·H/O) − 1); ' +
            'y = its mean over ' + count + ' values.</p>' +
            grid('window of x[' + at[0] + ', ' + at[1] + ', ·, ·]', win.k[0], win.k[1],
                 function (r, q) { return fmt(get(L.input, win.cells[r * win.k[1] + q].idx)); }) +
            '<p class="subst">y' + pos(at) + ' = ' + fmt(sum) + ' / ' + count + '</p>' +
            calcLine(sum / count, get(L.output, at));
    var bw = '', dy = grad(L, at);
    if (dy !== null)
      bw = upstream(L, at, dy) + '<p>It is spread evenly over the window:</p>' +
           table('ex-dx', ['input position', 'weight', 'contribution'],
                 win.cells.map(function (c) { return [pos(c.idx), '1/' + count, fmt(dy / count)]; }));
    return {forward: f, backward: bw};
  };

  kinds.conv_transpose2d = function (L, at) {
    var x = L.input, w = L.weight, b = L.bias, a = L.attrs;
    var s = pair(a.stride, 1), p = pair(a.padding, 0), d = pair(a.dilation, 1);
    var groups = a.groups || 1, cinG = x.shape[1] / groups, coutG = w.shape[1];
    var n = at[0], co = at[1], g = Math.floor(co / coutG), cog = co % coutG;
    var sum = b ? get(b, [co]) : 0, terms = [], dxRows = [], dwRows = [], dy = grad(L, at);
    for (var ci = g * cinG; ci < (g + 1) * cinG; ++ci)
      for (var kh = 0; kh < w.shape[2]; ++kh)
        for (var kw = 0; kw < w.shape[3]; ++kw) {
          var th = at[2] + p[0] - kh * d[0], tw = at[3] + p[1] - kw * d[1];
          if (th % s[0] !== 0 || tw % s[1] !== 0) continue;
          var ih = th / s[0], iw = tw / s[1];
          if (ih < 0 || ih >= x.shape[2] || iw < 0 || iw >= x.shape[3]) continue;
          var xv = get(x, [n, ci, ih, iw]), wv = get(w, [ci, cog, kh, kw]);
          sum += xv * wv;
          terms.push(signed(xv) + '·' + signed(wv));
          if (dy !== null) {
            dxRows.push([pos([n, ci, ih, iw]), fmt(wv), fmt(dy * wv)]);
            dwRows.push([pos([ci, cog, kh, kw]), fmt(xv), fmt(dy * xv)]);
          }
        }
    var f = '<p>Each input x[n, c_in, i, j] adds x · w[c_in, c_out, k_h, k_w] to output ' +
            '(i·s<sub>h</sub> − p<sub>h</sub> + k_h·d<sub>h</sub>, j·s<sub>w</sub> − p<sub>w</sub> + ' +
            'k_w·d<sub>w</sub>), s = (' + s + '), p = (' + p + '), d = (' + d + ')' +
            (groups > 1 ? ', ' + groups + ' groups' : '') + '. Output ' + pos(at) + ' collects the ' +
            terms.length + ' inputs and taps that land on it:</p>' +
            '<p class="subst">y' + pos(at) + ' = ' + (b ? signed(get(b, [co])) + ' + ' : '') +
            (terms.length ? sumList(terms, 36) : '0') + '</p>' + calcLine(sum, get(L.output, at));
    var bw = '';
    if (dy !== null)
      bw = upstream(L, at, dy) + '<p>Contributions to <b>∂L/∂x</b> (dy · w):</p>' +
           table('ex-dx', ['input position', 'w', 'dy · w'], dxRows) +
           '<p>Contributions to <b>∂L/∂w</b> (dy · x):</p>' +
           table('ex-dw', ['weight position', 'x', 'dy · x'], dwRows);
    return {forward: f, backward: bw};
  };

  // ---- graph ops and reshapes ----------------------------------------------
  function passOn(L, at, idx, weight) {
    var dy = grad(L, at);
    if (dy === null) return '';
    return upstream(L, at, dy) + '<p>It goes to ' + pos(idx) + ' times ' + fmt(weight) + ':</p>' +
           table('ex-dx', ['input position', '∂y/∂x', 'contribution'],
                 [[pos(idx), fmt(weight), fmt(dy * weight)]]);
  }
  function binary(mul) {
    return function (L, at) {
      var A = opnd(L, 'lhs'), B = opnd(L, 'rhs'), a = get(A, at), b = get(B, at);
      var calc = mul ? a * b : a + b, dy = grad(L, at);
      var f = '<p class="subst">y' + pos(at) + ' = ' + signed(a) + (mul ? ' · ' : ' + ') +
              signed(b) + '</p>' + calcLine(calc, get(L.output, at));
      var bw = '';
      if (dy !== null)
        bw = upstream(L, at, dy) + '<p>' + (mul ? 'Each operand gets dy times the other'
                                              : 'Both operands get dy unchanged') + '.</p>' +
             '<p>To the left operand:</p>' +
             table('ex-dx', ['input position', '∂y/∂a', 'contribution'],
                   [[pos(at), fmt(mul ? b : 1), fmt(dy * (mul ? b : 1))]]) +
             '<p>To the right operand:</p>' +
             table('ex-drhs', ['input position', '∂y/∂b', 'contribution'],
                   [[pos(at), fmt(mul ? a : 1), fmt(dy * (mul ? a : 1))]]);
      return {forward: f, backward: bw};
    };
  }
  kinds.add = binary(false);
  kinds.mul = binary(true);

  kinds.cat = function (L, at) {
    var dim = L.attrs.dim < 0 ? L.attrs.dim + at.length : L.attrs.dim;
    var names = Object.keys(L.operands).sort(), off = 0, k = 0;
    while (at[dim] >= off + L.operands[names[k]].shape[dim]) off += L.operands[names[k++]].shape[dim];
    var idx = at.slice();
    idx[dim] -= off;
    var v = get(L.operands[names[k]], idx);
    var f = '<p>Along dimension ' + dim + ', positions ' + off + ' to ' +
            (off + L.operands[names[k]].shape[dim] - 1) + ' come from input ' + k + ': y' + pos(at) +
            ' = input ' + k + ' at ' + pos(idx) + '.</p>' + calcLine(v, get(L.output, at));
    var dy = grad(L, at), bw = '';
    if (dy !== null)
      bw = upstream(L, at, dy) + '<p>It goes back to input ' + k + ' at ' + pos(idx) + ':</p>' +
           table(k === 0 ? 'ex-dx' : 'ex-dcat' + k, ['input position', 'weight', 'contribution'],
                 [[pos(idx), '1', fmt(dy)]]);
    return {forward: f, backward: bw};
  };

  kinds.dropout = function (L, at) {
    var training = dflt(L.attrs.training, true), xv = get(L.input, at);
    var mk = training ? get(opnd(L, 'mask'), at) : 1, calc = xv * mk;
    var f = '<p>' + (training ? 'Training: y = x · mask, the mask 0 (dropped) or 1/(1 − p) ' +
                                '(kept, scaled so that the expected value stays x).'
                              : 'Inference: the identity.') + '</p>' +
            '<p class="subst">y' + pos(at) + ' = ' + signed(xv) + ' · ' + fmt(mk) + '</p>' +
            calcLine(calc, get(L.output, at));
    return {forward: f, backward: passOn(L, at, at, mk)};
  };

  // Flatten and other reshapes keep the row-major order: output and input
  // share the flat index.
  kinds.flatten = function (L, at) {
    var k = flat(L.output.shape, at), x = L.input, idx = [], r = k;
    for (var d = x.shape.length - 1; d >= 0; --d) { idx.unshift(r % x.shape[d]); r = Math.floor(r / x.shape[d]); }
    var f = '<p>Row-major order is kept: y' + pos(at) + ' is element ' + k + ' of both, x' +
            pos(idx) + '.</p>' + calcLine(get(x, idx), get(L.output, at));
    return {forward: f, backward: passOn(L, at, idx, 1)};
  };

  kinds.pad2d = function (L, at) {
    var p = L.attrs.padding, x = L.input, r = at.length;
    var idx = at.slice();
    idx[r - 1] -= p[0];
    idx[r - 2] -= p[2];
    var inside = idx[r - 1] >= 0 && idx[r - 1] < x.shape[r - 1] && idx[r - 2] >= 0 &&
                 idx[r - 2] < x.shape[r - 2];
    var f = '<p>Padding (left, right, top, bottom) = (' + p.join(', ') + '): y' + pos(at) + ' = ' +
            (inside ? 'x' + pos(idx) : 'a padding zero') + '.</p>' +
            calcLine(inside ? get(x, idx) : 0, get(L.output, at));
    var dy = grad(L, at), bw = '';
    if (dy !== null)
      bw = inside ? passOn(L, at, idx, 1)
                  : upstream(L, at, dy) + '<p>A padding position: its gradient goes nowhere.</p>' +
                    table('ex-dx', ['input position', 'weight', 'contribution'], []);
    return {forward: f, backward: bw};
  };

  // ---- losses: a 0-d output, every element's term and gradient -----------
  function all(t) {
    var idx = [], n = t.data.length;
    for (var f = 0; f < n; ++f) {
      var i = [], r = f;
      for (var d = t.shape.length - 1; d >= 0; --d) { i.unshift(r % t.shape[d]); r = Math.floor(r / t.shape[d]); }
      idx.push(i);
    }
    return idx;
  }
  var pointwise = {
    mse_loss: function () {
      return {term: '(p − t)²', dterm: '2 (p − t)',
              f: function (p, t) { return (p - t) * (p - t); },
              df: function (p, t) { return 2 * (p - t); }};
    },
    l1_loss: function () {
      return {term: '|p − t|', dterm: 'sign(p − t)',
              f: function (p, t) { return Math.abs(p - t); },
              df: function (p, t) { return Math.sign(p - t); }};
    },
    smooth_l1_loss: function (a) {
      var be = dflt(a.beta, 1);
      return {term: '(p − t)² / (2β) if |p − t| < β, else |p − t| − β/2, β = ' + be,
              dterm: '(p − t) / β if |p − t| < β, else sign(p − t)',
              f: function (p, t) { var d = Math.abs(p - t); return d < be ? 0.5 * d * d / be : d - 0.5 * be; },
              df: function (p, t) { var d = p - t; return Math.abs(d) < be ? d / be : Math.sign(d); }};
    },
    bce_with_logits_loss: function () {
      return {term: 'max(p, 0) − p t + log(1 + e<sup>−|p|</sup>)', dterm: 'σ(p) − t',
              f: function (p, t) { return Math.max(p, 0) - p * t + Math.log1p(Math.exp(-Math.abs(p))); },
              df: function (p, t) { return 1 / (1 + Math.exp(-p)) - t; }};
    }
  };
  Object.keys(pointwise).forEach(function (kind) {
    kinds[kind] = function (L, at) {
      var loss = pointwise[kind](L.attrs), P = L.input, T = opnd(L, 'target');
      var mean = dflt(L.attrs.reduction, 'mean') === 'mean', idx = all(P), n = idx.length;
      var sum = 0, rows = [], drows = [];
      idx.forEach(function (i) {
        var p = get(P, i), t = get(T, i), v = loss.f(p, t);
        sum += v;
        rows.push([pos(i), fmt(p), fmt(t), fmt(v)]);
        drows.push([pos(i), fmt(p - t), fmt(loss.df(p, t) / (mean ? n : 1))]);
      });
      var calc = mean ? sum / n : sum;
      var f = '<p>L = ' + (mean ? 'the mean' : 'the sum') + ' over all ' + n + ' elements of ' +
              loss.term + ' (p the prediction, t the target).</p>' +
              table('ex-terms', ['position', 'p', 't', 'term'], rows.slice(0, 64)) +
              (n > 64 ? '<p>… and ' + (n - 64) + ' more terms (in the sum).</p>' : '') +
              '<p class="subst">L = ' + fmt(sum) + (mean ? ' / ' + n : '') + '</p>' +
              calcLine(calc, get(L.output, []));
      var bw = '<p>The backward pass starts here with ∂L/∂L = 1. Each prediction gets ' +
               '∂L/∂p = ' + loss.dterm + (mean ? ' / ' + n : '') + ':</p>' +
               table('ex-dx', ['position', 'p − t', '∂L/∂p'], drows);
      return {forward: f, backward: bw};
    };
  });
  function classLoss(nll) {
    return function (L, at) {
      var X = L.input, T = opnd(L, 'target'), N = X.shape[0], C = X.shape[1];
      var mean = dflt(L.attrs.reduction, 'mean') === 'mean', eps = dflt(L.attrs.label_smoothing, 0);
      var sum = 0, rows = [], drows = [];
      for (var n = 0; n < N; ++n) {
        var t = get(T, [n]), m = -Infinity, S = 0, term;
        for (var c = 0; c < C; ++c) m = Math.max(m, get(X, [n, c]));
        for (var c2 = 0; c2 < C; ++c2) S += Math.exp(get(X, [n, c2]) - m);
        var lse = m + Math.log(S);
        if (nll) {
          term = -get(X, [n, t]);
        } else {
          var smooth = 0;
          for (var c3 = 0; c3 < C; ++c3) smooth += lse - get(X, [n, c3]);
          term = (1 - eps) * (lse - get(X, [n, t])) + eps / C * smooth;
        }
        sum += term;
        rows.push([String(n), String(t), nll ? '−x[' + t + ']' : fmt(lse), fmt(term)]);
        for (var c4 = 0; c4 < C; ++c4) {
          var q = (c4 === t ? 1 - eps : 0) + (nll ? 0 : eps / C);
          var g = nll ? (c4 === t ? -1 : 0) : Math.exp(get(X, [n, c4]) - lse) - q;
          drows.push([pos([n, c4]), nll ? (c4 === t ? 'target' : '') : fmt(Math.exp(get(X, [n, c4]) - lse)),
                      fmt(g / (mean ? N : 1))]);
        }
      }
      var calc = mean ? sum / N : sum;
      var f = '<p>' + (nll ? 'The term of row n is −x[n, t<sub>n</sub>] (x: log-probabilities).'
                           : 'The term of row n is log Σ<sub>c</sub> e<sup>x[n,c]</sup> − x[n, t<sub>n</sub>]' +
                             (eps ? ', with label smoothing ε = ' + eps + ': (1 − ε) of it plus ε/C of ' +
                                    'Σ<sub>c</sub> (lse − x[n, c])' : '')) +
              '; L is ' + (mean ? 'their mean over ' + N + ' rows' : 'their sum') + '.</p>' +
              table('ex-terms', ['row', 'class t', nll ? 'term' : 'lse', 'term'], rows) +
              '<p class="subst">L = ' + fmt(sum) + (mean ? ' / ' + N : '') + '</p>' +
              calcLine(calc, get(L.output, []));
      var bw = '<p>The backward pass starts here with ∂L/∂L = 1. ' +
               (nll ? '∂L/∂x[n, c] = −1 at the target class, 0 elsewhere'
                    : '∂L/∂x[n, c] = softmax(x)[n, c] − q[n, c], q the (smoothed) one-hot target') +
               (mean ? ', divided by ' + N : '') + ':</p>' +
               table('ex-dx', ['position', nll ? '' : 'softmax', '∂L/∂x'], drows);
      return {forward: f, backward: bw};
    };
  }
  kinds.cross_entropy_loss = classLoss(false);
  kinds.nll_loss = classLoss(true);

  function upstream(L, at, dy) {
    return '<p><b>Upstream gradient</b> ∂L/∂y' + pos(at) + ' (the gradient of the loss ' +
           'with respect to this output, from the layers after it): <b id="ex-dy">' +
           fmt(dy) + '</b>.</p>';
  }

  // ---- the heatmap ------------------------------------------------------
  // The 2-D slice shown: rows and columns of the last two dimensions of a
  // 4-D [N, C, H, W] (batch element n, channel c) or 3-D [N, H, W] output,
  // one row of a 2-D [N, F] or 1-D one, one cell of a 0-d loss.
  function sliceOf(t, n, c) {
    var r = t.shape.length;
    if (r === 4) return {rows: t.shape[2], cols: t.shape[3], at: function (i, j) { return [n, c, i, j]; }};
    if (r === 3) return {rows: t.shape[1], cols: t.shape[2], at: function (i, j) { return [n, i, j]; }};
    if (r === 2) return {rows: 1, cols: t.shape[1], at: function (i, j) { return [n, j]; }};
    if (r === 1) return {rows: 1, cols: t.shape[0], at: function (i, j) { return [j]; }};
    return {rows: 1, cols: 1, at: function () { return []; }};
  }
  function heatmap(L, n, c, selected) {
    var t = L.output, sl = sliceOf(t, n, c);
    var rows = sl.rows, cols = sl.cols, at = sl.at;
    var scale = 0;
    for (var i = 0; i < rows; ++i)
      for (var j = 0; j < cols; ++j) scale = Math.max(scale, Math.abs(get(t, at(i, j))));
    var cell = Math.max(8, Math.min(44, Math.floor(440 / Math.max(rows, cols))));
    var left = 28, top = 22, legend = 40;
    // The legend needs room for its three labels even under one cell.
    var lw = Math.max(150, Math.min(cols * cell, 200));
    var width = left + Math.max(cols * cell, lw) + 8, height = top + rows * cell + legend;
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
    var ly = top + rows * cell + 12;
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
    '<span id="ex-n-label">batch element <select id="ex-n"></select></span> ' +
    '<span id="ex-c-label">channel ' +
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
    var rank = L.output.shape.length;
    document.getElementById('ex-c-label').style.display = four ? '' : 'none';
    document.getElementById('ex-n-label').style.display = rank >= 2 ? '' : 'none';
    document.getElementById('ex-map').innerHTML =
      '<p class="caption">' + L.name + ' output [' + L.output.shape.join(', ') + ']' +
      (four ? ', batch element ' + state.n + ', channel ' + state.c
            : rank >= 2 ? ', batch element ' + state.n : rank === 0 ? ' (a scalar)' : '') +
      (rank === 0 ? ' (click it)</p>' : ' (rows down, columns across; click a cell)</p>') +
      heatmap(L, state.n, state.c, state.at);
    var cells = document.querySelectorAll('#ex-map rect.cell');
    for (var k = 0; k < cells.length; ++k)
      cells[k].addEventListener('click', onClick);
  }
  function onClick(event) {
    var dp = event.currentTarget.getAttribute('data-pos');
    var at = dp === '' ? [] : dp.split(',').map(Number);
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
    fill(document.getElementById('ex-n'), L.output.shape.length >= 2 ? L.output.shape[0] : 1);
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

  // #explore=LAYER,n,c,h,w (LAYER,n,j for a 2-D output, LAYER, for a
  // loss): select and
  // click, exactly as a reader would.
  var m = /^#explore=([^,]+),(.*)$/.exec(decodeURIComponent(location.hash));
  if (m) {
    var k = layers.findIndex(function (L) { return L.name === m[1]; });
    var at = m[2] === '' ? [] : m[2].split(',').map(Number);
    if (k >= 0) {
      layerSel.value = k;
      selectLayer(k);
      if (at.length >= 2) {
        state.n = at[0];
        document.getElementById('ex-n').value = at[0];
      }
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
