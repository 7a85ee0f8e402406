// The dashboard's files as compiled into the executable: dashboard/build.mjs generates their
// table (the ct_dashboard_assets library), from dashboard/src and lightweight-charts.
#pragma once

#include <string_view>
#include <vector>

namespace ct::http {

struct dashboard_file {
  std::string_view path;  // "/index.html"
  const char* content_type;
  std::string_view body;
};

/// Every file of the page.
const std::vector<dashboard_file>& dashboard_files();

}  // namespace ct::http
