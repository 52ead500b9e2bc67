//===- Format.h - numbers as tcnn prints them -------------------*- C++ -*-===//

#ifndef TCNN_SUPPORT_FORMAT_H
#define TCNN_SUPPORT_FORMAT_H

#include <string>

namespace tcnnc {

/// `value` with `decimals` digits after the point; a value that rounds to
/// zero prints as "0.000000", never "-0.000000".
std::string formatFixed(double value, int decimals = 6);

} // namespace tcnnc

#endif // TCNN_SUPPORT_FORMAT_H
