// People: faces grouped into persons by their identity embeddings (the vision plugin's `identity`
// stage), incrementally. Each new face joins the person whose centroid (the mean embedding of its
// faces) is nearest, when nearer than kSamePersonDistance and that person is not in the photo already;
// else it starts a person. The user names persons, merges two, and takes a wrong face out (never
// grouped again). What survives a rescan: catalog_schema.cpp (version 6) and face_assignments.hpp.
// sdk_docs/analysis.md#people explains it for users, with the measurements behind the constants.
#pragma once

#include "catalog/catalog.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace lbx::engine::catalog {

// Euclidean distance between a face's embedding (dlib's ResNet, 128-D) and a person's centroid below
// which the face joins the person. dlib quotes 0.6 for pairs of faces; measured on our pipeline
// (bench/analysis/face_distances.py: the faces of 22 real corpus photos, each face a different person, and 14
// faces of variations of Canon_EOS_D60.jpg, four players cropped, mirrored, resized, brightened): with
// the faces below kMinFaceQuality left out, different people came as near as 0.52 and the same face
// stayed within 0.46 of itself. Grouped as the engine groups them, 0.5 made 22 persons, none holding two
// people and no one split; 0.55 put two players of one photo in one person, 0.6 four persons held
// several people each (the running mean drifts towards its neighbours).
inline constexpr double kSamePersonDistance = 0.5;

// Faces below this quality (the faces stage's score x size x frontal, 0..1) are not grouped: profile,
// small or doubtful faces give embeddings that land near anyone (in the measurement above, every pair of
// different people nearer than 0.5 had a face below 0.3; with the faces from 0.2 up, 0.5 put two pairs
// of different people together).
inline constexpr double kMinFaceQuality = 0.3;

// A person's name: trimmed, 1..100 characters (UTF-8 code points), no control characters; empty to unname.
inline constexpr std::size_t kMaxPersonName = 100;

struct PersonInfo {
    int64_t id = 0;
    std::string name;  // empty while unnamed
    int64_t faces = 0;
    int64_t photos = 0;
    // The person's face of the highest quality: its photo and box (fractions of the upright photo).
    std::string cover_hash;
    double cover_x = 0, cover_y = 0, cover_width = 0, cover_height = 0;
    uint32_t cover_rotation = 0;  // the user's rotation of the cover photo
};

struct GroupingSummary {
    int64_t looked_at = 0;    // faces the pass read
    int64_t joined = 0;       // placed in a person that was there
    int64_t new_persons = 0;  // placed in a person of their own
};

// Groups every face not looked at yet (regions.grouped = 0), the best quality first, in transactions of
// a few hundred faces (so that the user's renames never wait long). Deterministic: the same catalog
// gives the same persons. Flushes the catalog's queued results first.
Expected<GroupingSummary> group_new_faces(Catalog& catalog);

// Persons with at least one face, most faces first, then by id; limit -1: all.
Expected<std::vector<PersonInfo>> list_persons(Catalog& catalog, int64_t offset, int64_t limit);
Expected<int64_t> person_count(Catalog& catalog);  // those list_persons lists
Expected<std::optional<PersonInfo>> find_person(Catalog& catalog, int64_t person_id);

// The name as stored: trimmed; nullopt when it is too long or holds a control character.
std::optional<std::string> clean_person_name(const std::string& raw);

// Errors (domain "people"): ipc::codes::kNoSuchPerson, kBadName, kSamePerson, kOtherModel, kNoSuchFace,
// kNoPerson; the catalog's own otherwise.
Expected<PersonInfo> rename_person(Catalog& catalog, int64_t person_id, const std::string& name);
// Every face of `from` goes to `into`, whose centroid becomes the mean of both weighted by their faces;
// `into` keeps its name, or takes from's when it has none; `from` is deleted.
Expected<PersonInfo> merge_persons(Catalog& catalog, int64_t from, int64_t into);
// Takes one face out of its person for good. Returns the person as it is after (faces 0: it was deleted
// with its last face, named or not).
Expected<PersonInfo> remove_face(Catalog& catalog, const std::string& hash, const std::string& source, int64_t index);

// The persons of one photo's faces, for GetPhoto.
struct FacePerson {
    std::string source;
    int64_t index = 0;
    int64_t person_id = 0;
    std::string name;
};
Expected<std::vector<FacePerson>> persons_of_photo(Catalog& catalog, const std::string& hash);

}  // namespace lbx::engine::catalog
