// Opening the store at start-up, before any actor runs: a bad directory or database stops the
// start with a message that says what to do, and the configuration overrides made through
// POST /api/config are laid over the start-up configuration.
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include "app/service.hpp"

namespace ct::app {

result<stored_state> open_store(msg::config& cfg, const trading::market_data* market) {
  stored_state out;
  std::optional<std::string> patch;
  try {
    out.db = store::database::open(cfg.data_dir);
    out.reader = out.db->reader();
    out.saved = out.db->load_ledger();
    out.database_id = out.db->identifier();
    patch = out.db->load_config_patch();
  } catch (const store::store_error& e) {
    return make_error(errc::storage, e.what());
  } catch (const store::sqlite_error& e) {
    return make_error(errc::storage,
                      store::describe_failure(e, cfg.data_dir + "/" + store::database::file_name));
  }
  if (patch) {
    const auto where =
        "the configuration changes saved in " + out.db->path() + " (by POST /api/config) ";
    auto merged = msg::merge_patch(cfg, nlohmann::json::parse(*patch, nullptr, false));
    if (!merged.ok())
      return make_error(errc::storage,
                        where + "no longer apply (" + merged.err().message +
                            "): fix the configuration, or choose another --data-dir");
    for (const auto& s : merged.value().strategy.symbols)
      if (market && market->find(s) == market->size())
        return make_error(errc::storage, where + "name " + s +
                                             ", which the exchange does not list: choose another "
                                             "--data-dir or exchange.candle_files");
    cfg = std::move(merged.value());
    out.config_patch = *patch;
  }
  spdlog::info("Store opened path={} last_seq={} open_positions={} config_overrides={}",
               out.db->path(), out.db->last_seq(), out.saved->open.size(),
               out.config_patch.empty() ? "none" : out.config_patch);
  return out;
}

}  // namespace ct::app
