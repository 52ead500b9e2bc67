//===- FuzzNpy.cpp - libFuzzer targets: the .npy reader -------------------===//
//
// Any bytes as a .npy file, read the way tcnnc reads model data
// (TCNN_FUZZ_COMPILER: readNpy, float32 or class indices) or the way an
// executable reads --input/--param (tcnn_npy_read against a fixed shape).
// The reader takes a path: the bytes go to an in-memory file (memfd), which
// is a regular file as the reader requires.
//
//===----------------------------------------------------------------------===//

#include "compiler/support/Npy.h"
#include "runtime/tcnn_runtime.h"

#include <cstdio>
#include <cstdlib>
#include <string>
#include <sys/mman.h>
#include <unistd.h>

namespace {
/// An in-memory file the reader can open by path.
struct MemFile {
  int fd = memfd_create("tcnn-fuzz.npy", 0);
  std::string path = "/proc/self/fd/" + std::to_string(fd);
};
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static const MemFile file;
  if (file.fd < 0) {
    std::perror("memfd_create");
    std::abort();
  }
  if (size == 0)
    return 0;
  // The first byte picks float32 or class indices; the rest is the file.
  bool classIndices = data[0] & 1;
  if (ftruncate(file.fd, 0) != 0 ||
      pwrite(file.fd, data + 1, size - 1, 0) != static_cast<ssize_t>(size - 1))
    std::abort();
#ifdef TCNN_FUZZ_COMPILER
  std::string error;
  (void)tcnnc::readNpy(file.path, classIndices, error);
#else
  static const int64_t shape[4] = {1, 1, 8, 8};
  char error[1024];
  free(tcnn_npy_read(file.path.c_str(), 4, shape, classIndices, error,
                     sizeof error));
#endif
  return 0;
}
