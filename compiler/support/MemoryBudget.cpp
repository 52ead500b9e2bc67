//===- MemoryBudget.cpp - refuse models too large to run ------------------===//

#include "compiler/support/MemoryBudget.h"

#include <cctype>
#include <cstdio>

using namespace tcnnc;

void MemoryBudget::add(const std::string &name,
                       const std::vector<int64_t> &shape, int64_t elements,
                       int64_t elementBytes, Kind kind, int tag) {
  // At most 2^40 elements of 8 bytes: no product or sum here can wrap.
  uint64_t bytes = static_cast<uint64_t>(elements) * elementBytes;
  switch (kind) {
  case Kind::Data:
    data += bytes;
    break;
  case Kind::Param:
    params += 2 * bytes;
    break;
  case Kind::Activation:
    activations += 2 * bytes;
    break;
  }
  if (bytes > largestBytes) {
    largestBytes = bytes;
    largestName = name;
    largestShape = shape;
    largestTag_ = tag;
  }
}

std::optional<std::string> MemoryBudget::exceeds(uint64_t limit) const {
  uint64_t total = data + params + activations;
  if (total <= limit)
    return std::nullopt;
  std::string shape = "[";
  for (size_t i = 0; i < largestShape.size(); ++i)
    shape += (i ? ", " : "") + std::to_string(largestShape[i]);
  shape += "]";
  return "the model needs " + formatBytes(total) + " for one training step (" +
         "inputs " + formatBytes(data) + ", parameters and their gradients " +
         formatBytes(params) + ", activations and their gradients " +
         formatBytes(activations) + "), more than the limit of " +
         formatBytes(limit) + " (--max-memory); its largest tensor is '" +
         largestName + "' " + shape + " (" + formatBytes(largestBytes) + ")";
}

std::string tcnnc::formatBytes(uint64_t bytes) {
  static const char *const units[] = {"KiB", "MiB", "GiB", "TiB", "PiB"};
  if (bytes < 1024)
    return std::to_string(bytes) + " bytes";
  double v = static_cast<double>(bytes) / 1024;
  int unit = 0;
  while (v >= 1024 && unit < 4) {
    v /= 1024;
    ++unit;
  }
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f %s", v, units[unit]);
  return buf;
}

std::optional<uint64_t> tcnnc::parseByteSize(const std::string &text) {
  size_t i = 0;
  uint64_t value = 0;
  if (text.empty() || !std::isdigit(static_cast<unsigned char>(text[0])))
    return std::nullopt;
  for (; i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]));
       ++i) {
    if (value > (UINT64_MAX - 9) / 10)
      return std::nullopt;
    value = value * 10 + (text[i] - '0');
  }
  std::string unit = text.substr(i);
  for (char &c : unit)
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (unit.size() > 1 && (unit.substr(1) == "B" || unit.substr(1) == "IB"))
    unit.resize(1);
  int shift = unit.empty() || unit == "B" ? 0
              : unit == "K"               ? 10
              : unit == "M"               ? 20
              : unit == "G"               ? 30
              : unit == "T"               ? 40
                                          : -1;
  if (shift < 0 || value > (UINT64_MAX >> shift))
    return std::nullopt;
  return value << shift;
}
