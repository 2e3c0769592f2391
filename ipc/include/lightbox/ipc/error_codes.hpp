// Error codes and file states that cross the wire or the plugin boundary, named once. Programs compare
// them (the shell tells a pending thumbnail from a missing one, a bad query from a broken catalog), so a
// typo on one side must be a compile error, not a silent mismatch. The engine, lightbox-ctl and the shell
// all include this file: ipc/ is the module they share. The words themselves are the protocol's
// (sdk_docs/protocol.md): never change one, only add.
//
// Arrays, not `const char*`: they convert to std::string where an Error is built, compare with
// std::string by content, and comparing one with a string literal (a pointer comparison) is an error.
#pragma once

namespace lbx::ipc::codes {

// --- Replies to commands ---
inline constexpr char kBadQuery[] = "bad_query";                  // the query text does not parse (bad_request)
inline constexpr char kThumbnailPending[] = "thumbnail_pending";  // being made: thumb/ready follows (not_ready)
inline constexpr char kNotFound[] = "not_found";                  // a file or folder named in a request is not there
inline constexpr char kFileMissing[] = "file_missing";            // the photo's file is gone: no thumbnail can be made
inline constexpr char kCatalogError[] = "catalog_error";          // the catalog could not be read or written
inline constexpr char kBadPipeline[] = "bad_pipeline";            // the job's pipeline does not build
inline constexpr char kBadBox[] = "bad_box";                      // GetMapClusters: a box or zoom out of range (bad_request)
inline constexpr char kBadDistance[] = "bad_distance";            // FindSimilar past kMaxSimilarDistance (bad_request)
inline constexpr char kJobsRunning[] = "jobs_running";            // scans are running: the request waits for them (busy)
// Folders (RemoveFolder)
inline constexpr char kBadPath[] = "bad_path";              // empty or relative where an absolute path is needed (bad_request)
inline constexpr char kNoSuchFolder[] = "no_such_folder";   // the path is not one of the library's folders (not_found)
inline constexpr char kNoSuchPhoto[] = "no_such_photo";           // no photo of that id in the library (not_found)
inline constexpr char kBadTag[] = "bad_tag";                      // a tag empty or longer than 100 characters (bad_request)
inline constexpr char kBadRotation[] = "bad_rotation";            // SetRotation past kMaxQuarterTurns (bad_request)
// People (RenamePerson, MergePersons, RemoveFace)
inline constexpr char kNoSuchPerson[] = "no_such_person";  // no person of that id (not_found)
inline constexpr char kNoSuchFace[] = "no_such_face";      // the photo has no face of that source and index (not_found)
inline constexpr char kNoPerson[] = "no_person";           // the face belongs to no person (not_found)
inline constexpr char kBadName[] = "bad_name";             // a name too long or with control characters (bad_request)
inline constexpr char kSamePerson[] = "same_person";       // a person merged into itself (bad_request)
inline constexpr char kOtherModel[] = "other_model";       // persons of two embedding models cannot merge (bad_request)

// --- Why a stage failed a file: the plugin API's LBX_E_* and the engine's own read and sniff steps ---
inline constexpr char kUnsupported[] = "unsupported";
inline constexpr char kCorrupt[] = "corrupt";
inline constexpr char kTruncated[] = "truncated";
inline constexpr char kTooLarge[] = "too_large";
inline constexpr char kInvalidParam[] = "invalid_param";
inline constexpr char kNoMemory[] = "no_memory";  // an allocation failed (the stage said so)
inline constexpr char kIo[] = "io";
inline constexpr char kInternal[] = "internal";
inline constexpr char kCancelled[] = "cancelled";
inline constexpr char kUnknown[] = "unknown";     // a status code the plugin API does not define

// --- Why a worker process ended a file (isolated stages) ---
inline constexpr char kCrashed[] = "crashed";              // the worker died on a signal
inline constexpr char kTimeout[] = "timeout";              // the file took longer than its deadline
inline constexpr char kOutOfMemory[] = "out_of_memory";    // the worker went over its memory limit
inline constexpr char kQuarantined[] = "quarantined";      // the file crashed workers before: not tried again
inline constexpr char kInterrupted[] = "interrupted";      // the engine stopped before the file was done
// A plugin the file needs crashed or hung while it was loaded or its stage created, earlier in this run:
// it is not used again in the run, and the message names it and the phase (load, create).
inline constexpr char kPluginNotLoaded[] = "plugin_not_loaded";

}  // namespace lbx::ipc::codes

namespace lbx::ipc::file_state {

// A file's state in the catalog, in PhotoSummary::status, PhotoDetails::status and the failures ledger.
inline constexpr char kOk[] = "ok";
inline constexpr char kFailed[] = "failed";
inline constexpr char kMissing[] = "missing";  // seen by an earlier scan, not found by the last one

}  // namespace lbx::ipc::file_state
