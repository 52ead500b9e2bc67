//===- FoldConstants.cpp - evaluate an ONNX graph's constant parts --------===//
//
// torch.onnx.export computes the target shape of a flatten as a small
// graph of its own: Shape -> Gather -> Unsqueeze -> Concat -> Reshape.
// With static shapes all of it is known; folding it leaves the Reshape with
// a constant shape, which the importer maps to a layer.
//
//===----------------------------------------------------------------------===//

#include "compiler/importers/OnnxGraph.h"

#include <algorithm>
#include <cmath>

using namespace tcnnc::onnx;

namespace {

Constant vector1d(const std::vector<int64_t> &v) {
  Constant c;
  c.shape = {static_cast<int64_t>(v.size())};
  c.values.assign(v.begin(), v.end());
  c.isInteger = true;
  return c;
}

std::vector<int64_t> asInts(const Constant &c) {
  return std::vector<int64_t>(c.values.begin(), c.values.end());
}

/// Normalizes a possibly negative axis of a rank-`rank` tensor; -1 when
/// out of range.
int64_t axisOf(int64_t axis, int64_t rank) {
  if (axis < 0)
    axis += rank;
  return axis >= 0 && axis < rank ? axis : -1;
}

/// Row-major strides of `shape`.
std::vector<int64_t> stridesOf(const std::vector<int64_t> &shape) {
  std::vector<int64_t> strides(shape.size(), 1);
  for (size_t k = shape.size(); k-- > 1;)
    strides[k - 1] = strides[k] * shape[k];
  return strides;
}

/// ONNX Slice (opset 10+ inputs): per listed axis, start:end:step with
/// negative indices counted from the end and clamped as numpy does.
std::optional<Constant> slice(const Constant &x, std::vector<int64_t> starts,
                              std::vector<int64_t> ends,
                              std::vector<int64_t> axes,
                              std::vector<int64_t> steps) {
  int64_t rank = static_cast<int64_t>(x.shape.size());
  if (axes.empty())
    for (size_t k = 0; k < starts.size(); ++k)
      axes.push_back(static_cast<int64_t>(k));
  if (steps.empty())
    steps.assign(starts.size(), 1);
  if (starts.size() != ends.size() || axes.size() != starts.size() ||
      steps.size() != starts.size())
    return std::nullopt;
  std::vector<int64_t> first(rank, 0), step(rank, 1), count(x.shape);
  for (size_t k = 0; k < axes.size(); ++k) {
    int64_t a = axisOf(axes[k], rank);
    if (a < 0 || steps[k] == 0)
      return std::nullopt;
    int64_t size = x.shape[a], s = starts[k], e = ends[k];
    if (s < 0)
      s += size;
    if (e < 0)
      e += size;
    if (steps[k] > 0) {
      s = std::clamp<int64_t>(s, 0, size);
      e = std::clamp<int64_t>(e, 0, size);
      count[a] = e > s ? (e - s + steps[k] - 1) / steps[k] : 0;
    } else {
      s = std::clamp<int64_t>(s, -1, size - 1);
      e = std::clamp<int64_t>(e, -1, size - 1);
      count[a] = s > e ? (s - e - steps[k] - 1) / -steps[k] : 0;
    }
    first[a] = s;
    step[a] = steps[k];
  }
  Constant r;
  r.shape = count;
  r.isInteger = x.isInteger;
  std::vector<int64_t> from = stridesOf(x.shape), to = stridesOf(count);
  for (int64_t i = 0; i < r.numElements(); ++i) {
    int64_t offset = 0;
    for (int64_t a = 0; a < rank; ++a)
      offset += (first[a] + (i / to[a]) % count[a] * step[a]) * from[a];
    r.values.push_back(x.values[offset]);
  }
  return r;
}

/// ONNX Transpose; no `perm` reverses the dimensions.
std::optional<Constant> transpose(const Constant &x,
                                  std::vector<int64_t> perm) {
  int64_t rank = static_cast<int64_t>(x.shape.size());
  if (perm.empty())
    for (int64_t k = rank; k-- > 0;)
      perm.push_back(k);
  if (static_cast<int64_t>(perm.size()) != rank)
    return std::nullopt;
  Constant r;
  r.isInteger = x.isInteger;
  for (int64_t p : perm) {
    if (p < 0 || p >= rank)
      return std::nullopt;
    r.shape.push_back(x.shape[p]);
  }
  std::vector<int64_t> from = stridesOf(x.shape), to = stridesOf(r.shape);
  r.values.resize(x.values.size());
  for (int64_t i = 0; i < r.numElements(); ++i) {
    int64_t offset = 0;
    for (int64_t a = 0; a < rank; ++a)
      offset += (i / to[a]) % r.shape[a] * from[perm[a]];
    r.values[i] = x.values[offset];
  }
  return r;
}

/// Elementwise binary arithmetic with ONNX (numpy) broadcasting, for
/// operands of equal shape or one of them a single element.
std::optional<Constant> binary(const Node &n, const Constant &a,
                               const Constant &b) {
  const Constant *big = a.numElements() >= b.numElements() ? &a : &b;
  if (a.shape != b.shape && a.numElements() != 1 && b.numElements() != 1)
    return std::nullopt;
  Constant r;
  r.shape = big->shape;
  r.isInteger = a.isInteger && b.isInteger;
  int64_t count = big->numElements();
  for (int64_t k = 0; k < count; ++k) {
    double x = a.values[a.numElements() == 1 ? 0 : k];
    double y = b.values[b.numElements() == 1 ? 0 : k];
    double v;
    if (n.opType == "Add")
      v = x + y;
    else if (n.opType == "Sub")
      v = x - y;
    else if (n.opType == "Mul")
      v = x * y;
    else {
      if (y == 0)
        return std::nullopt;
      v = r.isInteger ? std::trunc(x / y) : x / y;
    }
    r.values.push_back(v);
  }
  return r;
}

/// The value of `n`'s single output, when it can be computed now.
std::optional<Constant> evaluate(const Graph &g, const Node &n) {
  std::vector<const Constant *> in;
  for (const std::string &name : n.inputs)
    in.push_back(name.empty() ? nullptr : g.constant(name));
  auto allConstant = [&] {
    for (const Constant *c : in)
      if (!c)
        return false;
    return !in.empty();
  };
  const std::string &op = n.opType;
  if (op == "Constant") {
    auto it = n.attributes.find("value");
    if (it != n.attributes.end() && it->second.t)
      return *it->second.t;
    if (n.has("value_ints"))
      return vector1d(n.getInts("value_ints", {}));
    if (n.has("value_int")) {
      Constant c = vector1d({n.getInt("value_int", 0)});
      c.shape.clear();
      return c;
    }
    if (n.has("value_float")) {
      Constant c;
      c.values = {n.getFloat("value_float", 0)};
      return c;
    }
    return std::nullopt;
  }
  if (op == "Shape") {
    const std::vector<int64_t> *shape =
        n.inputs.empty() ? nullptr : g.shape(n.inputs[0]);
    if (!shape)
      return std::nullopt;
    return vector1d(*shape);
  }
  if (!allConstant())
    return std::nullopt;
  const Constant &x = *in[0];
  if (op == "Identity")
    return x;
  if (op == "Cast") {
    Constant r = x;
    int64_t to = n.getInt("to", 1);
    r.isInteger = to == 6 || to == 7; // INT32, INT64
    if (r.isInteger)
      for (double &v : r.values)
        v = std::trunc(v);
    return r;
  }
  if (op == "Gather") {
    // Gathering along axis 0 of a vector: the picks of shape arithmetic.
    if (x.shape.size() != 1 || axisOf(n.getInt("axis", 0), 1) != 0)
      return std::nullopt;
    const Constant &idx = *in[1];
    Constant r;
    r.shape = idx.shape;
    r.isInteger = x.isInteger;
    for (double i : idx.values) {
      int64_t k = static_cast<int64_t>(i);
      if (k < 0)
        k += x.shape[0];
      if (k < 0 || k >= x.shape[0])
        return std::nullopt;
      r.values.push_back(x.values[k]);
    }
    return r;
  }
  if (op == "Unsqueeze" || op == "Squeeze") {
    std::vector<int64_t> axes = n.getInts("axes", {});
    if (in.size() > 1)
      axes = asInts(*in[1]);
    Constant r = x;
    if (op == "Unsqueeze") {
      int64_t rank = static_cast<int64_t>(x.shape.size() + axes.size());
      std::vector<bool> added(rank, false);
      for (int64_t a : axes) {
        int64_t k = axisOf(a, rank);
        if (k < 0)
          return std::nullopt;
        added[k] = true;
      }
      r.shape.clear();
      size_t next = 0;
      for (int64_t k = 0; k < rank; ++k)
        r.shape.push_back(added[k] ? 1 : x.shape[next++]);
    } else {
      r.shape.clear();
      int64_t rank = static_cast<int64_t>(x.shape.size());
      for (int64_t k = 0; k < rank; ++k) {
        bool drop = axes.empty() ? x.shape[k] == 1 : false;
        for (int64_t a : axes)
          drop |= axisOf(a, rank) == k;
        if (!drop)
          r.shape.push_back(x.shape[k]);
      }
    }
    return r;
  }
  if (op == "Concat") {
    // Vectors (shapes) only.
    Constant r;
    r.isInteger = true;
    for (const Constant *c : in) {
      if (c->shape.size() != 1)
        return std::nullopt;
      r.isInteger &= c->isInteger;
      r.values.insert(r.values.end(), c->values.begin(), c->values.end());
    }
    r.shape = {static_cast<int64_t>(r.values.size())};
    return r;
  }
  if (op == "Reshape") {
    // A constant reshaped: same values, the new shape (0 copies, -1 fills).
    std::vector<int64_t> target = asInts(*in[1]);
    int64_t known = 1, fill = -1;
    for (size_t k = 0; k < target.size(); ++k) {
      if (target[k] == 0 && k < x.shape.size())
        target[k] = x.shape[k];
      if (target[k] == -1)
        fill = static_cast<int64_t>(k);
      else if (target[k] > 0)
        known *= target[k];
      else
        return std::nullopt;
    }
    if (fill >= 0) {
      if (known == 0 || x.numElements() % known)
        return std::nullopt;
      target[fill] = x.numElements() / known;
    }
    Constant r = x;
    r.shape = target;
    if (r.numElements() != x.numElements())
      return std::nullopt;
    return r;
  }
  if (op == "Slice" && in.size() >= 3)
    return slice(x, asInts(*in[1]), asInts(*in[2]),
                 in.size() > 3 ? asInts(*in[3]) : std::vector<int64_t>{},
                 in.size() > 4 ? asInts(*in[4]) : std::vector<int64_t>{});
  if (op == "Transpose")
    return transpose(x, n.getInts("perm", {}));
  if (op == "ConstantOfShape") {
    Constant r;
    r.shape = asInts(x);
    double fill = 0;
    auto it = n.attributes.find("value");
    if (it != n.attributes.end() && it->second.t) {
      if (it->second.t->values.size() != 1)
        return std::nullopt;
      fill = it->second.t->values[0];
      r.isInteger = it->second.t->isInteger;
    }
    for (int64_t d : r.shape)
      if (d < 0 || d > (int64_t(1) << 20))
        return std::nullopt;
    r.values.assign(r.numElements(), fill);
    return r;
  }
  if ((op == "Add" || op == "Sub" || op == "Mul" || op == "Div") &&
      in.size() == 2 && (x.isInteger || in[1]->isInteger))
    return binary(n, x, *in[1]);
  return std::nullopt;
}

} // namespace

void tcnnc::onnx::foldConstants(Graph &graph) {
  std::vector<Node> kept;
  for (Node &n : graph.nodes) {
    std::optional<Constant> value;
    if (n.outputs.size() == 1)
      value = evaluate(graph, n);
    if (value) {
      graph.constants[n.outputs[0]] = std::move(*value);
      continue;
    }
    kept.push_back(std::move(n));
  }
  graph.nodes = std::move(kept);
}
