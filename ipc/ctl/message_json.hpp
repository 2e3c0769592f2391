// Protocol messages as JSON, for `lightbox-ctl --json`: field names as in the message structs, enums
// by their protocol.md names.
#pragma once

#include <lightbox/ipc/envelope.hpp>

#include <nlohmann/json.hpp>

namespace lbx::ctl {

nlohmann::json to_json(const ipc::Error& error);
nlohmann::json to_json(const ipc::JobProgress& progress);
nlohmann::json to_json(const ipc::JobSnapshot& job);
nlohmann::json to_json(const ipc::PluginInfo& plugin);
nlohmann::json to_json(const ipc::PhotoInfo& photo);
nlohmann::json to_json(const ipc::Person& person);
nlohmann::json to_json(const ipc::Reply& reply);  // {"reply": name, ...fields}
nlohmann::json to_json(const ipc::Event& event);  // {"event": name, ...fields}

}  // namespace lbx::ctl
