// Everything that can change the State: what the user did (dispatched by views) and what the engine
// said (posted by the EngineSession from its thread to the UI thread). Plain structs in one variant.
#pragma once

#include "model/engine_status.hpp"
#include "model/map_camera.hpp"
#include "model/nav_key.hpp"
#include "model/thumb_key.hpp"

#include <lightbox/ipc/envelope.hpp>
#include <lightbox/ipc/expected.hpp>

#include <cstdint>
#include <memory>
#include <string>
#include <variant>
#include <vector>

namespace lbx::shell {

// --- from the user ---------------------------------------------------------------------------------
struct QueryEdited { std::string text; };  // the search box, after the debounce
enum class FacetKind { tag, camera, year, month, place, group, label, person };
// Adds `tag:x` etc. to the query, or takes it out when the query has it already.
struct FacetChosen { FacetKind kind; std::string value; };
struct SortChanged { ipc::QuerySort sort = ipc::QuerySort::taken; bool descending = false; };
struct PageNeeded { uint64_t page = 0; };   // the grid shows cells of a page not loaded yet
enum class SelectMode { replace, toggle, extend };  // a click; Ctrl+click; Shift+click or Shift+arrow
struct FocusIndex { uint64_t index = 0; SelectMode mode = SelectMode::replace; };  // a click
struct MoveFocus {
    NavKey key = NavKey::right;
    uint32_t columns = 1;
    uint32_t rows_per_page = 1;
    bool extend = false;  // Shift held: the selection grows from the anchor to the new focus
};
// Ctrl+A in the grid: every photo the query matches (pages not loaded yet are asked for first).
struct SelectAll {};
// A click on the timeline: the grid shows the first photo of that year ("2019") or month ("2019-06") at
// its top, focused.
struct TimelineJump { std::string period; };
struct OpenFocused {};                      // Enter, double click
struct TogglePreview {};                    // Space in the grid: the focused photo large over the grid
struct ClosePhoto {};
struct StepPhoto { int delta = 1; };        // previous / next in the photo view
struct ToggleZoom {};                       // the zoom button, double click: fit <-> 100 %
// The mouse wheel, + and -: `steps` zoom steps in (positive) or out; `fit` is the scale at which the
// whole photo shows in the window now (the view knows the window; see model/zoom.hpp).
struct ZoomBy { int steps = 1; double fit = 1.0; };
// F5 or the Slideshow button: on (in full screen) or off. SlideshowTick is the view's timer.
struct SetSlideshow { bool on = true; };
struct SlideshowTick {};
struct ToggleRegions {};                    // B: face and object boxes over the photo
struct ThumbnailSizeChanged { uint32_t size = 160; };
// F11, and Esc while in full screen: the page shown (the photo, the grid, People) alone on the screen.
struct SetFullScreen { bool on = true; };
struct AddFolders { std::vector<std::string> paths; };  // absolute
// File > Open Library: the engine switches to another library, a file or a postgresql:// URI
// (model/library_location.hpp says which texts are refused, and why).
struct OpenLibraryRequested { std::string location; };
struct RescanRequested {};
struct CancelJobRequested { uint64_t job_id = 0; };
// The job bar's Resume on a scan that a dead engine left interrupted: a rescan of the library's folders
// (they hold the job's; the engine's snapshot names only its first one). Unchanged files are skipped
// without being read, so what the job did is not done again.
struct ResumeInterruptedScans {};
struct PauseAnalysisRequested { bool paused = true; };  // the job bar's Pause / Resume
// People (the People page): shown or not; its pages as its cells show; a click on a named person shows
// their photos in the grid; a click on an unnamed one, or Ctrl+click, chooses persons to rename or merge.
struct ShowPeople { bool shown = true; };
struct PersonsPageNeeded { uint64_t page = 0; };
struct RefreshPersons {};
struct ChoosePerson { uint64_t person_id = 0; SelectMode mode = SelectMode::replace; };
struct ShowPersonPhotos { uint64_t person_id = 0; };  // the grid's query becomes `person:"Name"`
struct RenamePersonRequested { uint64_t person_id = 0; std::string name; };  // empty: unnamed again
// A face of the open photo (its region's source and index) that is not the person it was grouped into:
// taken out of that person for good (RemoveFace); it joins no person again.
struct RemoveFaceRequested { std::string source; uint32_t index = 0; };
struct MergeChosenInto { uint64_t into_id = 0; };  // every other chosen person's faces move into this one
// The Map page: shown or not; its view moved (wheel, drag, +/-, double-click, resize: the page works out
// the new camera); an area chosen (a click on a cluster: its photos' box; a box drawn with Shift+drag)
// becomes the grid's `within:` term, and the grid is shown.
struct ShowMap { bool shown = true; };
struct MapCameraChanged { MapCamera camera; };
struct MapAreaChosen { GeoRect box; };
// The "Duplicates and similar" page: shown or not (a fresh listing each time it is shown), the distance
// it groups with, more groups as it scrolls, a path ticked or unticked "keep"; the removal after its
// confirmation; the files the view moved to the trash after its confirmation (and what failed).
struct ShowSimilar { bool shown = true; };
struct SimilarDistanceChanged { uint32_t distance = ipc::kDefaultSimilarDistance; };
struct SimilarMoreNeeded {};
struct ToggleKeep { std::string path; };
struct RemoveOthersConfirmed {};
struct FilesTrashed { std::vector<std::string> trashed; std::vector<std::string> errors; };
// The Library > Folders window: opened (its list read) or closed; a folder taken out of the library after
// its confirmation (its photos leave the library, the files stay on disk); one folder scanned again.
// Adding one is AddFolders.
struct ShowFolders { bool shown = true; };
struct RemoveFolderConfirmed { std::string path; };
struct RescanFolder { std::string path; };
struct RemoveSelectedConfirmed {};          // after the confirmation dialog
struct EditUserTags { std::vector<std::string> add; std::vector<std::string> remove; };
// The photo view's Remove on an automatic tag of the open photo: taken away, and never added again.
struct RejectTag { std::string name; };
struct RestoreTag { std::string name; };  // a right-click on a rejected one: it may be added again
// The photo view's rotate buttons and [ / ]: the open photo turned a quarter clockwise (+1) or back (-1),
// kept in the library (SetRotation), never written to the file.
struct RotateOpenPhoto { int quarter_turns = 1; };
struct ApplySettings { std::vector<ipc::Setting> settings; };
struct RefreshFailures {};
struct RetryFailedRequested {};  // the failures window's Retry All: a rescan that tries the failed files again
struct RefreshPlugins {};
struct DesktopLaunchFailed { std::string message; };
struct ClearLastError { uint64_t serial = 0; };     // a click on the status bar's message, or its timer  // "Open with" / "Show in folder" could not start it

// --- from the engine session -----------------------------------------------------------------------
struct EngineStatusChanged { EngineStatus status = EngineStatus::starting; std::string detail; };
struct EngineConnected { std::string engine_version; int pid = 0; };  // ready; re-read everything
struct ReplyArrived {
    ipc::Request request;
    uint64_t tag = 0;
    ipc::Expected<ipc::Reply> reply;
};
struct EventArrived { ipc::Event event; };
struct ThumbnailArrived {
    ThumbKey key;
    std::shared_ptr<const DecodedThumbnail> image;  // nullptr: it could not be had (missing file)
    std::string error;                              // why, when image is nullptr
};

using Action = std::variant<QueryEdited, FacetChosen, SortChanged, PageNeeded, FocusIndex, MoveFocus, SelectAll, TimelineJump, OpenFocused,
                            TogglePreview, ClosePhoto, StepPhoto, ToggleZoom, ZoomBy, SetSlideshow, SlideshowTick, ToggleRegions, ThumbnailSizeChanged, SetFullScreen, AddFolders, OpenLibraryRequested,
                            RescanRequested, CancelJobRequested, ResumeInterruptedScans, PauseAnalysisRequested, ShowPeople, PersonsPageNeeded,
                            RefreshPersons, ChoosePerson, ShowPersonPhotos, RenamePersonRequested, RemoveFaceRequested, MergeChosenInto, ShowMap, MapCameraChanged, MapAreaChosen,
                            ShowSimilar, SimilarDistanceChanged, SimilarMoreNeeded, ToggleKeep, RemoveOthersConfirmed, FilesTrashed,
                            ShowFolders, RemoveFolderConfirmed, RescanFolder, RemoveSelectedConfirmed, EditUserTags, RejectTag, RestoreTag, RotateOpenPhoto, ApplySettings, RefreshFailures, RetryFailedRequested,
                            RefreshPlugins, DesktopLaunchFailed, ClearLastError, EngineStatusChanged, EngineConnected, ReplyArrived, EventArrived,
                            ThumbnailArrived>;

}  // namespace lbx::shell
