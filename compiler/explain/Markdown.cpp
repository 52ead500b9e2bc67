//===- Markdown.cpp - GitHub-flavoured Markdown for explanations ----------===//

#include "compiler/explain/Markdown.h"

#include "compiler/support/Format.h"

#include <cmath>
#include <cstdlib>

using namespace tcnnc::explain;

void Markdown::heading(int level, const std::string &text) {
  std::string unique = text;
  for (int k = 2; !headings.insert(unique).second; ++k)
    unique = text + " (" + std::to_string(k) + ")";
  out += "\n" + std::string(level, '#') + " " + unique + "\n\n";
}

void Markdown::para(const std::string &text) { out += text + "\n\n"; }

void Markdown::table(const std::vector<std::string> &header,
                     const std::vector<std::vector<std::string>> &rows) {
  auto row = [&](const std::vector<std::string> &cells) {
    out += "|";
    for (const std::string &c : cells)
      out += " " + c + " |";
    out += "\n";
  };
  row(header);
  out += "|";
  for (size_t i = 0; i < header.size(); ++i)
    out += " --- |";
  out += "\n";
  for (const auto &r : rows)
    row(r);
  out += "\n";
}

void Markdown::grid(const std::string &corner, const std::vector<int64_t> &rows,
                    const std::vector<int64_t> &cols,
                    llvm::function_ref<std::string(int64_t, int64_t)> cell) {
  std::vector<std::string> header = {corner};
  for (int64_t c : cols)
    header.push_back(std::to_string(c));
  std::vector<std::vector<std::string>> body;
  for (int64_t r : rows) {
    std::vector<std::string> cells = {"**" + std::to_string(r) + "**"};
    for (int64_t c : cols)
      cells.push_back(cell(r, c));
    body.push_back(cells);
  }
  table(header, body);
}

std::string Markdown::num(double v) const {
  return formatFixed(v, valueDecimals);
}

std::string Markdown::op(double v) const {
  return formatFixed(v, operandDecimals);
}

double Markdown::roundedOp(double v) const {
  return std::strtod(op(v).c_str(), nullptr);
}

std::string Markdown::formula(const std::string &latex, double exact,
                              double fromPrinted) const {
  std::string cell = "$" + latex + "$";
  if (num(fromPrinted) != num(exact))
    cell += " (as printed: " + num(fromPrinted) + ")";
  return cell;
}

std::string tcnnc::explain::paren(const std::string &number) {
  return number[0] == '-' ? "(" + number + ")" : number;
}
