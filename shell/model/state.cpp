#include "model/state.hpp"

namespace lbx::shell {

const ipc::PhotoSummary* ResultPages::at(uint64_t index) const {
    if (!total || index >= *total) return nullptr;
    auto it = pages.find(index / kPageSize);
    if (it == pages.end()) return nullptr;
    const uint64_t within = index % kPageSize;
    return within < it->second.size() ? &it->second[within] : nullptr;
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

}  // namespace lbx::shell
