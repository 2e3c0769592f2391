#include "ctl_output.hpp"

#include "message_json.hpp"

#include <lightbox/ipc/job_tracker.hpp>
#include <lightbox/ipc/version.hpp>

#include <chrono>
#include <cstdio>
#include <iostream>

namespace lbx::ctl {

int report(const ipc::Error& error, bool json) {
    if (json) print_json(nlohmann::json{{"error", to_json(error)}});
    std::fprintf(stderr, "lightbox-ctl: %s (%s/%s)\n", error.message.c_str(), error.domain.c_str(), error.code.c_str());
    return error.status == ipc::Status::unavailable ? kExitNotResponding : kExitError;
}

// Paths go out through ipc::put_path (valid UTF-8 plus "path_b64"); any other text that is not valid
// UTF-8 (a message quoting a path, an EXIF string) has its bad bytes replaced by U+FFFD, since dump()
// would otherwise throw and abort the client.
void print_json(const nlohmann::json& j) {
    std::cout << j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << '\n' << std::flush;
}

std::string progress_line(const ipc::JobProgress& p) {
    char text[512];
    std::string eta = p.eta_seconds ? std::to_string(static_cast<long>(*p.eta_seconds + 0.5)) + " s" : "?";
    std::snprintf(text, sizeof text, "job %llu %s: %llu/%llu done, %llu failed, %.1f photos/s, ETA %s",
                  static_cast<unsigned long long>(p.job_id), std::string(ipc::to_string(p.state)).c_str(),
                  static_cast<unsigned long long>(p.done), static_cast<unsigned long long>(p.total),
                  static_cast<unsigned long long>(p.failed), p.rate, eta.c_str());
    return text;
}

int exit_code_of(const ipc::JobSnapshot& job) {
    return job.progress.state == ipc::JobState::completed && job.progress.failed == 0 ? kExitOk : kExitError;
}

ipc::Expected<std::string> event_endpoint(CtlContext& ctx) {
    auto hello = ctx.client.call(ipc::Hello{ipc::kProtocolVersion, "lightbox-ctl"});
    if (!hello) return ipc::unexpected(hello.error());
    return hello->event_endpoint;
}

int follow_to_end(CtlContext& ctx, ipc::EventSubscriber& events, uint64_t job_id) {
    auto last_print = std::chrono::steady_clock::time_point{};
    auto final_job = ipc::follow_job(ctx.client, events, job_id, [&](const ipc::JobProgress& p) {
        const auto now = std::chrono::steady_clock::now();
        if (ipc::is_final(p.state) || now - last_print > std::chrono::milliseconds(500)) {
            std::fprintf(stderr, "%s\n", progress_line(p).c_str());
            last_print = now;
        }
    });
    if (!final_job) return report(final_job.error(), ctx.json);
    if (ctx.json) print_json(to_json(*final_job));
    else std::printf("%s\n", progress_line(final_job->progress).c_str());
    if (final_job->error) std::fprintf(stderr, "lightbox-ctl: job failed: %s\n", final_job->error->message.c_str());
    return exit_code_of(*final_job);
}

}  // namespace lbx::ctl
