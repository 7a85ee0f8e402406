// Booking what the position manager's orders came to: each order's row, its fill on the ledger
// and the engine (a buy opens a position, a sell closes it), a refusal, and, at a live start,
// what the exchange said of an order left submitted. Internal to the position manager.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "actors/position_orders.hpp"

namespace ct::actors {

/// The order's row for the store: `status` "submitted", "filled" or "rejected".
void track_order(position_manager_state& st, const std::string& id, const std::string& symbol,
                 trading::order_side side, trading::quantity qty, const std::string& reason,
                 const char* status, const std::string& error = {});

/// `client_id` was refused (`why`): its event, its row and the count.
void record_rejection(position_manager_state& st, const std::string& client_id,
                      const std::string& symbol, trading::order_side side, const std::string& why);

/// The buy `client_id` filled (`f`) for `signal`: the position opens.
void book_entry(position_manager_state& st, const std::string& client_id, const trading::fill& f,
                const trading::opportunity& signal);

/// The sell `client_id` of position `id` filled (`sold`): the position closes.
void book_exit(position_manager_state& st, const std::string& client_id, const std::string& id,
               const trading::fill& sold, const trading::exit_order& order);

/// Books what became of `o`, an order submitted before this start, as the exchange said
/// (`out`): a buy's fill opens its position, a sell's closes the symbol's, an order never placed
/// is rejected, an unknown one stays submitted. Returns what the `reconciled` event tells of it.
nlohmann::json book_recovered(position_manager_state& st, const msg::order_row& o,
                              const msg::order_outcome& out);

}  // namespace ct::actors
