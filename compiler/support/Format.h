//===- Format.h - numbers as tcnn prints them -------------------*- C++ -*-===//

#ifndef TCNN_SUPPORT_FORMAT_H
#define TCNN_SUPPORT_FORMAT_H

#include <string>

namespace tcnn {

/// `value` with `decimals` digits after the point; a value that rounds to
/// zero prints as "0.000000", never "-0.000000".
std::string formatFixed(double value, int decimals = 6);

} // namespace tcnn

#endif // TCNN_SUPPORT_FORMAT_H
