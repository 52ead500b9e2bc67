//===- Html.cpp - the self-contained HTML explanation ---------------------===//

#include "compiler/explain/Html.h"

#include "compiler/support/Format.h"
#include "dialect/TcnnOps.h"

#include "mlir/IR/AsmState.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/Base64.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>

#ifndef TCNN_KATEX_DIR
#error "TCNN_KATEX_DIR must name KaTeX's directory (empty when not found)"
#endif

using namespace mlir;
using tcnnc::Tensor;

namespace {

std::string escape(llvm::StringRef text) {
  std::string s;
  for (char c : text) {
    switch (c) {
    case '<':
      s += "&lt;";
      break;
    case '>':
      s += "&gt;";
      break;
    case '&':
      s += "&amp;";
      break;
    case '"':
      s += "&quot;";
      break;
    default:
      s += c;
    }
  }
  return s;
}

std::string color(double v, double scale) {
  double t = scale > 0 ? std::clamp(v / scale, -1.0, 1.0) : 0.0;
  int r = 255, g = 255, b = 255;
  if (t > 0) {
    g = b = static_cast<int>(255 * (1 - t));
  } else {
    r = g = static_cast<int>(255 * (1 + t));
  }
  char buf[16];
  std::snprintf(buf, sizeof buf, "#%02x%02x%02x", r, g, b);
  return buf;
}

std::string readFile(const std::string &path, std::string &error) {
  auto buffer = llvm::MemoryBuffer::getFile(path);
  if (!buffer) {
    error = "cannot read '" + path + "': " + buffer.getError().message();
    return "";
  }
  return (*buffer)->getBuffer().str();
}

std::string katexDir() {
  if (const char *env = std::getenv("TCNN_KATEX_DIR"))
    return env;
  return TCNN_KATEX_DIR;
}

/// KaTeX's CSS with every woff2 font inlined as a data URL (and the other
/// formats dropped), so the page needs no files beside it.
std::string inlineFonts(const std::string &css, const std::string &dir,
                        std::string &error) {
  std::string out;
  size_t pos = 0;
  while (true) {
    size_t at = css.find("@font-face", pos);
    if (at == std::string::npos) {
      out += css.substr(pos);
      break;
    }
    size_t end = css.find('}', at);
    out += css.substr(pos, at - pos);
    std::string face = css.substr(at, end - at + 1);
    size_t u = face.find("url(fonts/");
    size_t w2 = face.find(".woff2", u);
    if (u != std::string::npos && w2 != std::string::npos) {
      std::string file = face.substr(u + 4, w2 + 6 - (u + 4));
      std::string font = readFile(dir + "/" + file, error);
      if (!error.empty())
        return "";
      size_t src = face.find("src:");
      size_t srcEnd = face.find(';', src);
      if (srcEnd == std::string::npos || srcEnd > face.size() - 1)
        srcEnd = face.find('}', src);
      face = face.substr(0, src) + "src:url(data:font/woff2;base64," +
             llvm::encodeBase64(font) + ") format(\"woff2\")" +
             face.substr(srcEnd);
    }
    out += face;
    pos = end + 1;
  }
  return out;
}

/// A long display sum `lhs = a + b + ...` (a substitution) broken into
/// lines aligned at its `=`, so that a page 1280 px wide shows all of it
/// (a display formula does not wrap by itself). Formulas with several
/// parts (\qquad), alignments of their own, or no top-level `=` are left
/// as they are.
std::string wrapLongSum(llvm::StringRef math) {
  constexpr size_t kLong = 160, kLine = 85;
  if (math.size() <= kLong || math.contains("\\qquad") ||
      math.contains("\\begin") || math.contains('&'))
    return math.str();
  // Top-level positions: outside braces and \left ... \right.
  int depth = 0;
  size_t equals = llvm::StringRef::npos;
  std::vector<size_t> plus;
  for (size_t i = 0; i < math.size(); ++i) {
    char c = math[i];
    if (c == '{')
      ++depth;
    else if (c == '}')
      --depth;
    else if (math.substr(i).starts_with("\\left"))
      ++depth;
    else if (math.substr(i).starts_with("\\right"))
      --depth;
    else if (depth == 0 && c == '=' && equals == llvm::StringRef::npos)
      equals = i;
    else if (depth == 0 && equals != llvm::StringRef::npos &&
             math.substr(i).starts_with(" + "))
      plus.push_back(i);
  }
  if (equals == llvm::StringRef::npos || plus.empty())
    return math.str();
  std::string out = "\\begin{aligned} " + math.take_front(equals).str() + "&= ";
  size_t from = equals + 1, lineStart = from;
  for (size_t p : plus) {
    if (p - lineStart < kLine)
      continue;
    out += math.slice(from, p).str() + " \\\\ &\\quad ";
    from = lineStart = p + 1; // keeps "+ term"
  }
  return out + math.substr(from).str() + " \\end{aligned}";
}

/// Inline Markdown (the subset the report writes): `code`, **bold**, and
/// math left as $...$ / $$...$$ for KaTeX's auto-render.
std::string inlineHtml(llvm::StringRef text) {
  std::string out;
  size_t i = 0;
  while (i < text.size()) {
    if (text[i] == '`') {
      size_t end = text.find('`', i + 1);
      if (end != llvm::StringRef::npos) {
        out += "<code>" + escape(text.slice(i + 1, end)) + "</code>";
        i = end + 1;
        continue;
      }
    }
    if (text.substr(i).starts_with("**")) {
      size_t end = text.find("**", i + 2);
      if (end != llvm::StringRef::npos) {
        out += "<strong>" + inlineHtml(text.slice(i + 2, end)) + "</strong>";
        i = end + 2;
        continue;
      }
    }
    if (text[i] == '$') {
      bool display = text.substr(i).starts_with("$$");
      size_t open = display ? 2 : 1;
      size_t end = text.find(display ? "$$" : "$", i + open);
      if (end != llvm::StringRef::npos) {
        llvm::StringRef math = text.slice(i + open, end);
        std::string delim = display ? "$$" : "$";
        out += escape(delim + (display ? wrapLongSum(math) : math.str()) +
                      delim);
        i = end + open;
        continue;
      }
    }
    out += escape(text.substr(i, 1));
    ++i;
  }
  return out;
}

std::vector<std::string> cells(llvm::StringRef line) {
  std::vector<std::string> result;
  line = line.trim();
  line = line.drop_front().drop_back(); // outer pipes
  llvm::SmallVector<llvm::StringRef> parts;
  line.split(parts, " | ");
  for (llvm::StringRef p : parts)
    result.push_back(p.trim().str());
  return result;
}

std::string anchor(llvm::StringRef heading) {
  std::string id = "s-";
  for (char c : heading)
    if (std::isalnum(static_cast<unsigned char>(c)))
      id += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    else if (!id.empty() && id.back() != '-')
      id += '-';
  return id;
}

} // namespace

std::string tcnnc::explain::heatmap(const Tensor &t, int64_t n, int64_t c,
                                      const std::string &title,
                                      std::optional<Highlight> hl) {
  int64_t rows, cols;
  auto at = [&](int64_t i, int64_t j) {
    return t.shape.size() == 4 ? t.at(n, c, i, j) : t.at(i, j);
  };
  if (t.shape.size() == 4) {
    rows = t.dim(2);
    cols = t.dim(3);
  } else if (t.shape.size() == 2) {
    rows = t.dim(0);
    cols = t.dim(1);
  } else {
    return "";
  }
  double scale = 0;
  for (int64_t i = 0; i < rows; ++i)
    for (int64_t j = 0; j < cols; ++j)
      scale = std::max(scale, std::fabs(at(i, j)));
  // Cells large enough hold their value (two decimals; the tooltip has
  // six); row and column numbers on the left and top; a colour legend
  // below. An outline may reach into the padding around the tensor.
  int64_t cell = std::clamp<int64_t>(360 / std::max(rows, cols), 6, 44);
  bool labelled = cell >= 14, valued = cell >= 36;
  int64_t pad = hl ? std::min<int64_t>(cell * 2, 40) : 0;
  int64_t left = 24 + pad, top = 18 + pad;
  int64_t legendW = std::min<int64_t>(std::max<int64_t>(cols * cell, 150), 240);
  int64_t width = std::max(left + cols * cell + pad, left + legendW) + 8;
  int64_t legendY = top + rows * cell + pad + 10;
  int64_t height = legendY + 26;
  std::string s;
  llvm::raw_string_ostream os(s);
  os << "<figure class=\"heatmap\"><svg xmlns=\"http://www.w3.org/2000/svg\" "
     << "width=\"" << width << "\" height=\"" << height
     << "\" font-family=\"sans-serif\" font-size=\"10\">";
  for (int64_t j = 0; j < cols; ++j)
    if (labelled || j % 4 == 0)
      os << "<text x=\"" << left + j * cell + cell / 2 << "\" y=\"" << top - 4
         << "\" text-anchor=\"middle\" fill=\"#555\">" << j << "</text>";
  for (int64_t i = 0; i < rows; ++i)
    if (labelled || i % 4 == 0)
      os << "<text x=\"" << left - 4 << "\" y=\"" << top + i * cell + cell / 2 + 3
         << "\" text-anchor=\"end\" fill=\"#555\">" << i << "</text>";
  for (int64_t i = 0; i < rows; ++i)
    for (int64_t j = 0; j < cols; ++j) {
      double v = at(i, j);
      os << "<rect x=\"" << left + j * cell << "\" y=\"" << top + i * cell
         << "\" width=\"" << cell << "\" height=\"" << cell << "\" fill=\""
         << color(v, scale) << "\" stroke=\"#ddd\" stroke-width=\"0.5\">"
         << "<title>(" << i << ", " << j << "): " << tcnnc::formatFixed(v)
         << "</title></rect>";
      if (valued)
        os << "<text x=\"" << left + j * cell + cell / 2 << "\" y=\""
           << top + i * cell + cell / 2 + 3
           << "\" text-anchor=\"middle\" font-size=\"9\">"
           << tcnnc::formatFixed(v, 2) << "</text>";
    }
  if (hl)
    os << "<rect x=\"" << left + hl->w0 * cell << "\" y=\"" << top + hl->h0 * cell
       << "\" width=\"" << hl->ww * cell << "\" height=\"" << hl->hh * cell
       << "\" fill=\"none\" stroke=\"#2a9d3a\" stroke-width=\"3\"/>";
  // The legend: -max blue, 0 white, +max red (its gradient's id is unique
  // in the page).
  static int figures = 0;
  std::string gradient = "legend" + std::to_string(++figures);
  os << "<defs><linearGradient id=\"" << gradient
     << "\"><stop offset=\"0\" "
        "stop-color=\""
     << color(-1, 1) << "\"/><stop offset=\"0.5\" stop-color=\"#ffffff\"/>"
     << "<stop offset=\"1\" stop-color=\"" << color(1, 1)
     << "\"/></linearGradient></defs><rect x=\"" << left << "\" y=\"" << legendY
     << "\" width=\"" << legendW
     << "\" height=\"7\" fill=\"url(#" << gradient
     << ")\" stroke=\"#999\" "
        "stroke-width=\"0.5\"/><text x=\"" << left << "\" y=\""
     << legendY + 19 << "\">" << tcnnc::formatFixed(-scale, 4)
     << "</text><text x=\"" << left + legendW / 2 << "\" y=\"" << legendY + 19
     << "\" text-anchor=\"middle\">0</text><text x=\"" << left + legendW
     << "\" y=\"" << legendY + 19 << "\" text-anchor=\"end\">"
     << tcnnc::formatFixed(scale, 4) << "</text></svg><figcaption>"
     << escape(title) << "</figcaption></figure>";
  return s;
}

std::string tcnnc::explain::opGraph(func::FuncOp grad, std::string &error) {
  std::string dotText;
  llvm::raw_string_ostream os(dotText);
  os << "digraph ops {\n  rankdir=TB; node [fontname=\"sans-serif\" "
        "fontsize=10 style=filled];\n";
  llvm::DenseMap<Value, std::string> ids;
  int next = 0;
  for (BlockArgument arg : grad.getArguments()) {
    std::string id = "v" + std::to_string(next++);
    ids[arg] = id;
    os << "  " << id << " [label=\""
       << mlir::tcnn::argumentName(grad, arg.getArgNumber())
       << "\" shape=ellipse fillcolor=\"#eeeeee\"];\n";
  }
  for (Operation &op : grad.getBody().front()) {
    if (op.getNumResults() != 1)
      continue;
    std::string id = "v" + std::to_string(next++);
    ids[op.getResult(0)] = id;
    bool backward = op.hasAttr(mlir::tcnn::kGradOfAttr) ||
                    !isa<mlir::tcnn::GradientOpInterface>(op);
    std::string layer;
    if (auto n = dyn_cast<NameLoc>(op.getLoc()))
      layer = n.getName().str();
    os << "  " << id << " [label=\"" << layer << "\\n"
       << op.getName().getStringRef() << "\" shape=box fillcolor=\""
       << (backward ? "#fde2c4" : "#cfe3f7") << "\"];\n";
    for (Value operand : op.getOperands())
      if (ids.count(operand))
        os << "  " << ids[operand] << " -> " << id << ";\n";
  }
  os << "}\n";
  auto dot = llvm::sys::findProgramByName("dot");
  if (!dot) {
    error = "Graphviz's 'dot' is not installed (run scripts/setup.sh)";
    return "";
  }
  llvm::SmallString<128> in, out;
  llvm::sys::fs::createTemporaryFile("tcnn-graph", "dot", in);
  llvm::sys::fs::createTemporaryFile("tcnn-graph", "svg", out);
  {
    std::error_code ec;
    llvm::raw_fd_ostream f(in, ec);
    f << dotText;
  }
  llvm::SmallVector<llvm::StringRef> args = {*dot, "-Tsvg", in, "-o", out};
  int rc = llvm::sys::ExecuteAndWait(*dot, args);
  std::string svg = rc == 0 ? readFile(std::string(out), error) : "";
  if (rc != 0)
    error = "dot failed to draw the op graph";
  llvm::sys::fs::remove(in);
  llvm::sys::fs::remove(out);
  size_t start = svg.find("<svg");
  return start == std::string::npos ? "" : svg.substr(start);
}

std::string tcnnc::explain::renderPage(const std::string &markdown,
                                         const std::string &title,
                                         const std::string &graphSvg,
                                         const std::string &explorer,
                                         std::string &error) {
  std::string dir = katexDir();
  if (dir.empty()) {
    error = "KaTeX was not found when tcnn was built: install Debian's "
            "libjs-katex (scripts/setup.sh does) and reconfigure, or set "
            "TCNN_KATEX_DIR to KaTeX's directory";
    return "";
  }
  std::string css = readFile(dir + "/katex.min.css", error);
  std::string js = error.empty() ? readFile(dir + "/katex.min.js", error) : "";
  // Debian ships the auto-render extension unminified, npm's dist both.
  std::string autoRender;
  if (error.empty()) {
    std::string minified = dir + "/contrib/auto-render.min.js";
    autoRender = readFile(llvm::sys::fs::exists(minified)
                              ? minified
                              : dir + "/contrib/auto-render.js",
                          error);
  }
  if (!error.empty()) {
    error = "KaTeX is incomplete (" + error + "): install Debian's "
            "libjs-katex (scripts/setup.sh does), or set TCNN_KATEX_DIR to "
            "KaTeX's directory";
    return "";
  }
  css = inlineFonts(css, dir, error);
  if (!error.empty())
    return "";

  // Body and navigation from the Markdown, line by line.
  std::string body, nav;
  llvm::SmallVector<llvm::StringRef> lines;
  llvm::StringRef(markdown).split(lines, '\n');
  bool inCode = false, inList = false, inSection = false;
  std::vector<std::string> tableRows;
  auto flushTable = [&]() {
    if (tableRows.empty())
      return;
    body += "<table><thead><tr>";
    for (const std::string &c : cells(tableRows[0]))
      body += "<th>" + inlineHtml(c) + "</th>";
    body += "</tr></thead><tbody>";
    for (size_t r = 2; r < tableRows.size(); ++r) {
      body += "<tr>";
      for (const std::string &c : cells(tableRows[r]))
        body += "<td>" + inlineHtml(c) + "</td>";
      body += "</tr>";
    }
    body += "</tbody></table>\n";
    tableRows.clear();
  };
  auto closeList = [&]() {
    if (inList)
      body += "</ul>\n";
    inList = false;
  };
  for (llvm::StringRef line : lines) {
    if (line.starts_with("```")) {
      flushTable();
      closeList();
      body += inCode ? "</code></pre>\n" : "<pre><code>";
      inCode = !inCode;
      continue;
    }
    if (inCode) {
      body += escape(line) + "\n";
      continue;
    }
    if (line.starts_with("|")) {
      closeList();
      tableRows.push_back(line.str());
      continue;
    }
    flushTable();
    if (line.starts_with("#")) {
      closeList();
      size_t level = line.find_first_not_of('#');
      llvm::StringRef text = line.substr(level).trim();
      std::string id = anchor(text);
      if (level == 3) {
        if (inSection)
          body += "</details>\n";
        inSection = true;
        body += "<details open id=\"" + id + "\"><summary>" +
                inlineHtml(text) + "</summary>\n";
        nav += "<li class=\"op\"><a href=\"#" + id + "\">" + inlineHtml(text) +
               "</a></li>";
      } else {
        if (inSection && level <= 2)
          body += "</details>\n";
        if (level <= 2)
          inSection = false;
        body += "<h" + std::to_string(level) + " id=\"" + id + "\">" +
                inlineHtml(text) + "</h" + std::to_string(level) + ">\n";
        if (level == 2)
          nav += "<li class=\"part\"><a href=\"#" + id + "\">" +
                 inlineHtml(text) + "</a></li>";
      }
      continue;
    }
    if (line.starts_with("- ")) {
      if (!inList)
        body += "<ul>\n";
      inList = true;
      body += "<li>" + inlineHtml(line.drop_front(2)) + "</li>\n";
      continue;
    }
    closeList();
    if (line.starts_with("<")) {
      body += line.str() + "\n";
      continue;
    }
    if (!line.trim().empty())
      body += "<p>" + inlineHtml(line) + "</p>\n";
  }
  flushTable();
  closeList();
  if (inSection)
    body += "</details>\n";
  // What a reader wants first: any output, explained on a click.
  if (!explorer.empty())
    body = "<h2 id=\"explore\">Explore</h2>\n" + explorer + body;

  std::string page;
  llvm::raw_string_ostream os(page);
  os << "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
     << "<title>" << escape(title) << "</title>\n<style>" << css << "</style>\n"
     << "<style>body{margin:0;font-family:sans-serif;line-height:1.45}"
        "nav{position:fixed;top:0;left:0;bottom:0;width:260px;overflow:auto;"
        "background:#f6f8fa;border-right:1px solid #ddd;font-size:13px}"
        "nav ul{list-style:none;padding:8px}nav li.part{font-weight:bold;"
        "margin-top:8px}nav a{text-decoration:none;color:#0550ae}"
        "main{margin-left:280px;padding:16px 32px;max-width:1100px}"
        "table{border-collapse:collapse;margin:8px 0}td,th{border:1px solid "
        "#ccc;padding:2px 8px;font-size:13px}pre{background:#f6f8fa;padding:"
        // IR lines wrap (a 1280 px window shows all of an op's line).
        "8px;overflow:auto;font-size:12px;white-space:pre-wrap;"
        "overflow-wrap:anywhere}details{border:1px solid #e3e3e3;"
        "border-radius:6px;padding:4px 12px;margin:10px 0}summary{font-size:"
        "17px;font-weight:bold;cursor:pointer}figure{display:inline-block;"
        "margin:4px 16px 4px 0;vertical-align:top}figcaption{font-size:12px;"
        "color:#555}.katex-display{overflow-x:auto;overflow-y:hidden}"
        ".graph svg{max-width:100%;height:auto}"
        "#explorer{border:1px solid #cfd8e3;border-radius:6px;padding:8px "
        "12px;background:#fbfcfe}#explorer .controls{margin-bottom:6px}"
        "#explorer rect.cell{cursor:pointer}#explorer .pair{display:flex;"
        "gap:16px;flex-wrap:wrap}#explorer table.grid caption{font-size:12px;"
        "color:#555;caption-side:top;text-align:left}#explorer .subst{"
        "overflow-wrap:anywhere;font-family:monospace;font-size:12px}"
        "#explorer .ok{color:#1a7f37}#explorer .bad{color:#cf222e;"
        "font-weight:bold}"
        "</style>\n</head><body>\n<nav><ul>"
     << (explorer.empty()
             ? ""
             : "<li class=\"part\"><a href=\"#explore\">Explore</a></li>")
     << nav
     << (graphSvg.empty()
             ? ""
             : "<li class=\"part\"><a href=\"#graph\">Graph of the "
               "ops</a></li>")
     << "</ul></nav>\n<main>\n" << body;
  if (!graphSvg.empty())
    os << "<h2 id=\"graph\">Graph of the ops</h2>\n<p>Forward ops in blue, "
          "the backward ops <code>-tcnn-autodiff</code> derived in orange, "
          "arguments in grey.</p>\n<div class=\"graph\">"
       << graphSvg << "</div>\n";
  os << "</main>\n<script>" << js << "</script>\n<script>"
     << autoRender << "</script>\n<script>\n"
     << "renderMathInElement(document.body, {delimiters: ["
        "{left: '$$', right: '$$', display: true}, "
        "{left: '$', right: '$', display: false}], throwOnError: false, "
        "errorCallback: function(msg, err) { console.error('KaTeX: ' + msg); "
        "}});\n</script>\n</body></html>\n";
  return page;
}
