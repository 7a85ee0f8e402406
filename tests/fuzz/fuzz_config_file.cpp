// libFuzzer target: a configuration file (--config), through the layers the service applies
// at start-up. A configuration that is accepted validates again as itself.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "app/options.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  ct::app::config_file file{"fuzz.json", std::string(reinterpret_cast<const char*>(data), size)};
  auto cfg = ct::app::assemble_config(file, {}, ct::app::cli_args{});
  if (cfg.ok() && !ct::msg::config_from_json(ct::msg::to_json(cfg.value(), false)).ok())
    std::abort();
  return 0;
}
