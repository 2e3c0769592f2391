// The shell's one store (docs/ARCHITECTURE.md, "Shell"): everything the views render. Plain data, no
// wx, changed only by reduce(). Thumbnail bitmaps are not here (they live in the views' LRU cache);
// only which ones could not be had.
#pragma once

#include "model/command.hpp"
#include "model/engine_status.hpp"
#include "model/map_camera.hpp"
#include "model/similar.hpp"

#include <lightbox/ipc/replies.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace lbx::shell {

// The results of the current query, fetched a page at a time as the grid scrolls.
struct ResultPages {
    static constexpr uint32_t kPageSize = 500;
    uint64_t generation = 0;        // bumped when the query or sort changes; older replies are dropped
    std::optional<uint64_t> total;  // unknown until the first page arrives
    std::map<uint64_t, std::vector<ipc::PhotoSummary>> pages;  // by page number
    std::set<uint64_t> requested;   // pages asked for and not answered yet

    const ipc::PhotoSummary* at(uint64_t index) const;
    // Where the photo is among the loaded pages (a scan moves photos as it adds others before them).
    std::optional<uint64_t> index_of(const std::string& photo_id) const;
    uint64_t count() const { return total.value_or(0); }
};

// The photos chosen beyond the focused one (Ctrl+click, Shift+click, Shift+arrows), by id: indices move
// when a scan adds photos. Empty: the focused photo alone is what Delete removes.
struct Selection {
    std::set<std::string> ids;
    std::optional<uint64_t> anchor;  // where a Shift range starts (an index in the results)
    // A Shift range over pages not loaded yet: asked for, and resolved into ids when they arrive.
    std::optional<std::pair<uint64_t, uint64_t>> pending_range;
};

struct QueryState {
    std::string text;
    std::optional<std::string> error;  // the engine's bad_query message (points at the position)
    ipc::QuerySort sort = ipc::QuerySort::taken;
    bool descending = false;
};

struct OpenPhoto {
    uint64_t index = 0;  // in the results
    std::string id;
    std::optional<ipc::PhotoInfo> info;  // GetPhoto's answer
    std::vector<std::string> user_tags;  // kept apart: SetUserTags answers with them
    std::optional<std::string> error;
    // The scale the photo is shown at (1.0: 100 %, one pixel of the photo per screen pixel); none: the
    // whole photo fits the window. Above the fitting scale the photo at its own resolution is asked for.
    std::optional<double> zoom;
    // Why the photo at its own resolution (ipc::kFullResolution) could not be had; 100 % then shows the
    // largest thumbnail.
    std::optional<std::string> full_resolution_error;
    // SetRotation requests sent for this photo and not answered yet: the turn shown is ahead of the
    // library's, and a GetPhoto answer meanwhile keeps it (the last answer sets the library's).
    uint32_t rotations_in_flight = 0;
};

// The People page (ListPersons): persons fetched a page at a time as its cells show, most faces first.
struct PeopleState {
    static constexpr uint64_t kPageSize = 200;
    bool shown = false;                       // the page is in front of the grid
    std::optional<uint64_t> total;            // unknown until the first page arrives
    std::map<uint64_t, std::vector<ipc::Person>> pages;  // by page number
    std::set<uint64_t> requested;             // pages asked for and not answered yet
    std::set<uint64_t> selected;              // person ids chosen (click on an unnamed one, Ctrl+click) to rename or merge
    std::optional<std::string> unsupported;   // the engine does not group faces into persons: its message
    std::optional<std::string> error;         // the last people request that failed

    const ipc::Person* at(uint64_t index) const;
    const ipc::Person* find(uint64_t id) const;
    uint64_t count() const { return total.value_or(0); }
};

// The Map page (GetMapClusters): the query's geotagged photos as clusters over a world map. One request
// at a time: a view changed while one is on its way asks again when its answer comes, so a drag or a
// spun wheel never queues requests at the engine; answers to a superseded request are dropped.
struct MapState {
    bool shown = false;
    MapCamera camera;                 // width 0 until the page says its size
    uint64_t generation = 0;          // bumped per request; the tag of the last one sent
    bool in_flight = false;
    bool stale = false;               // the view or the query changed since the request in flight
    std::optional<ipc::MapClustersReply> clusters;
    uint32_t clusters_zoom = 0;       // the zoom `clusters` were binned for
    std::optional<std::string> error;
};

// The Library > Folders window: the library's folders with their photos (ListFolders), read when it
// opens and after anything that changes them (a removal, the end of a scan, another engine).
struct FoldersState {
    bool shown = false;
    std::optional<std::vector<ipc::LibraryFolder>> list;  // none until the first FolderList
    std::set<std::string> removing;    // RemoveFolder sent, not answered yet (the window waits)
    std::string notice;                // what the last change did: "removed /p/trip: 6 photos left the library, ..."
    std::optional<std::string> error;  // the last folder request that failed
};

struct JobView {
    ipc::JobProgress progress;
    std::optional<ipc::Error> error;
};

struct EngineView {
    EngineStatus status = EngineStatus::starting;
    std::string detail;    // why it is not connected, or the endpoint
    std::string version;
    int pid = 0;           // of the engine process this shell started; 0 when attached or in-process
    uint64_t restarts = 0;
};

struct State {
    EngineView engine;
    std::optional<ipc::LibraryInfoReply> library;
    std::string wanted_catalog;     // --catalog or the last library; empty: whatever the engine serves
    bool open_library_sent = false;

    QueryState query;
    ResultPages results;
    bool refresh_in_flight = false;  // re-reading the loaded pages while a scan adds photos
    std::optional<ipc::FacetsReply> facets;

    std::optional<uint64_t> focused;  // index in the results
    // The last timeline jump: the grid scrolls that index to its top once (serial: each jump, even to
    // the same place, scrolls again).
    struct GridJump { uint64_t index = 0; uint64_t serial = 0; } grid_jump;
    Selection selection;
    std::optional<OpenPhoto> open_photo;
    bool previewing = false;          // the focused photo shown large over the grid; follows the focus
    std::set<std::string> missing_thumbnails;  // the engine could not make them

    // The jobs of the engine connected now, by its ids (a new engine numbers its own: the last one's are
    // forgotten when it connects, and its ListJobs says what is left, interrupted scans included).
    std::map<uint64_t, JobView> jobs;
    bool resume_sent = false;  // a Rescan for the interrupted scans not answered yet (the button waits)
    std::optional<ipc::AnalysisReply> analysis;  // GetAnalysis / SetAnalysisPaused: paused, photos waiting
    bool analysis_pause_sent = false;            // a SetAnalysisPaused not answered yet (the button waits)
    // The analysis job and its `done` when results, facets and people were last read again for it:
    // analysis changes them photo by photo, and they are re-read every few percent of the job.
    std::pair<uint64_t, uint64_t> analysis_refreshed{0, 0};
    PeopleState people;
    MapState map;
    SimilarState similar;  // the "Duplicates and similar" page
    FoldersState folders;  // the Library > Folders window
    std::vector<std::vector<std::string>> pending_scans;  // folders to scan once connected
    std::vector<ipc::FailureEntry> failures;
    uint64_t failures_total = 0;
    std::optional<ipc::PluginList> plugins;
    std::vector<ipc::Setting> settings;
    uint32_t thumbnail_size = 160;  // grid cell size in pixels
    bool show_regions = false;      // the photo view draws face and object boxes (B)
    bool full_screen = false;       // the page shown fills the screen: no filter panel, job bar, bars or side panels
    // The open photo steps to the next one every few seconds (F5), in full screen; it stops at the last
    // photo, on Esc, and when the photo closes.
    bool slideshow = false;
    // The last failed command or file, for the status bar: one readable line (model/readable_error.hpp).
    // A click on it, or a while without a new one, clears it: each error has its serial number, so that a
    // clear meant for one does not take away a newer one.
    std::string last_error;
    uint64_t last_error_serial = 0;
    // What the last change the user asked for did, in words ("removed tag 'dog' from a.jpg; it will not
    // be added again"), in the same field of the status bar: the newer of the two shows, and the same
    // click or timer clears it (it shares last_error_serial).
    std::string notice;

    // Commands reduce() decided to send; the store drains it after every action.
    std::vector<Command> outbox;
};

// Jobs that have not ended, of one kind (the job bar shows scans and the analysis apart).
std::vector<const JobView*> running_jobs(const State& state);
std::vector<const JobView*> running_jobs(const State& state, ipc::JobKind kind);
// Scans a dead engine left unfinished (JobState::interrupted), until a rescan takes them over.
std::vector<const JobView*> interrupted_scans(const State& state);
const ipc::PhotoSummary* focused_photo(const State& state);
// The user's rotation of the open photo in clockwise quarter turns (0..3): its GetPhoto answer's, else its
// row's in the results; 0 when no photo is open.
uint32_t open_photo_rotation(const State& state);
// The status bar's message field: the last error, else the last notice.
const std::string& status_message(const State& state);
// The status bar's count: "1 468 photos" for the whole library, "22 of 1 468 photos" for a search, and
// while a scan runs (the library's count is read when it ends) "22 photos match so far". Empty until the
// first page arrives.
std::string photo_count_line(const State& state);
// What the grid says when it has no cell: nothing matched the search (quoting it), no photos yet, or
// photos still on their way from a scan; nothing while the first page is on its way.
std::optional<std::string> empty_results_message(const State& state);
// What Delete removes: the selection, else the focused photo; empty while a range is still loading.
std::vector<std::string> selected_ids(const State& state);

}  // namespace lbx::shell
