// What every lightbox-ctl subcommand shares: reporting an error (and its exit code), JSON lines,
// progress lines, and following a job to its end.
#pragma once

#include "ctl_commands.hpp"

#include <lightbox/ipc/event_subscriber.hpp>
#include <lightbox/ipc/job.hpp>

#include <nlohmann/json.hpp>

#include <string>

namespace lbx::ctl {

// Prints the error (stderr; also as JSON on stdout with --json); exit 3 when the engine did not answer, else 1.
int report(const ipc::Error& error, bool json);
void print_json(const nlohmann::json& j);
std::string progress_line(const ipc::JobProgress& p);
int exit_code_of(const ipc::JobSnapshot& job);
ipc::Expected<std::string> event_endpoint(CtlContext& ctx);
// Progress on stderr (at most twice a second), the final state on stdout; the job's exit code.
int follow_to_end(CtlContext& ctx, ipc::EventSubscriber& events, uint64_t job_id);

}  // namespace lbx::ctl
