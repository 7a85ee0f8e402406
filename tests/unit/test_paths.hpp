// Where the tests find the project's files: the source directory, set by CMake.
#pragma once

#include <string>

namespace ct::test {

inline std::string source_dir() {
  return CT_SOURCE_DIR;
}

}  // namespace ct::test
