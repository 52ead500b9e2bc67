//===- Symbolic.cpp - convolution derivations with symbols ----------------===//

#include "compiler/explain/Symbolic.h"

#include "compiler/explain/Report.h"
#include "dialect/TcnnOps.h"

#include "llvm/Support/raw_ostream.h"

#include <cstdio>

using namespace mlir;
using namespace mlir::tcnn;
using tcnnc::Tensor;

namespace {

/// A number as the notes write it: "3", "0.25".
std::string plain(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.4g", v);
  return buf;
}

std::string bmatrix(const std::vector<std::vector<std::string>> &rows) {
  std::string s = "\\begin{bmatrix} ";
  for (size_t r = 0; r < rows.size(); ++r) {
    for (size_t c = 0; c < rows[r].size(); ++c)
      s += (c ? " & " : "") + rows[r][c];
    s += r + 1 < rows.size() ? " \\\\ " : " ";
  }
  return s + "\\end{bmatrix}";
}

/// "v s", or just "s" when the coefficient is 1.
std::string scaled(const std::string &v, const std::string &symbol) {
  return v == "1" ? symbol : v + " " + symbol;
}

std::string sym(const char *base, int64_t k) {
  return std::string(base) + "_{" + std::to_string(k) + "}";
}

/// "d_1 w_2 + d_2 w_1", or "0".
std::string sumOf(const std::vector<std::string> &terms) {
  if (terms.empty())
    return "0";
  std::string s;
  for (size_t i = 0; i < terms.size(); ++i)
    s += (i ? " + " : "") + terms[i];
  return s;
}

void writeConv(Conv2dOp conv, const tcnnc::Interpreter &interp,
               tcnnc::explain::Markdown &md) {
  const Tensor &x = *interp.valueOf(conv.getInput());
  const Tensor &y = *interp.valueOf(conv.getOutput());
  auto w = cast<RankedTensorType>(conv.getWeight().getType()).getShape();
  ArrayRef<int64_t> s = conv.getStride(), p = conv.getPadding(),
                   d = conv.getDilation();
  int64_t H = x.dim(2), W = x.dim(3), KH = w[2], KW = w[3];
  int64_t OH = y.dim(2), OW = y.dim(3);
  std::string layer = cast<NameLoc>(conv.getLoc()).getName().str();
  md.heading(2, "Symbolic derivation of `" + layer + "`");
  md.para("Stride (" + std::to_string(s[0]) + ", " + std::to_string(s[1]) +
          "), padding (" + std::to_string(p[0]) + ", " + std::to_string(p[1]) +
          ")" +
          (d[0] != 1 || d[1] != 1
               ? ", dilation (" + std::to_string(d[0]) + ", " +
                     std::to_string(d[1]) + "): kernel taps " +
                     "that many input positions apart"
               : std::string()) +
          ". The image is channel 0 of batch element 0 of the layer's "
          "input" +
          (x.dim(1) > 1 || w[0] > 1 ? " and the kernel that of output channel "
                                      "0 and input channel 0 (the other "
                                      "channels follow the same pattern)"
                                    : "") +
          "; the kernel entries are the symbols $w_1 \\ldots w_{" +
          std::to_string(KH * KW) + "}$ in row-major order, the bias is left "
          "out.");
  // Padding reads 0 but is not the image's: it is written 0_p.
  const std::string pad = "0_p";
  auto pixel = [&](int64_t h, int64_t v) -> std::string {
    if (h < 0 || h >= H || v < 0 || v >= W)
      return pad;
    return plain(x.at(0, 0, h, v));
  };
  auto isZero = [&](const std::string &v) { return v == "0" || v == pad; };
  std::vector<std::vector<std::string>> image, kernel;
  for (int64_t h = 0; h < H; ++h) {
    image.emplace_back();
    for (int64_t v = 0; v < W; ++v)
      image.back().push_back(pixel(h, v));
  }
  for (int64_t i = 0; i < KH; ++i) {
    kernel.emplace_back();
    for (int64_t j = 0; j < KW; ++j)
      kernel.back().push_back(sym("w", i * KW + j + 1));
  }
  md.para("$$\\text{Image} = " + bmatrix(image) + " \\quad \\text{Kernel} = " +
          bmatrix(kernel) + "$$");

  // Forward: every receptive field times the kernel.
  md.heading(3, "Forward pass of `" + layer + "`");
  md.para("Each output is the receptive field multiplied elementwise by the "
          "kernel, then summed" +
          std::string(p[0] || p[1] ? " ($0_p$ where the window covers "
                                     "padding: it reads 0 and adds nothing)"
                                   : "") +
          ":");
  auto field = [&](int64_t i, int64_t j) {
    std::vector<std::vector<std::string>> f;
    for (int64_t a = 0; a < KH; ++a) {
      f.emplace_back();
      for (int64_t b = 0; b < KW; ++b)
        f.back().push_back(pixel(i * s[0] - p[0] + a * d[0], j * s[1] - p[1] + b * d[1]));
    }
    return f;
  };
  std::vector<std::vector<std::string>> outputs;
  std::string lines;
  for (int64_t i = 0; i < OH; ++i) {
    outputs.emplace_back();
    for (int64_t j = 0; j < OW; ++j) {
      std::vector<std::string> terms;
      for (int64_t a = 0; a < KH; ++a)
        for (int64_t b = 0; b < KW; ++b) {
          std::string v = pixel(i * s[0] - p[0] + a * d[0], j * s[1] - p[1] + b * d[1]);
          if (!isZero(v))
            terms.push_back(scaled(v, sym("w", a * KW + b + 1)));
        }
      int64_t k = i * OW + j + 1;
      lines += "- $y_{" + std::to_string(k) + "} = " + bmatrix(field(i, j)) +
               " \\odot W = " + sumOf(terms) + "$\n";
      outputs.back().push_back(sym("y", k));
    }
  }
  md.para(lines);
  md.para("Output shape: (" + std::to_string(OH) + ", " + std::to_string(OW) +
          ").");

  // Backward.
  md.heading(3, "Backward pass of `" + layer + "`");
  std::vector<std::vector<std::string>> dout;
  for (int64_t i = 0; i < OH; ++i) {
    dout.emplace_back();
    for (int64_t j = 0; j < OW; ++j)
      dout.back().push_back(sym("d", i * OW + j + 1));
  }
  md.para("The upstream gradient (what the convolution notes call the "
          "downstream gradient: it comes down from the loss) has the "
          "output's shape: $$\\text{dout} = " +
          bmatrix(dout) + "$$");
  md.para("$\\partial L/\\partial W$: each receptive field times its $d_i$, "
          "all added together:");
  std::string fieldSum;
  for (int64_t i = 0; i < OH; ++i)
    for (int64_t j = 0; j < OW; ++j)
      fieldSum += std::string(fieldSum.empty() ? "" : " + ") +
                  bmatrix(field(i, j)) + " " + sym("d", i * OW + j + 1);
  md.para("$$\\frac{\\partial L}{\\partial W} = " + fieldSum + "$$");
  std::vector<std::vector<std::string>> dw;
  for (int64_t a = 0; a < KH; ++a) {
    dw.emplace_back();
    for (int64_t b = 0; b < KW; ++b) {
      std::vector<std::string> terms;
      for (int64_t i = 0; i < OH; ++i)
        for (int64_t j = 0; j < OW; ++j) {
          std::string v = pixel(i * s[0] - p[0] + a * d[0], j * s[1] - p[1] + b * d[1]);
          if (!isZero(v))
            terms.push_back(scaled(v, sym("d", i * OW + j + 1)));
        }
      dw.back().push_back(sumOf(terms));
    }
  }
  md.para("$$\\frac{\\partial L}{\\partial W} = " + bmatrix(dw) + "$$");

  md.para("$\\partial L/\\partial X$: each $d_i$ scales a copy of the kernel, "
          "which is mapped back onto the image where its receptive field "
          "was; overlapping entries are summed" +
          std::string(p[0] || p[1] ? ", entries on the padding dropped" : "") +
          ":");
  std::vector<std::vector<std::vector<std::string>>> dx(
      H, std::vector<std::vector<std::string>>(W));
  for (int64_t i = 0; i < OH; ++i)
    for (int64_t j = 0; j < OW; ++j)
      for (int64_t a = 0; a < KH; ++a)
        for (int64_t b = 0; b < KW; ++b) {
          int64_t h = i * s[0] - p[0] + a * d[0], v = j * s[1] - p[1] + b * d[1];
          if (h >= 0 && h < H && v >= 0 && v < W)
            dx[h][v].push_back(sym("d", i * OW + j + 1) + " " +
                               sym("w", a * KW + b + 1));
        }
  // The build-up: the first few copies d_i W, each where its receptive
  // field was (entries on the padding dropped), before they are added.
  int64_t shown = std::min<int64_t>(OH * OW, 4);
  static const char *ordinal[] = {"first", "second", "third", "fourth"};
  std::string copies;
  for (int64_t k = 0; k < shown; ++k) {
    int64_t i = k / OW, j = k % OW;
    std::vector<std::vector<std::string>> copy(
        H, std::vector<std::string>(W, "\\cdot"));
    for (int64_t a = 0; a < KH; ++a)
      for (int64_t b = 0; b < KW; ++b) {
        int64_t h = i * s[0] - p[0] + a * d[0], v = j * s[1] - p[1] + b * d[1];
        if (h >= 0 && h < H && v >= 0 && v < W)
          copy[h][v] = sym("d", k + 1) + " " + sym("w", a * KW + b + 1);
      }
    copies += "- the " + std::string(ordinal[k]) + " receptive field (of $" +
              sym("y", k + 1) + "$) mapped back: $" + sym("d", k + 1) +
              " W$ at rows " + std::to_string(i * s[0] - p[0]) + ".." +
              std::to_string(i * s[0] - p[0] + (KH - 1) * d[0]) +
              ", columns " + std::to_string(j * s[1] - p[1]) + ".." +
              std::to_string(j * s[1] - p[1] + (KW - 1) * d[1]) + " $$" +
              bmatrix(copy) + "$$\n";
  }
  md.para(copies + (OH * OW > shown
                        ? "- … and likewise for the other " +
                              std::to_string(OH * OW - shown) + " outputs.\n"
                        : std::string()));
  md.para("Adding all " + std::to_string(OH * OW) +
          " copies ($\\cdot$ is no entry):");
  std::vector<std::vector<std::string>> dxm;
  for (int64_t h = 0; h < H; ++h) {
    dxm.emplace_back();
    for (int64_t v = 0; v < W; ++v)
      dxm.back().push_back(sumOf(dx[h][v]));
  }
  md.para("$$\\frac{\\partial L}{\\partial X} = " + bmatrix(dxm) + "$$");

  // The same as a full correlation with the flipped kernel.
  int64_t DH = (OH - 1) * s[0] + 1, DW = (OW - 1) * s[1] + 1;
  std::vector<std::vector<std::string>> dilated(DH,
                                                std::vector<std::string>(DW, "0"));
  for (int64_t i = 0; i < OH; ++i)
    for (int64_t j = 0; j < OW; ++j)
      dilated[i * s[0]][j * s[1]] = sym("d", i * OW + j + 1);
  // The rotated kernel, its taps d apart (zeros between them).
  std::vector<std::vector<std::string>> flipped(
      (KH - 1) * d[0] + 1, std::vector<std::string>((KW - 1) * d[1] + 1, "0"));
  for (int64_t a = KH - 1; a >= 0; --a)
    for (int64_t b = KW - 1; b >= 0; --b)
      flipped[(KH - 1 - a) * d[0]][(KW - 1 - b) * d[1]] =
          sym("w", a * KW + b + 1);
  auto zeros = [](int64_t n, const char *what) {
    return std::to_string(n) + " zero " + what + (n == 1 ? "" : "s");
  };
  md.para("Equivalently: dilate dout, with $s_h - 1$ = " +
          zeros(s[0] - 1, "row") + " between its rows and $s_w - 1$ = " +
          zeros(s[1] - 1, "column") +
          " between its columns; pad it with $d (K - 1) - p$ on each side "
          "(rows " + std::to_string(d[0] * (KH - 1) - p[0]) + ", columns " +
          std::to_string(d[1] * (KW - 1) - p[1]) +
          "); and slide the kernel rotated by 180° over it" +
          (d[0] != 1 || d[1] != 1 ? ", its taps d apart" : std::string()) +
          ". " +
          (p[0] || p[1]
               ? "Without padding that would be a full correlation (padding "
                 "K − 1); the forward padding p crops p from each side."
               : "With no padding this is a full correlation (padding "
                 "K − 1 on each side).") +
          "");
  md.para("$$\\text{dout}_{\\text{dilated}} = " + bmatrix(dilated) +
          " \\qquad W_{\\text{rotated}} = " + bmatrix(flipped) + "$$");

  md.heading(3, "Shapes of `" + layer + "`");
  auto shp = [](int64_t a, int64_t b) {
    return "(" + std::to_string(a) + ", " + std::to_string(b) + ")";
  };
  md.table({"question", "answer"},
           {{"1. shape of the output", shp(OH, OW)},
            {"2. shape of the upstream gradient passed back to this layer",
             shp(OH, OW) + ", the output's"},
            {"3. shape of $\\partial L/\\partial W$", shp(KH, KW) + ", the kernel's"},
            {"4. shape of $\\partial L/\\partial X$", shp(H, W) + ", the image's"}});
}

} // namespace

LogicalResult tcnnc::explain::writeSymbolic(func::FuncOp grad,
                                              const Interpreter &interp,
                                              const std::string &layer,
                                              Markdown &md) {
  SmallVector<Conv2dOp> convs;
  grad.walk([&](Conv2dOp conv) {
    auto name = cast<NameLoc>(conv.getLoc()).getName().str();
    if (layer.empty() || name == layer)
      convs.push_back(conv);
  });
  if (convs.empty()) {
    llvm::errs() << "tcnnc: error: --symbolic: "
                 << (layer.empty() ? std::string("the model has no Conv2d")
                                   : "no Conv2d layer named '" + layer + "'")
                 << "\n";
    return failure();
  }
  md.line("# Symbolic derivation of the convolutions");
  md.line("");
  for (Conv2dOp conv : convs) {
    auto x = cast<RankedTensorType>(conv.getInput().getType()).getShape();
    auto y = cast<RankedTensorType>(conv.getOutput().getType()).getShape();
    if (x[2] * x[3] > 100 || y[2] * y[3] > 64) {
      std::string name = cast<NameLoc>(conv.getLoc()).getName().str();
      if (!layer.empty()) {
        llvm::errs() << "tcnnc: error: --symbolic: '" << name
                     << "' is too large to write out (at most a 10x10 image "
                        "and 64 outputs)\n";
        return failure();
      }
      md.para("`" + name + "` is too large to write out symbolically (at "
              "most a 10x10 image and 64 outputs).");
      continue;
    }
    writeConv(conv, interp, md);
  }
  return success();
}
