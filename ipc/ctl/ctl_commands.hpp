// The subcommands of lightbox-ctl. Each returns the exit code: 0 ok; 1 the engine answered with an
// error, or the job failed, was cancelled or had failed photos; 2 usage; 3 engine not responding.
#pragma once

#include <lightbox/cli/record_output.hpp>
#include <lightbox/ipc/client.hpp>

#include <string>
#include <vector>

namespace lbx::ctl {

inline constexpr int kExitOk = 0;
inline constexpr int kExitError = 1;
inline constexpr int kExitUsage = 2;
inline constexpr int kExitNotResponding = 3;

struct CtlContext {
    ipc::Client& client;
    zmq::context_t& zmq;
    bool json = false;
};

struct ScanOptions {
    std::vector<std::string> paths;
    std::string pipeline;
    std::vector<std::string> overrides;  // KEY=VALUE
    bool wait = false;
};

struct WatchOptions {
    std::vector<std::string> topics;  // prefixes; empty: every topic
    unsigned count = 0;               // stop after this many events; 0: never
    double seconds = 0;               // stop after this long; 0: never
};

struct QueryOptions {
    std::string query;
    std::string sort = "taken";  // taken, path, added
    bool descending = false;
    uint64_t offset = 0;
    uint32_t limit = 0;  // 0: the engine's page maximum
    bool print0 = false;  // only the paths, NUL-terminated
    bool facets = false;  // with --format json: the query's facets under "facets" (a Facets request)
    cli::RecordOutputOptions output_flags;  // --format, --fields as given
    cli::ResolvedOutput output;             // what they mean (with the global --json); no format: text
};

struct TagOptions {
    std::string photo_id;
    std::vector<std::string> add;
    std::vector<std::string> remove;
    std::vector<std::string> reject;   // auto tags never to be added again (RejectTags)
    std::vector<std::string> restore;  // rejections to forget
};

int hello(CtlContext& ctx);
int plugins(CtlContext& ctx);
int scan(CtlContext& ctx, const ScanOptions& options);
int status(CtlContext& ctx, uint64_t job_id);
int cancel(CtlContext& ctx, uint64_t job_id);
int jobs(CtlContext& ctx);
int photo(CtlContext& ctx, const std::string& photo_id);
// `output` "-": the bytes on stdout, the summary on stderr.
int thumbnail(CtlContext& ctx, const std::string& photo_id, uint32_t size, const std::string& output);
int watch(CtlContext& ctx, const WatchOptions& options);
int shutdown(CtlContext& ctx);

// The library (ctl_library_commands.cpp).
int query(CtlContext& ctx, const QueryOptions& options);
int facets(CtlContext& ctx, const std::string& query_text);
int tag(CtlContext& ctx, const TagOptions& options);
int rotate(CtlContext& ctx, const std::string& photo_id, uint32_t quarter_turns);
int failures(CtlContext& ctx);
int rescan(CtlContext& ctx, bool retry_failed, bool wait);
int remove(CtlContext& ctx, const std::vector<std::string>& photo_ids);
int library(CtlContext& ctx, const std::string& open);  // open: empty = describe the current one
int folders(CtlContext& ctx);
int folder_remove(CtlContext& ctx, const std::string& path);  // relative: from the current directory
int settings(CtlContext& ctx, const std::vector<std::string>& changes);  // none: list
int analysis(CtlContext& ctx, const std::string& action);                // "", "pause" or "resume"

// People (ctl_people_commands.cpp).
int persons(CtlContext& ctx, uint64_t offset, uint64_t limit);
int person_rename(CtlContext& ctx, uint64_t person_id, const std::string& name);  // empty name: unnamed
int person_merge(CtlContext& ctx, uint64_t from_id, uint64_t into_id);
int face_remove(CtlContext& ctx, const std::string& photo_id, const std::string& source, uint32_t index);

}  // namespace lbx::ctl
