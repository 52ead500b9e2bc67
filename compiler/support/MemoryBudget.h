//===- MemoryBudget.h - refuse models too large to run ----------*- C++ -*-===//
//
// Before tcnnc allocates a model's values (frontend), interprets it or
// compiles it, it adds up what one training step holds: inputs and
// targets once, every parameter and every activation twice (the value and
// its gradient). A model over the limit (--max-memory, default 4 GiB) is
// refused with one message naming the total and the largest tensor,
// instead of failing inside an allocation.
//
//===----------------------------------------------------------------------===//

#ifndef TCNN_SUPPORT_MEMORYBUDGET_H
#define TCNN_SUPPORT_MEMORYBUDGET_H

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace tcnnc {

class MemoryBudget {
public:
  enum class Kind { Data, Param, Activation };

  /// Default of --max-memory: 4 GiB.
  static constexpr uint64_t kDefaultLimit = uint64_t(4) << 30;

  /// Adds a tensor of `elements` values of `elementBytes` each; `elements`
  /// must already be checked (at most 2^40).
  /// `tag` is the caller's handle for the tensor (e.g. where it is
  /// declared), returned by largestTag().
  void add(const std::string &name, const std::vector<int64_t> &shape,
           int64_t elements, int64_t elementBytes, Kind kind, int tag = -1);

  /// The tag of the largest tensor added.
  int largestTag() const { return largestTag_; }

  /// Returns a message if the total exceeds `limit` bytes.
  std::optional<std::string> exceeds(uint64_t limit) const;

private:
  uint64_t data = 0, params = 0, activations = 0;
  std::string largestName;
  std::vector<int64_t> largestShape;
  uint64_t largestBytes = 0;
  int largestTag_ = -1;
};

/// "1.5 GiB", "512.0 MiB", "96 bytes".
std::string formatBytes(uint64_t bytes);

/// Parses a size such as "4G", "512M", "100k" or "123456" (bytes; K, M, G
/// and T are powers of 1024, with an optional trailing "B" or "iB").
std::optional<uint64_t> parseByteSize(const std::string &text);

} // namespace tcnnc

#endif // TCNN_SUPPORT_MEMORYBUDGET_H
