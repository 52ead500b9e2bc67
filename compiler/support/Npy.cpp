//===- Npy.cpp - read and write NumPy .npy files --------------------------===//

#include "compiler/support/Npy.h"

#include "runtime/tcnn_runtime.h"

#include <cstdlib>
#include <memory>

using namespace tcnnc;

std::optional<NpyArray> tcnnc::readNpy(const std::string &path,
                                      bool classIndices, std::string &error) {
  tcnn_npy_info info;
  char message[1024];
  std::unique_ptr<void, decltype(&std::free)> raw(
      tcnn_npy_load(path.c_str(), classIndices, &info, message,
                    sizeof message),
      &std::free);
  if (!raw) {
    error = message;
    return std::nullopt;
  }
  NpyArray array;
  array.shape.assign(info.shape, info.shape + info.rank);
  array.data.resize(info.count);
  for (int64_t i = 0; i < info.count; ++i)
    array.data[i] = classIndices
                        ? static_cast<double>(static_cast<int64_t *>(raw.get())[i])
                        : static_cast<float *>(raw.get())[i];
  return array;
}

bool tcnnc::writeNpy(const std::string &path, const std::vector<int64_t> &shape,
                    const std::vector<double> &values, bool classIndices,
                    std::string &error) {
  char message[1024];
  int rc;
  if (classIndices) {
    std::vector<int64_t> ints(values.begin(), values.end());
    rc = tcnn_npy_write(path.c_str(), static_cast<int>(shape.size()),
                        shape.data(), ints.data(), 1, message, sizeof message);
  } else {
    std::vector<float> floats(values.begin(), values.end());
    rc = tcnn_npy_write(path.c_str(), static_cast<int>(shape.size()),
                        shape.data(), floats.data(), 0, message,
                        sizeof message);
  }
  if (rc != 0)
    error = message;
  return rc == 0;
}
