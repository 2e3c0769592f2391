// GetAnalysis and SetAnalysisPaused: the analysis phase's state, and pausing or resuming it
// (analysis_scheduler.hpp).
#include "service/analysis_scheduler.hpp"
#include "service/request_handlers.hpp"

namespace lbx::engine::service {

RequestHandlers::Result<ipc::GetAnalysis> RequestHandlers::on(const ipc::GetAnalysis&) { return analysis_state(state_); }

RequestHandlers::Result<ipc::SetAnalysisPaused> RequestHandlers::on(const ipc::SetAnalysisPaused& request) {
    return set_analysis_paused(state_, request.paused);
}

}  // namespace lbx::engine::service
