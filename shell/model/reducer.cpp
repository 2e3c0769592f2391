#include "model/reducer.hpp"

#include "model/grid_layout.hpp"
#include "model/library_location.hpp"
#include "model/readable_error.hpp"
#include "model/rotation.hpp"
#include "model/timeline.hpp"
#include "model/zoom.hpp"

#include <lightbox/ipc/error_codes.hpp>
#include <lightbox/ipc/topics.hpp>

#include <algorithm>
#include <cctype>
#include <filesystem>

namespace lbx::shell {
namespace {

bool connected(const State& s) { return s.engine.status == EngineStatus::connected; }

void send(State& s, ipc::Request request, uint64_t tag = 0) {
    s.outbox.push_back(Command{std::move(request), tag});
}

// Once per action: the jobs of one ListJobs reply that all ended re-read the library once, not once each.
void send_once(State& s, ipc::Request request) {
    for (const auto& c : s.outbox) {
        if (c.request == request) return;
    }
    send(s, std::move(request));
}

ipc::Query page_query(const State& s, uint64_t page) {
    ipc::Query q;
    q.query = s.query.text;
    q.sort = s.query.sort;
    q.descending = s.query.descending;
    q.offset = page * ResultPages::kPageSize;
    q.limit = ResultPages::kPageSize;
    return q;
}

void request_page(State& s, uint64_t page) {
    if (!connected(s) || s.results.requested.count(page)) return;
    s.results.requested.insert(page);
    send(s, page_query(s, page), s.results.generation);
}

// The selection becomes the photos from index `a` to `b` (either order). Pages of the range not loaded
// yet are asked for; the range stays pending until they all came.
void select_range(State& s, uint64_t a, uint64_t b) {
    const uint64_t first = std::min(a, b), last = std::min(std::max(a, b), s.results.count() ? s.results.count() - 1 : 0);
    std::set<std::string> ids;
    bool complete = true;
    for (uint64_t page = first / ResultPages::kPageSize; page <= last / ResultPages::kPageSize; ++page) {
        if (!s.results.pages.count(page)) {
            complete = false;
            request_page(s, page);
        }
    }
    if (complete) {
        for (uint64_t i = first; i <= last; ++i) {
            const ipc::PhotoSummary* photo = s.results.at(i);
            if (photo && !photo->id.empty()) ids.insert(photo->id);
        }
    }
    s.selection.ids = std::move(ids);
    s.selection.pending_range = complete ? std::nullopt : std::optional(std::pair(first, last));
}

// A plain click or arrow: the focused photo alone, and the start of the next Shift range.
void select_only_focus(State& s) {
    s.selection = Selection{};
    s.selection.anchor = s.focused;
}

// The map's clusters for its view: the visible part of the world and one cell more on each side (the
// clusters at the edges), at its zoom, for the query without its `within:` terms. One request at a time.
void request_clusters(State& s) {
    MapState& m = s.map;
    if (!connected(s) || !m.shown || m.camera.width <= 0 || m.camera.height <= 0) return;
    if (m.in_flight) {
        m.stale = true;
        return;
    }
    const GeoRect view = visible_rect(m.camera);
    const double margin = kMapCellPixels / pixels_per_degree(m.camera.zoom);
    ipc::GetMapClusters request;
    request.query = without_within(s.query.text);
    request.south = std::max(-90.0, view.south - margin);
    request.west = std::max(-180.0, view.west - margin);
    request.north = std::min(90.0, view.north + margin);
    request.east = std::min(180.0, view.east + margin);
    request.zoom = static_cast<uint32_t>(m.camera.zoom);
    m.in_flight = true;
    m.stale = false;
    send(s, std::move(request), ++m.generation);
}

// A new query or sort: forget the pages, ask for the first one and the facets.
void restart_query(State& s) {
    s.results = ResultPages{s.results.generation + 1, std::nullopt, {}, {}};
    s.refresh_in_flight = false;
    s.focused.reset();
    s.selection = Selection{};
    s.previewing = false;
    request_page(s, 0);
    if (connected(s)) send(s, ipc::Facets{s.query.text, 0}, s.results.generation);
    request_clusters(s);
}

// A scan added photos: read the loaded pages again (same generation, so the grid keeps what it shows).
// False when a refresh is on its way already, or nothing can be sent.
bool refresh_results(State& s) {
    if (!connected(s) || s.refresh_in_flight) return false;
    s.refresh_in_flight = true;
    std::set<uint64_t> pages{0};
    for (const auto& [page, rows] : s.results.pages) pages.insert(page);
    for (uint64_t page : pages) send(s, page_query(s, page), s.results.generation);
    return true;
}

// The Library > Folders window's list, while it is open.
void refresh_folders(State& s) {
    if (connected(s) && s.folders.shown) send_once(s, ipc::ListFolders{});
}

void set_error(State& s, const std::string& message) {
    s.last_error = readable_error(message);
    ++s.last_error_serial;
}

// A change the user asked for is done: said in the status bar's message field, in place of an older error.
void set_notice(State& s, const std::string& message) {
    s.notice = readable_error(message);  // one readable line, as errors are
    s.last_error.clear();
    ++s.last_error_serial;
}

std::string lower(std::string text) {
    for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return text;
}

// 'dog' or 'dog', 'cat': names as the status bar quotes them.
std::string quoted_names(const std::vector<std::string>& names) {
    std::string out;
    for (const std::string& name : names) out += (out.empty() ? "'" : ", '") + name + "'";
    return out;
}

// The open photo's file name for a message, when the photo is still open; else its id.
std::string photo_name(const State& s, const std::string& id) {
    if (s.open_photo && s.open_photo->id == id && s.open_photo->info && !s.open_photo->info->path.empty())
        return std::filesystem::path(s.open_photo->info->path).filename().string();
    return "photo " + id;
}

// The rotation of a photo's rows in the loaded pages (the grid turns its cell at once).
void set_listed_rotation(State& s, const std::string& id, uint32_t quarter_turns) {
    for (auto& [page, rows] : s.results.pages)
        for (ipc::PhotoSummary& row : rows)
            if (row.id == id) row.rotation = quarter_turns;
}

void open_at(State& s, uint64_t index) {
    const ipc::PhotoSummary* photo = s.results.at(index);
    if (!photo || photo->id.empty()) return;
    s.focused = index;
    OpenPhoto open;
    open.index = index;
    open.id = photo->id;
    s.open_photo = std::move(open);
    if (connected(s)) send(s, ipc::GetPhoto{photo->id});
}

void start_scan(State& s, std::vector<std::string> paths) {
    if (paths.empty()) return;
    if (!connected(s)) {
        s.pending_scans.push_back(std::move(paths));
        return;
    }
    ipc::StartScan scan;
    scan.paths = std::move(paths);
    send(s, std::move(scan));
}

void request_persons(State& s, uint64_t page) {
    if (!connected(s) || s.people.requested.count(page)) return;
    s.people.requested.insert(page);
    send(s, ipc::ListPersons{page * PeopleState::kPageSize, PeopleState::kPageSize});
}

// The People page's loaded pages (at least the first) read again, while it is shown: after a rename or
// merge, and as analysis groups new faces. A page still on its way is not asked twice: the engine answers
// in order, so its answer already follows any change sent before.
void refresh_persons(State& s) {
    if (!connected(s) || !s.people.shown) return;
    std::set<uint64_t> pages{0};
    for (const auto& [page, persons] : s.people.pages) pages.insert(page);
    for (uint64_t page : pages) request_persons(s, page);
}

// The next page of the "Duplicates and similar" groups, one at a time (they are appended in order).
void request_similar(State& s) {
    SimilarState& similar = s.similar;
    if (!connected(s) || similar.loading) return;
    similar.loading = true;
    send(s, ipc::FindSimilar{similar.distance, similar.groups.size(), SimilarState::kPageSize}, similar.generation);
}

// A fresh listing: the groups change with every removal and scan. What was moved to the trash stays
// left out.
void restart_similar(State& s) {
    SimilarState& similar = s.similar;
    ++similar.generation;
    similar.total.reset();
    similar.groups.clear();
    similar.kept.clear();
    similar.loading = false;
    similar.error.reset();
    request_similar(s);
}

std::string joined(const std::vector<std::string>& lines) {
    std::string out;
    for (const std::string& line : lines) out += (out.empty() ? "" : "\n") + line;
    return out;
}

// Analysis labels and groups photos already shown: every twentieth of the job (at least 25 photos) the
// results, facets and people are read again, not on every photo.
bool analysis_step_reached(State& s, const ipc::JobProgress& p) {
    auto& [job, done] = s.analysis_refreshed;
    if (job != p.job_id) {
        job = p.job_id;
        done = 0;
    }
    if (p.done < done + std::max<uint64_t>(25, p.total / 20)) return false;
    done = p.done;
    return true;
}

// Analysis found faces and objects: the people, and the open photo's boxes, read again.
void analysis_changed_photos(State& s) {
    refresh_persons(s);
    if (s.open_photo && connected(s)) send_once(s, ipc::GetPhoto{s.open_photo->id});
}

// A client (this one or another attached to the same engine, a script's lightbox-ctl) changed the
// library outside a job: what is shown of it is read again. The page's rows keep their places meanwhile.
void library_changed(State& s, const ipc::LibraryChanged& change) {
    if (!connected(s)) return;
    // Another engine's change may be anything: photos come or go, persons and folders change.
    const bool other_engine = change.change == ipc::changes::kOtherEngine;
    const bool photos_gone =
        other_engine || change.change == ipc::changes::kFolderRemoved || change.change == ipc::changes::kPhotosRemoved;
    refresh_results(s);
    send(s, ipc::Facets{s.query.text, 0}, s.results.generation);
    if (photos_gone) {
        send_once(s, ipc::LibraryInfo{});
        refresh_folders(s);
        request_clusters(s);
        if (s.similar.shown) restart_similar(s);
    }
    if (change.change == ipc::changes::kPeople || photos_gone) refresh_persons(s);
    const bool open_named = s.open_photo && std::find(change.photo_ids.begin(), change.photo_ids.end(), s.open_photo->id) != change.photo_ids.end();
    if (s.open_photo && (open_named || change.change == ipc::changes::kPeople)) send_once(s, ipc::GetPhoto{s.open_photo->id});
}

void apply_progress(State& s, const ipc::JobProgress& p, const std::optional<ipc::Error>& error) {
    auto it = s.jobs.find(p.job_id);
    const bool known = it != s.jobs.end();
    const bool was_final = known && ipc::is_final(it->second.progress.state);
    if (known && p.sequence < it->second.progress.sequence) return;  // older than what we show
    const uint64_t done_before = known ? it->second.progress.done : 0;
    s.jobs[p.job_id] = JobView{p, error};
    const bool analysis = p.kind == ipc::JobKind::analysis;
    if (ipc::is_final(p.state) && !was_final) {
        // The scan's photos are all in the catalog now (or the analysis's labels): the truth, read again.
        s.refresh_in_flight = false;
        refresh_results(s);
        if (connected(s)) {
            send(s, ipc::Facets{s.query.text, 0}, s.results.generation);
            send_once(s, ipc::LibraryInfo{});
            send_once(s, ipc::ListFailures{0, 0});
            // A scan adds photos to analyse; an analysis job ends, or pauses: what is left, and paused or not.
            send_once(s, ipc::GetAnalysis{});
        }
        request_clusters(s);  // the scan's photos on the map
        refresh_folders(s);   // its folder, and their photo counts
        if (analysis) analysis_changed_photos(s);
    } else if (analysis) {
        if (!known && connected(s)) send_once(s, ipc::GetAnalysis{});  // a new analysis job: running again
        if (analysis_step_reached(s, p)) {
            refresh_results(s);
            if (connected(s)) send(s, ipc::Facets{s.query.text, 0}, s.results.generation);
            analysis_changed_photos(s);
        }
    } else if (p.done > done_before) {
        // Thumbnails appear while the scan runs, and the month counts with them: the grid's date headings
        // (model/grid_layout.hpp) place the photos by them. The session sends only the latest Facets.
        if (refresh_results(s)) send(s, ipc::Facets{s.query.text, 0}, s.results.generation);
    }
}

bool is_people_request(const ipc::Request& r) {
    return std::holds_alternative<ipc::ListPersons>(r) || std::holds_alternative<ipc::RenamePerson>(r) ||
           std::holds_alternative<ipc::MergePersons>(r) || std::holds_alternative<ipc::RemoveFace>(r);
}

std::string trimmed(const std::string& text) {
    const auto first = text.find_first_not_of(" \t\n");
    if (first == std::string::npos) return {};
    return text.substr(first, text.find_last_not_of(" \t\n") - first + 1);
}

std::string quoted(const std::string& value) {
    return value.find_first_of(" \t\"()") == std::string::npos ? value : "\"" + value + "\"";
}

struct Reducer {
    State& s;

    void operator()(const QueryEdited& a) {
        if (a.text == s.query.text && s.results.total) return;
        s.query.text = a.text;
        restart_query(s);
    }
    void operator()(const FacetChosen& a) {
        const std::string& q = s.query.text;
        (*this)(QueryEdited{has_facet(q, a.kind, a.value) ? without_facet(q, a.kind, a.value) : with_facet(q, a.kind, a.value)});
    }
    void operator()(const SortChanged& a) {
        s.query.sort = a.sort;
        s.query.descending = a.descending;
        restart_query(s);
    }
    void operator()(const PageNeeded& a) {
        if (!s.results.pages.count(a.page)) request_page(s, a.page);
    }
    void operator()(const FocusIndex& a) {
        if (a.index >= s.results.count()) return;
        const std::optional<uint64_t> before = s.focused;
        s.focused = a.index;
        switch (a.mode) {
            case SelectMode::replace: select_only_focus(s); break;
            case SelectMode::toggle: {
                // The first Ctrl+click keeps the focused photo chosen, as file managers do.
                if (s.selection.ids.empty() && before) {
                    if (const ipc::PhotoSummary* p = s.results.at(*before); p && !p->id.empty()) s.selection.ids.insert(p->id);
                }
                if (const ipc::PhotoSummary* p = s.results.at(a.index); p && !p->id.empty()) {
                    if (!s.selection.ids.erase(p->id)) s.selection.ids.insert(p->id);
                }
                s.selection.pending_range.reset();
                s.selection.anchor = a.index;
                break;
            }
            case SelectMode::extend:
                if (!s.selection.anchor) s.selection.anchor = before.value_or(a.index);
                select_range(s, *s.selection.anchor, a.index);
                break;
        }
    }
    void operator()(const MoveFocus& a) {
        const std::optional<uint64_t> before = s.focused;
        // Over the grid's rows as they are drawn: date headings start each month on a row of its own.
        s.focused = grid_layout_of(s, a.columns).move(s.focused, a.key, a.rows_per_page);
        if (s.focused) {
            const uint64_t page = *s.focused / ResultPages::kPageSize;
            if (!s.results.pages.count(page)) request_page(s, page);
        }
        if (!s.focused) return;
        if (!a.extend) {
            select_only_focus(s);
            return;
        }
        if (!s.selection.anchor) s.selection.anchor = before.value_or(*s.focused);
        select_range(s, *s.selection.anchor, *s.focused);
    }
    void operator()(const TimelineJump& a) {
        const auto index = first_index_of(timeline_of(s), a.period);
        if (!index || *index >= s.results.count()) return;
        s.focused = *index;
        select_only_focus(s);
        s.grid_jump = {*index, s.grid_jump.serial + 1};
        const uint64_t page = *index / ResultPages::kPageSize;
        if (!s.results.pages.count(page)) request_page(s, page);
    }
    void operator()(const SelectAll&) {
        if (s.results.count() == 0) return;
        s.selection.anchor = 0;
        select_range(s, 0, s.results.count() - 1);
    }
    void operator()(const OpenFocused&) {
        s.previewing = false;
        if (s.focused) open_at(s, *s.focused);
    }
    void operator()(const TogglePreview&) { s.previewing = !s.previewing && focused_photo(s) != nullptr; }
    void operator()(const ClosePhoto&) {
        s.open_photo.reset();
        s.slideshow = false;
    }
    void operator()(const StepPhoto& a) {
        if (!s.open_photo) return;
        const int64_t next = static_cast<int64_t>(s.open_photo->index) + a.delta;
        if (next < 0 || static_cast<uint64_t>(next) >= s.results.count()) return;
        open_at(s, static_cast<uint64_t>(next));
    }
    void operator()(const ToggleZoom&) {
        if (s.open_photo) s.open_photo->zoom = s.open_photo->zoom ? std::nullopt : std::optional<double>(1.0);
    }
    void operator()(const ZoomBy& a) {
        if (s.open_photo) s.open_photo->zoom = zoom_step(s.open_photo->zoom, a.fit, a.steps);
    }
    void operator()(const SetSlideshow& a) {
        s.slideshow = a.on && s.open_photo.has_value();
        if (s.slideshow) {
            s.full_screen = true;
            s.open_photo->zoom.reset();  // each photo whole
        }
    }
    void operator()(const SlideshowTick&) {
        if (!s.slideshow || !s.open_photo) return;
        // The last photo ends the show; it stays open (a page not loaded yet waits for it: StepPhoto).
        if (s.open_photo->index + 1 >= s.results.count()) {
            s.slideshow = false;
            return;
        }
        open_at(s, s.open_photo->index + 1);
    }
    void operator()(const ToggleRegions&) {
        s.show_regions = !s.show_regions;
        // The open photo's regions as they are now: analysis may have reached it since it was opened.
        if (s.show_regions && s.open_photo && connected(s)) send(s, ipc::GetPhoto{s.open_photo->id});
    }
    void operator()(const ThumbnailSizeChanged& a) { s.thumbnail_size = std::clamp<uint32_t>(a.size, 64, 512); }
    void operator()(const SetFullScreen& a) {
        s.full_screen = a.on;
        if (!a.on) s.slideshow = false;  // Esc ends the show with the full screen
    }
    void operator()(const AddFolders& a) { start_scan(s, a.paths); }
    void operator()(const OpenLibraryRequested& a) {
        std::string problem;
        const auto location = library_location(a.location, &problem);
        if (!location) return set_error(s, problem);
        // Kept for the next engine too (a restart, a reconnection): LibraryInfoReply switches it then.
        s.wanted_catalog = *location;
        s.open_library_sent = connected(s);
        if (connected(s)) send(s, ipc::OpenLibrary{*location});
    }
    void operator()(const RescanRequested&) {
        if (connected(s)) send(s, ipc::Rescan{false});
    }
    void operator()(const CancelJobRequested& a) {
        if (connected(s)) send(s, ipc::CancelJob{a.job_id});
    }
    void operator()(const ResumeInterruptedScans&) {
        if (!connected(s) || s.resume_sent || interrupted_scans(s).empty()) return;
        s.resume_sent = true;
        send(s, ipc::Rescan{false});
    }
    void operator()(const PauseAnalysisRequested& a) {
        if (!connected(s) || s.analysis_pause_sent) return;  // one at a time: the button waits for the answer
        s.analysis_pause_sent = true;
        send(s, ipc::SetAnalysisPaused{a.paused});
    }
    void operator()(const ShowPeople& a) {
        s.people.shown = a.shown;
        if (!a.shown) return;
        s.map.shown = false;
        s.similar.shown = false;
        s.open_photo.reset();  // the page is shown instead of the photo
        s.previewing = false;
        s.people.error.reset();
        refresh_persons(s);
    }
    void operator()(const PersonsPageNeeded& a) {
        if (!s.people.pages.count(a.page)) request_persons(s, a.page);
    }
    void operator()(const RefreshPersons&) {
        s.people.error.reset();
        refresh_persons(s);
    }
    void operator()(const ChoosePerson& a) {
        auto& chosen = s.people.selected;
        if (a.mode == SelectMode::replace) chosen = {a.person_id};
        else if (!chosen.erase(a.person_id)) chosen.insert(a.person_id);
    }
    void operator()(const ShowPersonPhotos& a) {
        const ipc::Person* person = s.people.find(a.person_id);
        const std::optional<std::string> query = person ? person_query(*person) : std::nullopt;
        if (!query) return;  // unnamed: the page says to name them first
        s.people.shown = false;
        (*this)(QueryEdited{*query});
    }
    void operator()(const ShowMap& a) {
        s.map.shown = a.shown;
        if (!a.shown) return;
        s.open_photo.reset();  // the page is shown instead of the photo or the People page
        s.previewing = false;
        s.people.shown = false;
        s.similar.shown = false;
        s.map.error.reset();
        request_clusters(s);
    }
    void operator()(const MapCameraChanged& a) {
        const MapCamera camera = clamped(a.camera);
        if (camera == s.map.camera) return;
        s.map.camera = camera;
        request_clusters(s);
    }
    void operator()(const MapAreaChosen& a) {
        s.map.shown = false;
        (*this)(QueryEdited{with_within(s.query.text, a.box)});
    }
    void operator()(const RenamePersonRequested& a) {
        const std::string name = trimmed(a.name);
        if (name.find('"') != std::string::npos) {
            // The query language has no escape for it: `person:` could never find them.
            s.people.error = "a name cannot hold a double quote: the search could not find it";
            return;
        }
        s.people.error.reset();
        if (connected(s)) send(s, ipc::RenamePerson{a.person_id, name});
    }
    void operator()(const RemoveFaceRequested& a) {
        if (!s.open_photo || !connected(s)) return;
        s.people.error.reset();
        send(s, ipc::RemoveFace{s.open_photo->id, a.source, a.index});
    }
    void operator()(const MergeChosenInto& a) {
        s.people.error.reset();
        if (!connected(s)) return;
        for (uint64_t from : s.people.selected) {
            if (from != a.into_id) send(s, ipc::MergePersons{from, a.into_id});
        }
    }
    void operator()(const ShowSimilar& a) {
        s.similar.shown = a.shown;
        if (!a.shown) return;
        s.open_photo.reset();  // the page is shown instead of the photo and of People
        s.previewing = false;
        s.people.shown = false;
        s.map.shown = false;
        s.similar.notice.clear();
        restart_similar(s);
    }
    void operator()(const SimilarDistanceChanged& a) {
        const uint32_t distance = std::min(a.distance, ipc::kMaxSimilarDistance);
        if (distance == s.similar.distance) return;
        s.similar.distance = distance;
        if (s.similar.shown) restart_similar(s);
    }
    void operator()(const SimilarMoreNeeded&) {
        const SimilarState& similar = s.similar;
        if (similar.total && similar.groups.size() < *similar.total) request_similar(s);
    }
    void operator()(const ToggleKeep& a) {
        if (!s.similar.kept.erase(a.path)) s.similar.kept.insert(a.path);
    }
    void operator()(const RemoveOthersConfirmed&) {
        std::vector<std::string> ids = photos_to_remove(s.similar);
        if (ids.empty() || !connected(s)) return;
        s.similar.notice.clear();
        send(s, ipc::RemovePhotos{std::move(ids)});
    }
    void operator()(const FilesTrashed& a) {
        SimilarState& similar = s.similar;
        similar.trashed.insert(a.trashed.begin(), a.trashed.end());
        similar.notice = a.trashed.empty() ? std::string()
                                           : "moved " + std::to_string(a.trashed.size()) + (a.trashed.size() == 1 ? " file" : " files") + " to the trash";
        // Photos with no file left outside the trash leave the library; the others stay (a kept path).
        std::vector<std::string> gone = photos_all_trashed(similar, similar.trashed);
        if (!gone.empty() && connected(s)) send(s, ipc::RemovePhotos{std::move(gone)});
        else if (similar.shown) restart_similar(s);
        similar.error = a.errors.empty() ? std::nullopt : std::optional<std::string>(joined(a.errors));
        if (!a.errors.empty()) s.last_error = a.errors.front();
    }
    void operator()(const ShowFolders& a) {
        s.folders.shown = a.shown;
        s.folders.notice.clear();
        s.folders.error.reset();
        refresh_folders(s);
    }
    void operator()(const RemoveFolderConfirmed& a) {
        if (!connected(s) || s.folders.removing.count(a.path)) return;
        s.folders.removing.insert(a.path);
        s.folders.notice.clear();
        s.folders.error.reset();
        send(s, ipc::RemoveFolder{a.path});
    }
    void operator()(const RescanFolder& a) {
        s.folders.error.reset();
        s.folders.notice = "scanning " + a.path + " again";
        start_scan(s, {a.path});
    }
    void operator()(const RemoveSelectedConfirmed&) {
        std::vector<std::string> ids = selected_ids(s);
        if (ids.empty() || !connected(s)) return;
        send(s, ipc::RemovePhotos{std::move(ids)});
        select_only_focus(s);  // they are gone; the focus stays where it was
    }
    void operator()(const EditUserTags& a) {
        if (s.open_photo && connected(s)) send(s, ipc::SetUserTags{s.open_photo->id, a.add, a.remove});
    }
    void operator()(const RejectTag& a) {
        if (s.open_photo && connected(s) && !a.name.empty()) send(s, ipc::RejectTags{s.open_photo->id, {a.name}, {}});
    }
    void operator()(const RestoreTag& a) {
        if (s.open_photo && connected(s) && !a.name.empty()) send(s, ipc::RejectTags{s.open_photo->id, {}, {a.name}});
    }
    void operator()(const RotateOpenPhoto& a) {
        if (!s.open_photo || !connected(s)) return;
        // Shown turned at once, before the engine answers: a second press turns on from there, so two
        // quick presses make two turns. A refused change reads the truth again (failed()).
        const uint32_t turns = normal_turns(int64_t{open_photo_rotation(s)} + a.quarter_turns);
        if (s.open_photo->info) s.open_photo->info->rotation = turns;
        set_listed_rotation(s, s.open_photo->id, turns);
        ++s.open_photo->rotations_in_flight;
        send(s, ipc::SetRotation{s.open_photo->id, turns});
    }
    void operator()(const ApplySettings& a) {
        if (connected(s)) send(s, ipc::SetSettings{a.settings});
    }
    void operator()(const RefreshFailures&) {
        if (connected(s)) send(s, ipc::ListFailures{0, 0});
    }
    void operator()(const RetryFailedRequested&) {
        if (connected(s)) send(s, ipc::Rescan{true});
    }
    void operator()(const RefreshPlugins&) {
        if (connected(s)) send(s, ipc::ListPlugins{});
    }
    void operator()(const DesktopLaunchFailed& a) { set_error(s, a.message); }
    void operator()(const ClearLastError& a) {
        if (a.serial != s.last_error_serial) return;
        s.last_error.clear();
        s.notice.clear();
    }

    void operator()(const EngineStatusChanged& a) {
        if (a.status == EngineStatus::restarting && s.engine.status != EngineStatus::restarting) ++s.engine.restarts;
        s.engine.status = a.status;
        s.engine.detail = a.detail;
        if (a.status != EngineStatus::connected) {
            s.results.requested.clear();  // those replies will not come
            s.refresh_in_flight = false;
            s.people.requested.clear();
            s.analysis_pause_sent = false;
            s.resume_sent = false;
            s.map.in_flight = false;
            s.map.stale = false;
            s.similar.loading = false;
            s.folders.removing.clear();
            if (s.open_photo) s.open_photo->rotations_in_flight = 0;  // their answers will not come
        }
    }
    void operator()(const EngineConnected& a) {
        s.engine.status = EngineStatus::connected;
        s.engine.detail.clear();
        s.engine.version = a.engine_version;
        s.engine.pid = a.pid;
        s.open_library_sent = false;
        // A new (or restarted) engine: read the truth again (events are hints; we missed some).
        // Job ids are the engine's: the last engine's jobs are gone with it (a scan it ran shows again, as
        // interrupted, in the ListJobs answer), and its ids may name other jobs of the new one.
        s.jobs.clear();
        s.map.in_flight = false;  // an answer from the last engine will not come
        s.map.stale = false;
        s.analysis_refreshed = {0, 0};
        s.resume_sent = false;
        send(s, ipc::LibraryInfo{});
        send(s, ipc::ListJobs{});
        send(s, ipc::GetSettings{});
        send(s, ipc::ListFailures{0, 0});
        send(s, ipc::GetAnalysis{});
        s.analysis_pause_sent = false;
        s.people.requested.clear();
        refresh_persons(s);
        if (s.results.total) {
            // A restarted engine serves the same library (another one is switched with OpenLibrary, which
            // restarts the query): keep what the grid shows and the focus, and read the pages again.
            s.results.requested.clear();
            s.refresh_in_flight = false;
            refresh_results(s);
            send(s, ipc::Facets{s.query.text, 0}, s.results.generation);
        } else {
            restart_query(s);
        }
        if (s.open_photo) send(s, ipc::GetPhoto{s.open_photo->id});
        if (s.results.total) request_clusters(s);  // else restart_query asked
        if (s.similar.shown) restart_similar(s);
        refresh_folders(s);
        for (auto& paths : std::exchange(s.pending_scans, {})) start_scan(s, std::move(paths));
    }
    void operator()(const ReplyArrived& a) {
        if (!a.reply) {
            failed(a);
            return;
        }
        std::visit([&](const auto& reply) { replied(a, reply); }, *a.reply);
    }
    void operator()(const EventArrived& a) {
        if (const auto* e = std::get_if<ipc::JobProgressEvent>(&a.event)) apply_progress(s, e->progress, std::nullopt);
        if (const auto* e = std::get_if<ipc::PhotoFailed>(&a.event)) set_error(s, e->path + ": " + e->error.message);
        if (const auto* e = std::get_if<ipc::LibraryChanged>(&a.event)) library_changed(s, *e);
    }
    void operator()(const ThumbnailArrived& a) {
        if (a.key.size == ipc::kFullResolution) {
            // Not a thumbnail: its failure (a photo too large for one reply) says nothing about the grid's.
            if (s.open_photo && s.open_photo->id == a.key.photo_id) {
                if (a.image) s.open_photo->full_resolution_error.reset();
                else s.open_photo->full_resolution_error = a.error.empty() ? std::string("not available") : a.error;
            }
            return;
        }
        if (!a.image) s.missing_thumbnails.insert(a.key.photo_id);
        else s.missing_thumbnails.erase(a.key.photo_id);
    }

    // --- replies ---
    void failed(const ReplyArrived& a) {
        const ipc::Error& error = a.reply.error();
        if (const auto* q = std::get_if<ipc::Query>(&a.request)) {
            if (a.tag != s.results.generation) return;
            s.results.requested.erase(q->offset / ResultPages::kPageSize);
            s.refresh_in_flight = false;
            if (error.code == ipc::codes::kBadQuery) {
                s.query.error = error.message;
                s.results.total = 0;
                s.results.pages.clear();
                return;
            }
        }
        if (std::holds_alternative<ipc::GetMapClusters>(a.request)) {
            if (a.tag != s.map.generation) return;
            s.map.in_flight = false;
            s.map.error = error.message;
            if (std::exchange(s.map.stale, false)) request_clusters(s);
            if (error.code == ipc::codes::kBadQuery) return;  // shown once, by Query
        }
        if (std::holds_alternative<ipc::Facets>(a.request) && error.code == ipc::codes::kBadQuery) return;  // shown once, by Query
        if (std::holds_alternative<ipc::SetAnalysisPaused>(a.request)) s.analysis_pause_sent = false;
        if (std::holds_alternative<ipc::Rescan>(a.request)) s.resume_sent = false;
        if (const auto* l = std::get_if<ipc::ListPersons>(&a.request)) s.people.requested.erase(l->offset / PeopleState::kPageSize);
        if (is_people_request(a.request)) {
            if (error.code == ipc::codes::kUnsupported) {
                // An engine that does not group faces: the People page says so, once, instead of an error.
                s.people.unsupported = error.message;
                return;
            }
            s.people.error = error.message;
        }
        if (std::holds_alternative<ipc::GetPhoto>(a.request) && s.open_photo) s.open_photo->error = error.message;
        if (const auto* r = std::get_if<ipc::RemoveFolder>(&a.request)) {
            s.folders.removing.erase(r->path);
            s.folders.error = error.message;
        }
        if (std::holds_alternative<ipc::ListFolders>(a.request)) s.folders.error = error.message;
        if (const auto* r = std::get_if<ipc::SetRotation>(&a.request)) {
            // The turn shown before the answer did not happen: the photo and the grid as the library has them.
            if (s.open_photo && s.open_photo->id == r->photo_id) {
                if (s.open_photo->rotations_in_flight > 0) --s.open_photo->rotations_in_flight;
                if (connected(s)) send(s, ipc::GetPhoto{r->photo_id});
            }
            refresh_results(s);
        }
        if (std::holds_alternative<ipc::FindSimilar>(a.request) && a.tag == s.similar.generation) {
            s.similar.loading = false;
            s.similar.error = error.message;
        }
        set_error(s, std::string(ipc::name_of(a.request)) + ": " + error.message);
    }
    void replied(const ReplyArrived& a, const ipc::QueryReply& r) {
        if (a.tag != s.results.generation) return;  // a query typed over since
        const auto* q = std::get_if<ipc::Query>(&a.request);
        if (!q) return;
        const uint64_t page = q->offset / ResultPages::kPageSize;
        s.results.requested.erase(page);
        if (s.results.requested.empty()) s.refresh_in_flight = false;
        // A scan adds photos before the focused one (sorted by date): the focus and the open photo stay on
        // their photo, not on their index.
        const ipc::PhotoSummary* focused_before = focused_photo(s);
        const std::string focused_id = focused_before ? focused_before->id : std::string();
        s.query.error.reset();
        if (s.results.total && r.total < *s.results.total) {
            // Photos went away (removed, marked missing): pages beyond the new end are stale.
            s.results.pages.erase(s.results.pages.upper_bound(r.total / ResultPages::kPageSize), s.results.pages.end());
        }
        s.results.total = r.total;
        s.results.pages[page] = r.photos;
        if (const auto moved = s.results.index_of(focused_id)) s.focused = *moved;
        if (s.open_photo) {
            if (const auto moved = s.results.index_of(s.open_photo->id)) s.open_photo->index = *moved;
        }
        if (s.focused && *s.focused >= r.total) s.focused = r.total == 0 ? std::nullopt : std::optional<uint64_t>(r.total - 1);
        if (const auto range = s.selection.pending_range) select_range(s, range->first, range->second);
    }
    void replied(const ReplyArrived& a, const ipc::FacetsReply& r) {
        if (a.tag == s.results.generation) s.facets = r;
    }
    void replied(const ReplyArrived& a, const ipc::PhotoReply& r) {
        const auto* req = std::get_if<ipc::GetPhoto>(&a.request);
        if (!s.open_photo || !req || req->photo_id != s.open_photo->id) return;  // stepped on since
        const uint32_t shown = open_photo_rotation(s);
        s.open_photo->info = r.photo;
        if (s.open_photo->rotations_in_flight > 0) s.open_photo->info->rotation = shown;  // a turn on its way
        s.open_photo->user_tags.clear();
        for (const auto& tag : r.photo.tags) {
            if (tag.source == "user") s.open_photo->user_tags.push_back(tag.name);
        }
    }
    void replied(const ReplyArrived&, const ipc::UserTagsReply& r) {
        if (!s.open_photo || r.photo_id != s.open_photo->id) return;
        s.open_photo->user_tags = r.user_tags;
        if (s.open_photo->info) {
            auto& tags = s.open_photo->info->tags;
            tags.erase(std::remove_if(tags.begin(), tags.end(), [](const ipc::PhotoTag& t) { return t.source == "user"; }), tags.end());
            for (const auto& name : r.user_tags) tags.push_back(ipc::PhotoTag{name, "user", 1.0, "user"});
        }
        if (connected(s)) send(s, ipc::Facets{s.query.text, 0}, s.results.generation);
    }
    void replied(const ReplyArrived& a, const ipc::TagsRejected& r) {
        const auto* req = std::get_if<ipc::RejectTags>(&a.request);
        if (!req) return;
        const std::string name = photo_name(s, r.photo_id);
        if (!req->reject.empty()) {
            const bool several = req->reject.size() > 1;
            set_notice(s, r.removed > 0 ? "removed " + std::string(several ? "tags " : "tag ") + quoted_names(req->reject) + " from " + name +
                                              (several ? "; they will not be added again" : "; it will not be added again")
                                        : std::string(several ? "tags " : "tag ") + quoted_names(req->reject) + " will not be added to " + name);
        } else if (!req->restore.empty()) {
            set_notice(s, std::string(req->restore.size() > 1 ? "tags " : "tag ") + quoted_names(req->restore) + " may be added to " + name +
                              " again when it is next read or analysed");
        }
        if (s.open_photo && s.open_photo->id == r.photo_id && s.open_photo->info) {
            // The engine took them away: so does the view, at once (names compare without case).
            std::set<std::string> gone;
            for (const std::string& t : req->reject) gone.insert(lower(t));
            auto& tags = s.open_photo->info->tags;
            tags.erase(std::remove_if(tags.begin(), tags.end(),
                                      [&](const ipc::PhotoTag& t) { return t.source != "user" && gone.count(lower(t.name)); }),
                       tags.end());
            s.open_photo->info->rejected_tags = r.rejected;
        }
        // The tag's counts and a search by it change.
        if (connected(s)) send(s, ipc::Facets{s.query.text, 0}, s.results.generation);
        refresh_results(s);
    }
    void replied(const ReplyArrived&, const ipc::RotationSet& r) {
        // Shown already (RotateOpenPhoto). The last answer is the library's rotation: the view and the
        // grid's rows take it (earlier answers would turn them back while a later press is on its way).
        if (s.open_photo && s.open_photo->id == r.photo_id) {
            if (s.open_photo->rotations_in_flight > 0) --s.open_photo->rotations_in_flight;
            if (s.open_photo->rotations_in_flight > 0) return;
            if (s.open_photo->info) s.open_photo->info->rotation = r.quarter_turns;
        }
        set_listed_rotation(s, r.photo_id, r.quarter_turns);
    }
    void replied(const ReplyArrived&, const ipc::JobList& r) {
        for (const auto& job : r.jobs) apply_progress(s, job.progress, job.error);
    }
    void replied(const ReplyArrived&, const ipc::JobStatusReply& r) { apply_progress(s, r.job.progress, r.job.error); }
    void replied(const ReplyArrived& a, const ipc::ScanStarted& r) {
        if (!s.jobs.count(r.job_id)) s.jobs[r.job_id] = JobView{ipc::JobProgress{r.job_id}, std::nullopt};
        if (std::holds_alternative<ipc::Rescan>(a.request)) {
            // A rescan walks every folder of the library: it finishes what the interrupted scans left.
            s.resume_sent = false;
            std::erase_if(s.jobs, [](const auto& job) {
                return job.second.progress.state == ipc::JobState::interrupted && job.second.progress.kind == ipc::JobKind::scan;
            });
        }
    }
    void replied(const ReplyArrived&, const ipc::LibraryInfoReply& r) {
        s.library = r;
        if (!s.wanted_catalog.empty() && r.catalog != s.wanted_catalog && !s.open_library_sent && connected(s)) {
            // Attached to an engine serving another library: switch it to ours (refused while it scans).
            s.open_library_sent = true;
            send(s, ipc::OpenLibrary{s.wanted_catalog});
        }
    }
    void replied(const ReplyArrived& a, const ipc::SimilarGroups& r) {
        SimilarState& similar = s.similar;
        const auto* q = std::get_if<ipc::FindSimilar>(&a.request);
        if (!q || a.tag != similar.generation) return;  // a listing restarted since
        similar.loading = false;
        if (q->offset != similar.groups.size()) return;
        similar.error.reset();
        similar.total = r.total;
        std::vector<ipc::SimilarGroup> groups = without_trashed(r.groups, similar.trashed);
        const std::set<std::string> kept = default_kept(groups);
        similar.kept.insert(kept.begin(), kept.end());
        // Groups only trashed copies made are dropped: the total counts what the engine still lists.
        similar.groups.insert(similar.groups.end(), std::make_move_iterator(groups.begin()), std::make_move_iterator(groups.end()));
        if (groups.size() < r.groups.size()) similar.total = *similar.total - (r.groups.size() - groups.size());
    }
    void replied(const ReplyArrived& a, const ipc::PhotosRemoved& r) {
        if (s.similar.shown) {
            const auto* req = std::get_if<ipc::RemovePhotos>(&a.request);
            if (req && s.similar.notice.empty()) s.similar.notice = "removed " + std::to_string(r.removed) + (r.removed == 1 ? " photo" : " photos") + " from the library";
            else if (req) s.similar.notice += ", removed " + std::to_string(r.removed) + (r.removed == 1 ? " photo" : " photos") + " from the library";
            restart_similar(s);
        }
        s.open_photo.reset();
        restart_query(s);
        if (connected(s)) send(s, ipc::LibraryInfo{});
    }
    void replied(const ReplyArrived&, const ipc::FolderList& r) { s.folders.list = r.folders; }
    void replied(const ReplyArrived& a, const ipc::FolderRemoved& r) {
        if (const auto* req = std::get_if<ipc::RemoveFolder>(&a.request)) s.folders.removing.erase(req->path);
        s.folders.error.reset();
        s.folders.notice = "removed " + r.path + ": " + std::to_string(r.photos_removed) +
                           (r.photos_removed == 1 ? " photo" : " photos") + " left the library; the files stay on disk";
        // Its photos are gone from the results, the facets, the map, the similar groups and the counts.
        s.open_photo.reset();
        restart_query(s);
        if (s.similar.shown) restart_similar(s);
        if (!connected(s)) return;
        send_once(s, ipc::LibraryInfo{});
        send_once(s, ipc::ListFailures{0, 0});
        refresh_folders(s);
    }
    void replied(const ReplyArrived& a, const ipc::SettingsReply& r) {
        s.settings = r.settings;
        (void)a;
    }
    void replied(const ReplyArrived&, const ipc::FailureList& r) {
        s.failures = r.failures;
        s.failures_total = r.total;
    }
    void replied(const ReplyArrived&, const ipc::PluginList& r) { s.plugins = r; }
    void replied(const ReplyArrived& a, const ipc::AnalysisReply& r) {
        s.analysis = r;
        if (std::holds_alternative<ipc::SetAnalysisPaused>(a.request)) s.analysis_pause_sent = false;
    }
    void replied(const ReplyArrived& a, const ipc::PersonList& r) {
        const auto* l = std::get_if<ipc::ListPersons>(&a.request);
        if (!l) return;
        auto& people = s.people;
        const uint64_t page = l->offset / PeopleState::kPageSize;
        people.requested.erase(page);
        people.unsupported.reset();
        if (people.total && r.total < *people.total) {
            // Persons merged or gone: pages beyond the new end are stale.
            people.pages.erase(people.pages.upper_bound(r.total / PeopleState::kPageSize), people.pages.end());
        }
        people.total = r.total;
        people.pages[page] = r.persons;
    }
    void replied(const ReplyArrived& a, const ipc::PersonReply& r) {
        s.people.unsupported.reset();
        s.people.error.reset();
        if (std::holds_alternative<ipc::RemoveFace>(a.request)) {
            set_notice(s, "took the face out of " + (r.person.name.empty() ? std::string("an unnamed person") : "'" + r.person.name + "'") +
                              "; it is not grouped into anyone again");
        }
        if (const auto* m = std::get_if<ipc::MergePersons>(&a.request)) s.people.selected.erase(m->from_id);
        refresh_persons(s);
        if (!connected(s)) return;
        // Names show in the people facet and over the open photo's faces.
        send(s, ipc::Facets{s.query.text, 0}, s.results.generation);
        if (s.open_photo) send(s, ipc::GetPhoto{s.open_photo->id});
    }
    void replied(const ReplyArrived& a, const ipc::MapClustersReply& r) {
        const auto* request = std::get_if<ipc::GetMapClusters>(&a.request);
        if (!request || a.tag != s.map.generation) return;  // superseded
        s.map.in_flight = false;
        s.map.clusters = r;
        s.map.clusters_zoom = request->zoom;
        s.map.error.reset();
        if (std::exchange(s.map.stale, false)) request_clusters(s);
    }
    void replied(const ReplyArrived&, const ipc::ErrorReply& r) { set_error(s, r.error.message); }
    template <class Other>
    void replied(const ReplyArrived& a, const Other&) {
        // OpenLibrary answers with LibraryInfoReply (above); the rest need nothing.
        (void)a;
    }
};

}  // namespace

State reduce(State state, const Action& action) {
    // OpenLibrary's LibraryInfoReply means a new library: its results replace the old ones.
    if (const auto* r = std::get_if<ReplyArrived>(&action); r && r->reply && std::holds_alternative<ipc::OpenLibrary>(r->request)) {
        std::visit(Reducer{state}, action);
        if (state.library) set_notice(state, "Library " + library_name(state.library->catalog) + " opened");
        restart_query(state);
        // Its people and its analysis too.
        PeopleState people;
        people.shown = state.people.shown;
        state.people = std::move(people);
        refresh_persons(state);
        SimilarState similar;
        similar.shown = state.similar.shown;
        similar.distance = state.similar.distance;
        similar.generation = state.similar.generation;
        state.similar = std::move(similar);
        if (state.similar.shown) restart_similar(state);
        if (connected(state)) send_once(state, ipc::GetAnalysis{});
        state.folders.list.reset();
        refresh_folders(state);
        return state;
    }
    std::visit(Reducer{state}, action);
    return state;
}

std::string facet_term(FacetKind kind, const std::string& value) {
    switch (kind) {
        case FacetKind::tag: return "tag:" + quoted(value);
        case FacetKind::camera: return "camera:" + quoted(value);
        case FacetKind::year: return "year:" + value;
        case FacetKind::month: return "date:" + value;
        case FacetKind::place: return "place:" + quoted(value);
        case FacetKind::group: return "group:" + quoted(value);
        case FacetKind::label: return "label:" + quoted(value);
        case FacetKind::person: return "person:" + quoted(value);
    }
    return value;
}

bool has_facet(const std::string& query, FacetKind kind, const std::string& value) {
    return (" " + query + " ").find(" " + facet_term(kind, value) + " ") != std::string::npos;
}

std::string with_facet(const std::string& query, FacetKind kind, const std::string& value) {
    // Already there as a whole term: nothing to add.
    if (has_facet(query, kind, value)) return query;
    const std::string term = facet_term(kind, value);
    std::string trimmed = query;
    while (!trimmed.empty() && trimmed.back() == ' ') trimmed.pop_back();
    return trimmed.empty() ? term : trimmed + " " + term;
}

std::string without_facet(const std::string& query, FacetKind kind, const std::string& value) {
    const std::string term = " " + facet_term(kind, value);
    std::string padded = " " + query + " ";
    // Every whole occurrence with the blank before it; the blank after it stays between its neighbours.
    for (std::size_t at; (at = padded.find(term + " ")) != std::string::npos;) padded.erase(at, term.size());
    return trimmed(padded);
}

std::string camera_label(const std::string& make_model) {
    const auto blank = make_model.find(' ');
    if (blank == std::string::npos || blank == 0) return make_model;
    const std::string make = make_model.substr(0, blank);
    const std::string rest = make_model.substr(blank + 1);
    const auto lower = [](std::string text) {
        for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        return text;
    };
    // "Canon Canon EOS 7D": the model starts with the make, as a whole word.
    const bool repeated = lower(rest).rfind(lower(make), 0) == 0 && (rest.size() == make.size() || rest[make.size()] == ' ');
    return repeated ? rest : make_model;
}

std::optional<std::string> person_query(const ipc::Person& person) {
    if (person.name.empty() || person.name.find('"') != std::string::npos) return std::nullopt;
    return facet_term(FacetKind::person, person.name);
}

}  // namespace lbx::shell
