//===- Npy.cpp - read and write NumPy .npy files --------------------------===//

#include "compiler/support/Npy.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>

using namespace tcnn;

namespace {
/// Finds `'key':` in the header dict and returns the text after it.
std::optional<std::string> dictValue(const std::string &header,
                                     const std::string &key) {
  size_t k = header.find("'" + key + "'");
  if (k == std::string::npos)
    return std::nullopt;
  size_t colon = header.find(':', k);
  if (colon == std::string::npos)
    return std::nullopt;
  size_t start = header.find_first_not_of(' ', colon + 1);
  if (start == std::string::npos)
    return std::nullopt;
  return header.substr(start);
}

size_t dtypeSize(const std::string &dtype) {
  if (dtype == "<f4" || dtype == "<i4")
    return 4;
  if (dtype == "<f8" || dtype == "<i8")
    return 8;
  return 0;
}

double decode(const std::string &dtype, const char *p) {
  if (dtype == "<f4") {
    float v;
    std::memcpy(&v, p, 4);
    return v;
  }
  if (dtype == "<f8") {
    double v;
    std::memcpy(&v, p, 8);
    return v;
  }
  if (dtype == "<i4") {
    int32_t v;
    std::memcpy(&v, p, 4);
    return v;
  }
  int64_t v;
  std::memcpy(&v, p, 8);
  return static_cast<double>(v);
}
} // namespace

std::optional<NpyArray> tcnn::readNpy(const std::string &path,
                                      std::string &error) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    error = "cannot open '" + path + "': " + std::strerror(errno);
    return std::nullopt;
  }
  std::string bytes((std::istreambuf_iterator<char>(in)),
                    std::istreambuf_iterator<char>());
  const char magic[] = "\x93NUMPY";
  if (bytes.size() < 10 || bytes.compare(0, 6, magic, 6) != 0) {
    error = "'" + path + "' is not a .npy file (no \\x93NUMPY magic)";
    return std::nullopt;
  }
  unsigned major = static_cast<unsigned char>(bytes[6]);
  size_t headerLen, headerStart;
  if (major == 1) {
    headerLen = static_cast<unsigned char>(bytes[8]) |
                (static_cast<unsigned char>(bytes[9]) << 8);
    headerStart = 10;
  } else if (major == 2 || major == 3) {
    if (bytes.size() < 12) {
      error = "'" + path + "' is truncated inside its header";
      return std::nullopt;
    }
    headerLen = 0;
    for (int i = 3; i >= 0; --i)
      headerLen = (headerLen << 8) | static_cast<unsigned char>(bytes[8 + i]);
    headerStart = 12;
  } else {
    error = "'" + path + "' has unsupported .npy format version " +
            std::to_string(major);
    return std::nullopt;
  }
  if (bytes.size() < headerStart + headerLen) {
    error = "'" + path + "' is truncated inside its header";
    return std::nullopt;
  }
  std::string header = bytes.substr(headerStart, headerLen);
  NpyArray array;
  auto descr = dictValue(header, "descr");
  auto fortran = dictValue(header, "fortran_order");
  auto shape = dictValue(header, "shape");
  if (!descr || !fortran || !shape || (*descr)[0] != '\'') {
    error = "'" + path + "' has a malformed .npy header";
    return std::nullopt;
  }
  array.dtype = descr->substr(1, descr->find('\'', 1) - 1);
  if (array.dtype == "|f4" || array.dtype == "=f4")
    array.dtype = "<f4";
  if (dtypeSize(array.dtype) == 0) {
    error = "'" + path + "' has dtype '" + array.dtype +
            "'; tcnn reads little-endian float32 ('<f4'), float64, int32 "
            "or int64";
    return std::nullopt;
  }
  if (fortran->rfind("True", 0) == 0) {
    error = "'" + path + "' is in Fortran order; save it in C order "
            "(numpy.ascontiguousarray)";
    return std::nullopt;
  }
  if ((*shape)[0] != '(') {
    error = "'" + path + "' has a malformed shape in its header";
    return std::nullopt;
  }
  std::string dims = shape->substr(1, shape->find(')') - 1);
  std::stringstream ss(dims);
  std::string item;
  int64_t count = 1;
  while (std::getline(ss, item, ',')) {
    size_t b = item.find_first_not_of(' ');
    if (b == std::string::npos)
      continue;
    char *end = nullptr;
    long long d = std::strtoll(item.c_str() + b, &end, 10);
    if (d < 0 || end == item.c_str() + b) {
      error = "'" + path + "' has a malformed shape in its header";
      return std::nullopt;
    }
    array.shape.push_back(d);
    count *= d;
  }
  size_t elemSize = dtypeSize(array.dtype);
  size_t dataStart = headerStart + headerLen;
  size_t expected = static_cast<size_t>(count) * elemSize;
  size_t actual = bytes.size() - dataStart;
  if (actual < expected) {
    error = "'" + path + "' is truncated: its header promises " +
            std::to_string(count) + " values (" + std::to_string(expected) +
            " bytes) but only " + std::to_string(actual) + " bytes follow";
    return std::nullopt;
  }
  if (actual > expected) {
    error = "'" + path + "' has " + std::to_string(actual - expected) +
            " bytes after its " + std::to_string(count) + " values";
    return std::nullopt;
  }
  array.data.resize(count);
  for (int64_t i = 0; i < count; ++i)
    array.data[i] = decode(array.dtype, bytes.data() + dataStart + i * elemSize);
  return array;
}

bool tcnn::writeNpy(const std::string &path, const std::vector<int64_t> &shape,
                    const float *data, std::string &error) {
  std::string dims;
  int64_t count = 1;
  for (int64_t d : shape) {
    dims += std::to_string(d) + ", ";
    count *= d;
  }
  if (shape.size() > 1)
    dims.erase(dims.size() - 2);
  else if (shape.size() == 1)
    dims.erase(dims.size() - 1);
  std::string header = "{'descr': '<f4', 'fortran_order': False, 'shape': (" +
                       dims + "), }";
  // Pad so the data starts on a 64-byte boundary, header ends in '\n'.
  size_t total = 10 + header.size() + 1;
  header.append((64 - total % 64) % 64, ' ');
  header += '\n';
  std::string tmp = path + ".tmp";
  FILE *f = std::fopen(tmp.c_str(), "wb");
  if (!f) {
    error = "cannot write '" + path + "': " + std::strerror(errno);
    return false;
  }
  unsigned char prefix[10] = {0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0,
                              static_cast<unsigned char>(header.size() & 0xff),
                              static_cast<unsigned char>(header.size() >> 8)};
  bool ok = std::fwrite(prefix, 1, 10, f) == 10 &&
            std::fwrite(header.data(), 1, header.size(), f) == header.size() &&
            std::fwrite(data, sizeof(float), count, f) ==
                static_cast<size_t>(count);
  ok = (std::fclose(f) == 0) && ok;
  if (!ok || std::rename(tmp.c_str(), path.c_str()) != 0) {
    std::remove(tmp.c_str());
    error = "cannot write '" + path + "'";
    return false;
  }
  return true;
}
