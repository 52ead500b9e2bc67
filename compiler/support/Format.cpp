//===- Format.cpp - numbers as tcnn prints them ---------------------------===//

#include "compiler/support/Format.h"

#include <cstdio>

std::string tcnnc::formatFixed(double value, int decimals) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, value);
  std::string s = buf;
  if (s[0] == '-' && s.find_first_not_of("-0.") == std::string::npos)
    s.erase(0, 1);
  return s;
}
