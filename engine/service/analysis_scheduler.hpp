// The service's analysis phase: scans make the library browsable (metadata, hash, thumbnails, rule tags)
// and leave the analysis stages out; an analysis job then analyses what the ledger says is left, in the
// background at the lowest priority. It yields to scans (stopped when one starts, started again after
// it), can be paused (kept in the library, so a restarted engine stays paused), and resumes across
// restarts since the ledger knows what was done.
#pragma once

#include "service/service_state.hpp"

#include <lightbox/ipc/expected.hpp>
#include <lightbox/ipc/replies.hpp>

namespace lbx::engine::service {

// The analysis stages of the default pipeline (empty with `serve --analysis off`), with the plugin
// version each would run at. Built from the config and the loaded plugins, without creating a stage.
std::vector<AnalysisMark> configured_analysis_stages(const ServiceState& state);

// Called by the service loop: starts an analysis job when one is due, analysis is configured and not
// paused, and no scan runs.
void schedule_analysis(ServiceState& state);

// A scan is starting: a running analysis job stops (its files in flight are kept) and the phase is due
// again after the scan.
void yield_analysis_to_scan(ServiceState& state);

ipc::Expected<ipc::AnalysisReply> analysis_state(ServiceState& state);
ipc::Expected<ipc::AnalysisReply> set_analysis_paused(ServiceState& state, bool paused);

}  // namespace lbx::engine::service
