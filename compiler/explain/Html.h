//===- Html.h - the self-contained HTML explanation -------------*- C++ -*-===//
//
// The HTML report is the Markdown report rendered to one page that opens
// offline: KaTeX (its script, auto-render and its CSS with the fonts as
// data URLs) is inlined, every op's section is collapsible, a sidebar
// links to them, and pictures are inline SVG: heatmaps of activations and
// gradients, and the graph of forward and backward ops drawn by Graphviz.
//
//===----------------------------------------------------------------------===//

#ifndef TCNN_EXPLAIN_HTML_H
#define TCNN_EXPLAIN_HTML_H

#include "compiler/interpreter/Tensor.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"

#include <optional>
#include <string>

namespace tcnnc::explain {

/// A rectangle of a heatmap to outline: rows h0..h0+hh-1, columns
/// w0..w0+ww-1 (may extend into padding).
struct Highlight {
  int64_t h0, w0, hh, ww;
};

/// Channel `c` of batch element `n` of a 4-D tensor (or the whole of a
/// 2-D one) as an SVG heatmap: blue negative, red positive, white 0.
std::string heatmap(const Tensor &t, int64_t n, int64_t c,
                    const std::string &title,
                    std::optional<Highlight> highlight);

/// The graph of the gradient function's ops (forward blue, backward
/// orange), as SVG drawn by Graphviz's `dot`. Empty with `error` set if
/// dot fails.
std::string opGraph(mlir::func::FuncOp grad, std::string &error);

/// The whole page, with the "Explore" section (`explorer`, see
/// Explorer.h) first. Fails (empty, `error` set) if KaTeX is not installed.
std::string renderPage(const std::string &markdown, const std::string &title,
                       const std::string &graphSvg,
                       const std::string &explorer, std::string &error);

} // namespace tcnnc::explain

#endif // TCNN_EXPLAIN_HTML_H
