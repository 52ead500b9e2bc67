//===- Markdown.h - GitHub-flavoured Markdown for explanations --*- C++ -*-===//

#ifndef TCNN_EXPLAIN_MARKDOWN_H
#define TCNN_EXPLAIN_MARKDOWN_H

#include "llvm/ADT/STLFunctionalExtras.h"

#include <set>
#include <string>
#include <vector>

namespace tcnnc::explain {

/// Builds a Markdown document. Numbers go through `num` (values) and `op`
/// (operands shown in arithmetic), so every number printed has one of two
/// documented precisions and never reads "-0.000000".
class Markdown {
public:
  Markdown(int valueDecimals, int operandDecimals)
      : valueDecimals(valueDecimals), operandDecimals(operandDecimals) {}

  /// A heading; its text must be unique in the document (asserted by
  /// making it so: a repeated text gets " (2)", " (3)", ...).
  void heading(int level, const std::string &text);
  void para(const std::string &text);
  void line(const std::string &text) { out += text + "\n"; }
  /// A table with a header row.
  void table(const std::vector<std::string> &header,
             const std::vector<std::vector<std::string>> &rows);
  /// A 2-D table: rows and columns labelled with their indices.
  void grid(const std::string &corner, const std::vector<int64_t> &rows,
            const std::vector<int64_t> &cols,
            llvm::function_ref<std::string(int64_t, int64_t)> cell);

  std::string num(double v) const;
  std::string op(double v) const;
  /// A value rounded as `op` prints it (what the shown arithmetic uses).
  double roundedOp(double v) const;
  /// Written arithmetic for a table cell: `$latex$`, and where its
  /// operands as printed give another printed number than the unrounded
  /// values' `exact`, what they give ("(as printed: -0.219089)"), so every
  /// written computation recomputes to what is shown.
  std::string formula(const std::string &latex, double exact,
                      double fromPrinted) const;
  int operandPrecision() const { return operandDecimals; }
  int valuePrecision() const { return valueDecimals; }

  /// Raw HTML (a figure); written only in an HTML report.
  void raw(const std::string &html) {
    if (html_)
      out += html + "\n\n";
  }
  void setHtml(bool html) { html_ = html; }
  bool html() const { return html_; }

  const std::string &str() const { return out; }

private:
  std::string out;
  std::set<std::string> headings;
  int valueDecimals, operandDecimals;
  bool html_ = false;
};

/// `v` in LaTeX with a sign that reads well after an operator: (-0.5000).
std::string paren(const std::string &number);

} // namespace tcnnc::explain

#endif // TCNN_EXPLAIN_MARKDOWN_H
