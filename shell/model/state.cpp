#include "model/state.hpp"

namespace lbx::shell {

const ipc::PhotoSummary* ResultPages::at(uint64_t index) const {
    if (!total || index >= *total) return nullptr;
    auto it = pages.find(index / kPageSize);
    if (it == pages.end()) return nullptr;
    const uint64_t within = index % kPageSize;
    return within < it->second.size() ? &it->second[within] : nullptr;
}

std::optional<uint64_t> ResultPages::index_of(const std::string& photo_id) const {
    if (photo_id.empty()) return std::nullopt;
    for (const auto& [page, rows] : pages) {
        for (std::size_t i = 0; i < rows.size(); ++i) {
            if (rows[i].id == photo_id) return page * kPageSize + i;
        }
    }
    return std::nullopt;
}

const ipc::Person* PeopleState::at(uint64_t index) const {
    if (!total || index >= *total) return nullptr;
    auto it = pages.find(index / kPageSize);
    if (it == pages.end()) return nullptr;
    const uint64_t within = index % kPageSize;
    return within < it->second.size() ? &it->second[within] : nullptr;
}

const ipc::Person* PeopleState::find(uint64_t id) const {
    for (const auto& [page, persons] : pages) {
        for (const auto& person : persons) {
            if (person.id == id) return &person;
        }
    }
    return nullptr;
}

std::vector<const JobView*> running_jobs(const State& state, ipc::JobKind kind) {
    std::vector<const JobView*> jobs;
    for (const auto& [id, job] : state.jobs) {
        if (!ipc::is_final(job.progress.state) && job.progress.kind == kind) jobs.push_back(&job);
    }
    return jobs;
}

std::vector<const JobView*> running_jobs(const State& state) {
    std::vector<const JobView*> jobs;
    for (const auto& [id, job] : state.jobs) {
        if (!ipc::is_final(job.progress.state)) jobs.push_back(&job);
    }
    return jobs;
}

std::vector<const JobView*> interrupted_scans(const State& state) {
    std::vector<const JobView*> jobs;
    for (const auto& [id, job] : state.jobs) {
        if (job.progress.state == ipc::JobState::interrupted && job.progress.kind == ipc::JobKind::scan) jobs.push_back(&job);
    }
    return jobs;
}

std::string photo_count_line(const State& s) {
    if (!s.results.total) return {};
    const uint64_t total = *s.results.total;
    const auto photos = [](uint64_t n) { return std::to_string(n) + (n == 1 ? " photo" : " photos"); };
    const bool scanning = !running_jobs(s, ipc::JobKind::scan).empty();
    // The query's total is the library's own when nothing is searched for (the library's count, read at
    // a scan's end, lags behind it while one runs: "22 photos of 0").
    if (s.query.text.find_first_not_of(' ') == std::string::npos) return photos(total);
    if (scanning || !s.library) return photos(total) + (total == 1 ? " matches" : " match") + (scanning ? " so far" : "");
    return std::to_string(total) + " of " + photos(s.library->photos);
}

std::optional<std::string> empty_results_message(const State& s) {
    if (!s.results.total || *s.results.total > 0) return std::nullopt;
    const bool scanning = !running_jobs(s, ipc::JobKind::scan).empty();
    if (s.query.error) return "The search could not be read: " + *s.query.error;
    if (s.query.text.find_first_not_of(' ') != std::string::npos) {
        // Between typographic quotes (UTF-8), as the user typed it.
        return "Nothing matched \xe2\x80\x9c" + s.query.text + "\xe2\x80\x9d" +
               (scanning ? std::string(" yet: the scan goes on") : std::string(". Empty the search to see every photo."));
    }
    if (scanning) return std::string("No photos yet: the scan has just started, they appear as they are read.");
    return std::string("No photos yet. Add a folder (Ctrl+O), or drop one here.");
}

const ipc::PhotoSummary* focused_photo(const State& state) {
    return state.focused ? state.results.at(*state.focused) : nullptr;
}

std::vector<std::string> selected_ids(const State& state) {
    if (state.selection.pending_range) return {};
    if (!state.selection.ids.empty()) return {state.selection.ids.begin(), state.selection.ids.end()};
    const ipc::PhotoSummary* photo = focused_photo(state);
    if (photo && !photo->id.empty()) return {photo->id};
    return {};
}

uint32_t open_photo_rotation(const State& state) {
    if (!state.open_photo) return 0;
    if (state.open_photo->info) return state.open_photo->info->rotation % 4;
    const ipc::PhotoSummary* row = state.results.at(state.open_photo->index);
    return row && row->id == state.open_photo->id ? row->rotation % 4 : 0;
}

const std::string& status_message(const State& state) { return state.last_error.empty() ? state.notice : state.last_error; }

}  // namespace lbx::shell
